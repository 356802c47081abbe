#include "session_wrap.h"

#include <algorithm>
#include <cstring>

namespace gdws_node {

namespace {

// Bit flags returned by state(); mirrored in src/native.ts.
enum StateFlag : uint32_t {
	CLOSE_SENT = 1,
	CLOSE_RECEIVED = 2,
	FAILED = 4,
	WANTS_INPUT = 8,
};

gdws::Limits read_limits(const Napi::CallbackInfo &p_info, size_t p_first) {
	gdws::Limits limits;
	limits.max_message_size = static_cast<uint64_t>(p_info[p_first].As<Napi::Number>().DoubleValue());
	limits.max_outbound_messages = static_cast<uint32_t>(p_info[p_first + 1].As<Napi::Number>().DoubleValue());
	limits.max_outbound_bytes = static_cast<uint64_t>(p_info[p_first + 2].As<Napi::Number>().DoubleValue());
	return limits;
}

bool throw_type_error(Napi::Env p_env, const char *p_message) {
	Napi::TypeError::New(p_env, p_message).ThrowAsJavaScriptException();
	return false;
}

size_t room_arg(const Napi::Value &p_value) {
	const double room = p_value.As<Napi::Number>().DoubleValue();
	return room >= 9007199254740991.0 ? SIZE_MAX : static_cast<size_t>(room < 0 ? 0 : room);
}

} // namespace

Napi::Function SessionWrap::define_class(Napi::Env p_env) {
	return DefineClass(p_env, "Session",
			{
					InstanceMethod<&SessionWrap::_feed>("feed"),
					InstanceMethod<&SessionWrap::_take_inbound>("takeInbound"),
					InstanceMethod<&SessionWrap::_queue>("queue"),
					InstanceMethod<&SessionWrap::_queue_close>("queueClose"),
					InstanceMethod<&SessionWrap::_take_output>("takeOutput"),
					InstanceMethod<&SessionWrap::_acknowledge>("acknowledge"),
					InstanceMethod<&SessionWrap::_set_transport_backlog>("setTransportBacklog"),
					InstanceMethod<&SessionWrap::_set_limits>("setLimits"),
					InstanceMethod<&SessionWrap::_state>("state"),
					InstanceMethod<&SessionWrap::_failure>("failure"),
					InstanceMethod<&SessionWrap::_failure_close_code>("failureCloseCode"),
					InstanceMethod<&SessionWrap::_close_code>("closeCode"),
					InstanceMethod<&SessionWrap::_close_reason>("closeReason"),
					InstanceMethod<&SessionWrap::_queued_count>("queuedCount"),
					InstanceMethod<&SessionWrap::_queued_bytes>("queuedBytes"),
			});
}

// new Session(role, maxMessageSize, maxOutboundMessages, maxOutboundBytes, maskPool?, refillMaskPool?)
SessionWrap::SessionWrap(const Napi::CallbackInfo &p_info) :
		Napi::ObjectWrap<SessionWrap>(p_info) {
	Napi::Env env = p_info.Env();
	if (p_info.Length() < 4 || !p_info[0].IsNumber() || !p_info[1].IsNumber() || !p_info[2].IsNumber() || !p_info[3].IsNumber()) {
		throw_type_error(env, "Session(role, maxMessageSize, maxOutboundMessages, maxOutboundBytes, maskPool?, refill?)");
		return;
	}
	gdws::Config config;
	config.role = p_info[0].As<Napi::Number>().Uint32Value() == 0 ? gdws::Role::CLIENT : gdws::Role::SERVER;
	config.limits = read_limits(p_info, 1);
	if (config.role == gdws::Role::CLIENT) {
		if (p_info.Length() < 6 || !p_info[4].IsTypedArray() || !p_info[5].IsFunction()) {
			throw_type_error(env, "a client Session needs a mask pool (Uint8Array) and a refill function");
			return;
		}
		Napi::Uint8Array pool = p_info[4].As<Napi::Uint8Array>();
		if (pool.ByteLength() < 4 || pool.ByteLength() % 4 != 0) {
			throw_type_error(env, "the mask pool length must be a non-zero multiple of 4");
			return;
		}
		_mask_pool = Napi::Persistent(pool);
		_refill_mask_pool = Napi::Persistent(p_info[5].As<Napi::Function>());
		config.mask_source = &SessionWrap::_next_mask;
		config.mask_user = this;
	}
	_session = std::make_unique<gdws::Session>(config);
}

uint32_t SessionWrap::_next_mask(void *p_user) {
	SessionWrap *self = static_cast<SessionWrap *>(p_user);
	Napi::Uint8Array pool = self->_mask_pool.Value();
	if (self->_mask_index + 4 > pool.ByteLength()) {
		self->_refill_mask_pool.Call({ pool });
		self->_mask_index = 0;
	}
	const uint8_t *bytes = pool.Data() + self->_mask_index;
	const uint32_t key = (uint32_t(bytes[0]) << 24) | (uint32_t(bytes[1]) << 16) | (uint32_t(bytes[2]) << 8) | bytes[3];
	self->_mask_index += 4;
	return key;
}

// feed(input: Uint8Array | Uint8Array[] | null, messageRoom, byteRoom) -> bytes consumed in total.
// With an array, chunks are fed in order until one is not consumed whole (back-pressure or end of input).
Napi::Value SessionWrap::_feed(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	size_t message_room = room_arg(p_info[1]);
	size_t byte_room = room_arg(p_info[2]);
	size_t total = 0;
	auto feed_one = [&](const Napi::Uint8Array &p_chunk) -> bool {
		const size_t length = p_chunk.ByteLength();
		const size_t used = _session->feed(p_chunk.Data(), length, message_room, byte_room);
		total += used;
		return used == length;
	};
	if (p_info[0].IsTypedArray()) {
		feed_one(p_info[0].As<Napi::Uint8Array>());
	} else if (p_info[0].IsArray()) {
		Napi::Array chunks = p_info[0].As<Napi::Array>();
		const uint32_t count = chunks.Length();
		for (uint32_t i = 0; i < count; i++) {
			Napi::Value chunk = chunks.Get(i);
			if (!chunk.IsTypedArray()) {
				throw_type_error(env, "feed(): chunks must be Uint8Arrays");
				return env.Undefined();
			}
			// The codec counts room per feed() call: shrink it by the data messages this chunk completed.
			const size_t before = _session->inbound_records().size();
			const bool whole = feed_one(chunk.As<Napi::Uint8Array>());
			const std::vector<gdws::Record> &records = _session->inbound_records();
			for (size_t r = before; r < records.size(); r++) {
				if (records[r].kind == gdws::Opcode::TEXT || records[r].kind == gdws::Opcode::BINARY) {
					message_room -= message_room == SIZE_MAX ? 0 : 1;
					byte_room -= byte_room == SIZE_MAX ? 0 : std::min<uint64_t>(byte_room, records[r].length);
				}
			}
			if (!whole) {
				break;
			}
		}
	}
	return Napi::Number::New(env, static_cast<double>(total));
}

// takeInbound() -> null | [bytes: Buffer, records: Float64Array of (kind, offset, length) triples]
Napi::Value SessionWrap::_take_inbound(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	const std::vector<gdws::Record> &records = _session->inbound_records();
	if (records.empty()) {
		return env.Null();
	}
	const std::vector<uint8_t> &bytes = _session->inbound_bytes();
	Napi::Buffer<uint8_t> data = Napi::Buffer<uint8_t>::Copy(env, bytes.data(), bytes.size());
	Napi::Float64Array meta = Napi::Float64Array::New(env, records.size() * 3);
	double *out = meta.Data();
	for (const gdws::Record &record : records) {
		*out++ = static_cast<double>(record.kind);
		*out++ = static_cast<double>(record.offset);
		*out++ = static_cast<double>(record.length);
	}
	_session->clear_inbound();
	Napi::Array result = Napi::Array::New(env, 2);
	result.Set(0u, data);
	result.Set(1u, meta);
	return result;
}

// queue(opcode, payload: Uint8Array) -> gdws::Status
Napi::Value SessionWrap::_queue(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	if (!p_info[0].IsNumber() || !p_info[1].IsTypedArray()) {
		throw_type_error(env, "queue(opcode, payload: Uint8Array)");
		return env.Undefined();
	}
	Napi::Uint8Array payload = p_info[1].As<Napi::Uint8Array>();
	const auto opcode = static_cast<gdws::Opcode>(p_info[0].As<Napi::Number>().Uint32Value());
	const gdws::Status status = _session->queue_message(opcode, payload.Data(), payload.ByteLength());
	return Napi::Number::New(env, static_cast<double>(status));
}

// queueClose(code, reason: Uint8Array) -> gdws::Status
Napi::Value SessionWrap::_queue_close(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	if (!p_info[0].IsNumber() || !p_info[1].IsTypedArray()) {
		throw_type_error(env, "queueClose(code, reason: Uint8Array)");
		return env.Undefined();
	}
	Napi::Uint8Array reason = p_info[1].As<Napi::Uint8Array>();
	const gdws::Status status = _session->queue_close(p_info[0].As<Napi::Number>().Int32Value(), reason.Data(), reason.ByteLength());
	return Napi::Number::New(env, static_cast<double>(status));
}

// takeOutput() -> null | Buffer with every byte framed since the last call (still unacknowledged).
Napi::Value SessionWrap::_take_output(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	const size_t size = _session->output_size();
	if (size == 0) {
		return env.Null();
	}
	Napi::Buffer<uint8_t> data = Napi::Buffer<uint8_t>::Copy(env, _session->output_data(), size);
	_session->take_output(size);
	return data;
}

Napi::Value SessionWrap::_acknowledge(const Napi::CallbackInfo &p_info) {
	_session->acknowledge_output(static_cast<size_t>(p_info[0].As<Napi::Number>().DoubleValue()));
	return p_info.Env().Undefined();
}

Napi::Value SessionWrap::_set_transport_backlog(const Napi::CallbackInfo &p_info) {
	_session->set_transport_backlog(static_cast<uint64_t>(p_info[0].As<Napi::Number>().DoubleValue()));
	return p_info.Env().Undefined();
}

Napi::Value SessionWrap::_set_limits(const Napi::CallbackInfo &p_info) {
	_session->set_limits(read_limits(p_info, 0));
	return p_info.Env().Undefined();
}

Napi::Value SessionWrap::_state(const Napi::CallbackInfo &p_info) {
	uint32_t flags = 0;
	flags |= _session->close_sent() ? CLOSE_SENT : 0;
	flags |= _session->close_received() ? CLOSE_RECEIVED : 0;
	flags |= _session->is_failed() ? FAILED : 0;
	flags |= _session->wants_input() ? WANTS_INPUT : 0;
	return Napi::Number::New(p_info.Env(), flags);
}

Napi::Value SessionWrap::_failure(const Napi::CallbackInfo &p_info) {
	return Napi::String::New(p_info.Env(), _session->is_failed() ? gdws::failure_name(_session->failure()) : "");
}

Napi::Value SessionWrap::_failure_close_code(const Napi::CallbackInfo &p_info) {
	return Napi::Number::New(p_info.Env(), _session->is_failed() ? gdws::failure_close_code(_session->failure()) : 0);
}

Napi::Value SessionWrap::_close_code(const Napi::CallbackInfo &p_info) {
	return Napi::Number::New(p_info.Env(), _session->received_close_code());
}

Napi::Value SessionWrap::_close_reason(const Napi::CallbackInfo &p_info) {
	const std::string &reason = _session->received_close_reason();
	return Napi::Buffer<uint8_t>::Copy(p_info.Env(), reinterpret_cast<const uint8_t *>(reason.data()), reason.size());
}

Napi::Value SessionWrap::_queued_count(const Napi::CallbackInfo &p_info) {
	return Napi::Number::New(p_info.Env(), _session->queued_message_count());
}

Napi::Value SessionWrap::_queued_bytes(const Napi::CallbackInfo &p_info) {
	return Napi::Number::New(p_info.Env(), static_cast<double>(_session->queued_payload_bytes()));
}

} // namespace gdws_node
