// The codec's handshake and URL functions exposed to JavaScript as plain functions.
#pragma once

#include <napi.h>

namespace gdws_node {

void register_handshake_bindings(Napi::Env p_env, Napi::Object p_exports);

} // namespace gdws_node
