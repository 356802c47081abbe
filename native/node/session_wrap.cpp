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

size_t room_from_double(double p_room) {
	return p_room >= 9007199254740991.0 ? SIZE_MAX : static_cast<size_t>(p_room < 0 ? 0 : p_room);
}

size_t room_arg(const Napi::Value &p_value) {
	return room_from_double(p_value.As<Napi::Number>().DoubleValue());
}

napi_value throw_type_error(napi_env p_env, const char *p_message) {
	napi_throw_type_error(p_env, nullptr, p_message);
	return nullptr;
}

// Layout of the Float64Array the fast receive path fills (mirrored in src/codec-session.ts):
// [consumed, state flags, record count, output bytes, then (kind, offset, length) per record].
// A record count below zero means the array was too small: -count is the length it needs, and
// the records stay in the session for takeInbound().
constexpr size_t META_CONSUMED = 0;
constexpr size_t META_FLAGS = 1;
constexpr size_t META_RECORDS = 2;
constexpr size_t META_OUTPUT = 3;
constexpr size_t META_HEADER = 4;

bool float64_array_arg(napi_env p_env, napi_value p_value, double *&r_data, size_t &r_length) {
	napi_typedarray_type type;
	void *data = nullptr;
	if (napi_get_typedarray_info(p_env, p_value, &type, &r_length, &data, nullptr, nullptr) != napi_ok || type != napi_float64_array) {
		return false;
	}
	r_data = static_cast<double *>(data);
	return true;
}

bool uint8_array_arg(napi_env p_env, napi_value p_value, const uint8_t *&r_data, size_t &r_length) {
	napi_typedarray_type type;
	void *data = nullptr;
	if (napi_get_typedarray_info(p_env, p_value, &type, &r_length, &data, nullptr, nullptr) != napi_ok || type != napi_uint8_array) {
		return false;
	}
	r_data = static_cast<const uint8_t *>(data);
	return true;
}

} // namespace

Napi::Function SessionWrap::define_class(Napi::Env p_env) {
	Napi::Function session_class = DefineClass(p_env, "Session",
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
					InstanceMethod<&SessionWrap::_handle>("handle"),
			});
	const struct {
		const char *name;
		napi_callback callback;
	} fast[] = {
		{ "receive", &SessionWrap::_fast_receive },
		{ "takeInboundInto", &SessionWrap::_fast_take_inbound },
		{ "queueFast", &SessionWrap::_fast_queue },
		{ "takeOutputFast", &SessionWrap::_fast_take_output },
	};
	for (const auto &entry : fast) {
		napi_value function;
		napi_create_function(p_env, entry.name, NAPI_AUTO_LENGTH, entry.callback, nullptr, &function);
		napi_set_named_property(p_env, session_class, entry.name, function);
	}
	return session_class;
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
		_mask_data = pool.Data();
		_mask_length = pool.ByteLength();
		_refill_mask_pool = Napi::Persistent(p_info[5].As<Napi::Function>());
		config.mask_source = &SessionWrap::_next_mask;
		config.mask_user = this;
	}
	_session = std::make_unique<gdws::Session>(config);
}

SessionWrap::~SessionWrap() {
	_magic = 0;
}

uint32_t SessionWrap::_next_mask(void *p_user) {
	SessionWrap *self = static_cast<SessionWrap *>(p_user);
	if (self->_mask_index + 4 > self->_mask_length) {
		self->_refill_mask_pool.Call({ self->_mask_pool.Value() });
		self->_mask_index = 0;
	}
	const uint8_t *bytes = self->_mask_data + self->_mask_index;
	const uint32_t key = (uint32_t(bytes[0]) << 24) | (uint32_t(bytes[1]) << 16) | (uint32_t(bytes[2]) << 8) | bytes[3];
	self->_mask_index += 4;
	return key;
}

// feed(input: Uint8Array | Uint8Array[] | null, messageRoom, byteRoom) -> bytes consumed in total.
// With an array, chunks are fed in order until one is not consumed whole (back-pressure or end of input).
Napi::Value SessionWrap::_feed(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	size_t consumed = 0;
	if (!_feed_input(env, p_info[0], room_arg(p_info[1]), room_arg(p_info[2]), consumed)) {
		return env.Undefined();
	}
	return Napi::Number::New(env, static_cast<double>(consumed));
}

