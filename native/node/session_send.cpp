// The outbound Session functions: queue messages and closes (the codec applies every rule), take
// the framed bytes for the socket, and free what the socket has written from the limits.
#include "buffers.h"
#include "session_bindings.h"
#include "session_call.h"

#include <cstring>

namespace gdws_node {

// queue(handle, opcode, payload: Uint8Array) -> gdws::Status
napi_value session_queue(napi_env p_env, napi_callback_info p_info) {
	SessionCall call(p_env, p_info, "queue(handle, opcode, payload: Uint8Array)", 3);
	const double opcode = call.number(1);
	size_t length = 0;
	const uint8_t *payload = call.bytes(2, length);
	if (!call.ok()) {
		return call.fail();
	}
	const gdws::Status status = call.core().session.queue_message(static_cast<gdws::Opcode>(static_cast<uint8_t>(opcode)), payload, length);
	return call.number_value(static_cast<double>(status));
}

namespace {

// The JavaScript Buffer queue_message_into() frames into.
struct FrameBuffer {
	napi_env env;
	napi_value buffer = nullptr;
};

uint8_t *allocate_frame(void *p_user, size_t p_size) {
	FrameBuffer *frame = static_cast<FrameBuffer *>(p_user);
	void *data = nullptr;
	if (napi_create_buffer(frame->env, p_size, &data, &frame->buffer) != napi_ok) {
		frame->buffer = nullptr;
		return nullptr;
	}
	return static_cast<uint8_t *>(data);
}

} // namespace

// queueAlone(handle, opcode, payload: Uint8Array) -> Buffer | gdws::Status
// A frame of its own, framed straight into a new Buffer for the socket (after the output taken
// so far): one pass over the payload instead of a copy into the session's output and one out.
napi_value session_queue_alone(napi_env p_env, napi_callback_info p_info) {
	SessionCall call(p_env, p_info, "queueAlone(handle, opcode, payload: Uint8Array)", 3);
	const double opcode = call.number(1);
	size_t length = 0;
	const uint8_t *payload = call.bytes(2, length);
	if (!call.ok()) {
		return call.fail();
	}
	FrameBuffer frame{ p_env };
	const gdws::Status status = call.core().session.queue_message_into(
			static_cast<gdws::Opcode>(static_cast<uint8_t>(opcode)), payload, length, &allocate_frame, &frame);
	return status == gdws::Status::OK ? frame.buffer : call.number_value(static_cast<double>(status));
}

// queueClose(handle, code, reason: Uint8Array) -> gdws::Status
napi_value session_queue_close(napi_env p_env, napi_callback_info p_info) {
	SessionCall call(p_env, p_info, "queueClose(handle, code, reason: Uint8Array)", 3);
	const double code = call.number(1);
	size_t length = 0;
	const uint8_t *reason = call.bytes(2, length);
	if (!call.ok()) {
		return call.fail();
	}
	// Codes outside 0..65535 may not go on the wire either; an int cast would wrap 2^32 + 1000 to 1000.
	const int wire_code = code >= 0 && code <= 65535 ? static_cast<int>(code) : -1;
	return call.number_value(static_cast<double>(call.core().session.queue_close(wire_code, reason, length)));
}

// takeOutput(handle, spare: Buffer | null) -> null | number | Buffer: every byte framed since the
// last call. They go into `spare` when it is large enough (the count is returned: no allocation),
// else into a new Buffer. They stay counted against the outbound limits until acknowledge()
// says the socket wrote them.
napi_value session_take_output(napi_env p_env, napi_callback_info p_info) {
	SessionCall call(p_env, p_info, "takeOutput(handle, spare: Buffer | null)", 2);
	size_t spare_length = 0;
	uint8_t *spare = nullptr;
	napi_valuetype spare_type = napi_null;
	if (call.ok() && napi_typeof(p_env, call.arg(1), &spare_type) == napi_ok && spare_type != napi_null) {
		spare = const_cast<uint8_t *>(call.bytes(1, spare_length));
	}
	if (!call.ok()) {
		return call.fail();
	}
	gdws::Session &session = call.core().session;
	const size_t size = session.output_size();
	if (size == 0) {
		return call.null();
	}
	if (spare != nullptr && size <= spare_length) {
		std::memcpy(spare, session.output_data(), size);
		session.take_output(size);
		return call.number_value(static_cast<double>(size));
	}
	if (size >= HAND_OVER_MIN) {
		return hand_over(p_env, session.take_output_buffer());
	}
	napi_value result = copy_to_buffer(p_env, session.output_data(), size);
	session.take_output(size);
	return result;
}

// acknowledge(handle, bytes): bytes of taken output the transport has written.
napi_value session_acknowledge(napi_env p_env, napi_callback_info p_info) {
	SessionCall call(p_env, p_info, "acknowledge(handle, bytes)", 2);
	const double bytes = call.number(1);
	if (!call.ok()) {
		return call.fail();
	}
	call.core().session.acknowledge_output(static_cast<size_t>(bytes > 0 ? bytes : 0));
	return call.undefined();
}

// queuedBytes(handle) -> payload bytes queued and not yet acknowledged.
napi_value session_queued_bytes(napi_env p_env, napi_callback_info p_info) {
	SessionCall call(p_env, p_info, "queuedBytes(handle)", 1);
	if (!call.ok()) {
		return call.fail();
	}
	return call.number_value(static_cast<double>(call.core().session.queued_payload_bytes()));
}

} // namespace gdws_node
