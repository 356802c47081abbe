// Godot 4 engine module: registers WebSocketCodec and binds the methods of codec_methods.h.
// NOT COMPILED HERE (see module_host.h).
#include "register_types.h"

#include "web_socket_codec.h"

void WebSocketCodec::_bind_methods() {
#define GDWS_BIND(m_ret, m_name, m_params, m_args, m_names) \
	ClassDB::bind_method(D_METHOD(#m_name GDWS_UNPAREN m_names), &WebSocketCodec::m_name);
	GDWS_CODEC_METHODS(GDWS_BIND)
#undef GDWS_BIND
}

void initialize_gdws_module(ModuleInitializationLevel p_level) {
	if (p_level != MODULE_INITIALIZATION_LEVEL_SCENE) {
		return;
	}
	GDREGISTER_CLASS(WebSocketCodec);
}

void uninitialize_gdws_module(ModuleInitializationLevel p_level) {
}
