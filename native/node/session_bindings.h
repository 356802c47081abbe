// The Session functions: one set of plain Node-API functions that take a session handle (an
// External, see session_core.h). WebSocketPeer, the shared traces and the tests all use these;
// there is no wrapper object and no second way in.
//
//   Session.create(role, maxMessageSize, maxOutboundMessages, maxOutboundBytes, maskPool?, refill?) -> handle
//   Session.receive(handle, input, messageRoom, byteRoom, acknowledged, meta, own) -> Buffer | null
//   Session.queue(handle, opcode, payload) -> gdws::Status
//   Session.queueAlone(handle, opcode, payload) -> Buffer (the whole frame, for the socket) | gdws::Status
//   Session.queueClose(handle, code, reason) -> gdws::Status
//   Session.takeOutput(handle, spare) -> Buffer | number (bytes written into spare) | null
//   Session.acknowledge(handle, bytes)
//   Session.queuedBytes(handle) -> number
//   Session.setLimits(handle, maxMessageSize, maxOutboundMessages, maxOutboundBytes)
//   Session.closeStatus(handle) -> [failure name, failure close code, received code, received reason]
#pragma once

#include <napi.h>

namespace gdws_node {

void register_session_bindings(Napi::Env p_env, Napi::Object p_exports);

// Defined by job: session_receive.cpp (inbound), session_send.cpp (outbound).
napi_value session_receive(napi_env p_env, napi_callback_info p_info);
napi_value session_queue(napi_env p_env, napi_callback_info p_info);
napi_value session_queue_alone(napi_env p_env, napi_callback_info p_info);
napi_value session_queue_close(napi_env p_env, napi_callback_info p_info);
napi_value session_take_output(napi_env p_env, napi_callback_info p_info);
napi_value session_acknowledge(napi_env p_env, napi_callback_info p_info);
napi_value session_queued_bytes(napi_env p_env, napi_callback_info p_info);

} // namespace gdws_node
