// Module entry: the Session functions, the handshake functions and the shared constants.
// Context-aware (Node-API), so the addon loads in several worker threads at once; all state
// lives in instances.
#include "constants_binding.h"
#include "handshake_bindings.h"
#include "listen_socket.h"
#include "session_bindings.h"

#include <napi.h>

namespace {

Napi::Object init(Napi::Env p_env, Napi::Object p_exports) {
	gdws_node::register_session_bindings(p_env, p_exports);
	gdws_node::register_handshake_bindings(p_env, p_exports);
	gdws_node::register_listen_socket(p_env, p_exports);
	gdws_node::register_constants(p_env, p_exports);
	return p_exports;
}

} // namespace

NODE_API_MODULE(NODE_GYP_MODULE_NAME, init)