bool SessionWrap::_feed_input(napi_env p_env, napi_value p_input, size_t p_message_room, size_t p_byte_room, size_t &r_consumed) {
	r_consumed = 0;
	const uint8_t *data = nullptr;
	size_t length = 0;
	if (uint8_array_arg(p_env, p_input, data, length)) {
		r_consumed = _session->feed(data, length, p_message_room, p_byte_room);
		return true;
	}
	bool is_array = false;
	napi_is_array(p_env, p_input, &is_array);
	if (!is_array) {
		return true; // null or nothing to feed
	}
	uint32_t count = 0;
	napi_get_array_length(p_env, p_input, &count);
	for (uint32_t i = 0; i < count; i++) {
		napi_value chunk;
		if (napi_get_element(p_env, p_input, i, &chunk) != napi_ok || !uint8_array_arg(p_env, chunk, data, length)) {
			throw_type_error(p_env, "feed(): chunks must be Uint8Arrays");
			return false;
		}
		// The codec counts room per feed() call: shrink it by the data messages this chunk completed.
		const size_t before = _session->inbound_records().size();
		const size_t used = _session->feed(data, length, p_message_room, p_byte_room);
		r_consumed += used;
		const std::vector<gdws::Record> &records = _session->inbound_records();
		for (size_t r = before; r < records.size(); r++) {
			if (records[r].kind == gdws::Opcode::TEXT || records[r].kind == gdws::Opcode::BINARY) {
				p_message_room -= p_message_room == SIZE_MAX ? 0 : 1;
				p_byte_room -= p_byte_room == SIZE_MAX ? 0 : std::min<uint64_t>(p_byte_room, records[r].length);
			}
		}
		if (used != length) {
			break;
		}
	}
	return true;
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

uint32_t SessionWrap::_state_flags() const {
	uint32_t flags = 0;
	flags |= _session->close_sent() ? uint32_t(CLOSE_SENT) : 0u;
	flags |= _session->close_received() ? uint32_t(CLOSE_RECEIVED) : 0u;
	flags |= _session->is_failed() ? uint32_t(FAILED) : 0u;
	flags |= _session->wants_input() ? uint32_t(WANTS_INPUT) : 0u;
	return flags;
}

Napi::Value SessionWrap::_state(const Napi::CallbackInfo &p_info) {
	return Napi::Number::New(p_info.Env(), _state_flags());
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

// handle() -> External for the Session.* fast functions. It does not keep the session alive:
// the caller holds this Session object for as long as it uses the handle (CodecSession does).
Napi::Value SessionWrap::_handle(const Napi::CallbackInfo &p_info) {
	return Napi::External<SessionWrap>::New(p_info.Env(), this);
}

SessionWrap *SessionWrap::_from_handle(napi_env p_env, napi_value p_handle) {
	void *pointer = nullptr;
	if (napi_get_value_external(p_env, p_handle, &pointer) != napi_ok || pointer == nullptr ||
			static_cast<SessionWrap *>(pointer)->_magic != MAGIC) {
		throw_type_error(p_env, "expected a Session handle");
		return nullptr;
	}
	return static_cast<SessionWrap *>(pointer);
}

napi_value SessionWrap::_take_inbound_into(napi_env p_env, double *p_meta, size_t p_meta_length) {
	napi_value result;
	const std::vector<gdws::Record> &records = _session->inbound_records();
	const size_t needed = META_HEADER + records.size() * 3;
	if (needed > p_meta_length) {
		p_meta[META_RECORDS] = -static_cast<double>(needed);
		napi_get_null(p_env, &result);
		return result;
	}
	p_meta[META_RECORDS] = static_cast<double>(records.size());
	double *out = p_meta + META_HEADER;
	for (const gdws::Record &record : records) {
		*out++ = static_cast<double>(record.kind);
		*out++ = static_cast<double>(record.offset);
		*out++ = static_cast<double>(record.length);
	}
	const std::vector<uint8_t> &bytes = _session->inbound_bytes();
	if (records.empty() || bytes.empty()) {
		napi_get_null(p_env, &result);
	} else {
		napi_create_buffer_copy(p_env, bytes.size(), bytes.data(), nullptr, &result);
	}
	_session->clear_inbound();
	return result;
}

// Session.receive(handle, input, messageRoom, byteRoom, acknowledged, meta) -> Buffer | null.
// One call per poll: acknowledges written output, feeds the input (as feed()), and takes the
// completed records into meta (layout above) with their payload bytes as the returned Buffer.
napi_value SessionWrap::_fast_receive(napi_env p_env, napi_callback_info p_info) {
	size_t argc = 6;
	napi_value argv[6];
	napi_get_cb_info(p_env, p_info, &argc, argv, nullptr, nullptr);
	SessionWrap *self = argc == 6 ? _from_handle(p_env, argv[0]) : nullptr;
	if (self == nullptr) {
		return argc == 6 ? nullptr : throw_type_error(p_env, "receive(handle, input, messageRoom, byteRoom, acknowledged, meta)");
	}
	double message_room = 0, byte_room = 0, acknowledged = 0;
	double *meta = nullptr;
	size_t meta_length = 0;
	if (napi_get_value_double(p_env, argv[2], &message_room) != napi_ok || napi_get_value_double(p_env, argv[3], &byte_room) != napi_ok ||
			napi_get_value_double(p_env, argv[4], &acknowledged) != napi_ok || !float64_array_arg(p_env, argv[5], meta, meta_length) ||
			meta_length < META_HEADER) {
		return throw_type_error(p_env, "receive(handle, input, messageRoom, byteRoom, acknowledged, meta)");
	}
	if (acknowledged > 0) {
		self->_session->acknowledge_output(static_cast<size_t>(acknowledged));
	}
	size_t consumed = 0;
	if (!self->_feed_input(p_env, argv[1], room_from_double(message_room), room_from_double(byte_room), consumed)) {
		return nullptr;
	}
	meta[META_CONSUMED] = static_cast<double>(consumed);
	meta[META_FLAGS] = static_cast<double>(self->_state_flags());
	meta[META_OUTPUT] = static_cast<double>(self->_session->output_size());
	return self->_take_inbound_into(p_env, meta, meta_length);
}

// Session.takeInboundInto(handle, meta) -> Buffer | null: the records receive() could not fit.
napi_value SessionWrap::_fast_take_inbound(napi_env p_env, napi_callback_info p_info) {
	size_t argc = 2;
	napi_value argv[2];
	napi_get_cb_info(p_env, p_info, &argc, argv, nullptr, nullptr);
	SessionWrap *self = argc == 2 ? _from_handle(p_env, argv[0]) : nullptr;
	double *meta = nullptr;
	size_t meta_length = 0;
	if (self == nullptr || !float64_array_arg(p_env, argv[1], meta, meta_length) || meta_length < META_HEADER) {
		return self == nullptr && argc == 2 ? nullptr : throw_type_error(p_env, "takeInboundInto(handle, meta: Float64Array)");
	}
	meta[META_CONSUMED] = 0;
	meta[META_FLAGS] = static_cast<double>(self->_state_flags());
	meta[META_OUTPUT] = static_cast<double>(self->_session->output_size());
	return self->_take_inbound_into(p_env, meta, meta_length);
}

// Session.queueFast(handle, opcode, payload: Uint8Array) -> gdws::Status
napi_value SessionWrap::_fast_queue(napi_env p_env, napi_callback_info p_info) {
	size_t argc = 3;
	napi_value argv[3];
	napi_get_cb_info(p_env, p_info, &argc, argv, nullptr, nullptr);
	SessionWrap *self = argc == 3 ? _from_handle(p_env, argv[0]) : nullptr;
	uint32_t opcode = 0;
	const uint8_t *data = nullptr;
	size_t length = 0;
	if (self == nullptr || napi_get_value_uint32(p_env, argv[1], &opcode) != napi_ok || !uint8_array_arg(p_env, argv[2], data, length)) {
		return self == nullptr && argc == 3 ? nullptr : throw_type_error(p_env, "queueFast(handle, opcode, payload: Uint8Array)");
	}
	const gdws::Status status = self->_session->queue_message(static_cast<gdws::Opcode>(opcode), data, length);
	napi_value result;
	napi_create_uint32(p_env, static_cast<uint32_t>(status), &result);
	return result;
}

// Session.takeOutputFast(handle) -> null | Buffer, as takeOutput().
napi_value SessionWrap::_fast_take_output(napi_env p_env, napi_callback_info p_info) {
	size_t argc = 1;
	napi_value argv[1];
	napi_get_cb_info(p_env, p_info, &argc, argv, nullptr, nullptr);
	SessionWrap *self = argc == 1 ? _from_handle(p_env, argv[0]) : nullptr;
	if (self == nullptr) {
		return argc == 1 ? nullptr : throw_type_error(p_env, "takeOutputFast(handle)");
	}
	napi_value result;
	const size_t size = self->_session->output_size();
	if (size == 0) {
		napi_get_null(p_env, &result);
		return result;
	}
	napi_create_buffer_copy(p_env, size, self->_session->output_data(), nullptr, &result);
	self->_session->take_output(size);
	return result;
}

} // namespace gdws_node
