// A listening TCP socket bound synchronously, so TcpServer.Listen() can return Godot's bind
// errors and the chosen port at once (Node's own listen() binds on a later tick). The fd is
// handed to net.Server.listen({ fd }). POSIX only; elsewhere it reports "unsupported".
#pragma once

#include <napi.h>

namespace gdws_node {

void register_listen_socket(Napi::Env p_env, Napi::Object p_exports);

} // namespace gdws_node
