#include "session_wrap.h"

#include "boundary.h"

#include <algorithm>
#include <cstring>

namespace gdws_node {

namespace {

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

// The meta array receive() fills (layout in boundary.h): after the header, (kind, source,
// offset, length) per record. source -1: the payload is in the returned Buffer; k >= 0: in input
// chunk k, unmasked there in place (see IN_PLACE_MIN); -2 - j: it is the whole Buffer hosted[j]
// of the array the caller passed (see DIRECT_MIN). A record count below zero means the array was
// too small: -count is the length it needs, and the records stay in the session.

// From this size on, inbound and outbound bytes go to JavaScript as the session's own buffer
// (an external Buffer that frees it when collected) instead of a copy. Below it a copy is
// cheaper: an external Buffer costs a fresh allocation for the session's next bytes and a
// finalizer, and measured slower up to 64 KiB messages (see bench/NOTES.md).
constexpr size_t HAND_OVER_MIN = 1024 * 1024;
// Input of this size or more is fed after one reserve for all of it (no growth copies).
constexpr size_t RESERVE_MIN = 32 * 1024;
// Session.receive() feeds each input chunk with feed_in_place(): a whole single-frame message of
// at least this many bytes inside one chunk is unmasked where it lies and handed to JavaScript as
// a view of that chunk (no copy into the session, none into a new Buffer). The view keeps the
// whole chunk (one socket read, at most 64 KiB from Node's net) alive while the message is held,
// so shorter messages, where that retention would be out of all proportion, are copied as before.
constexpr size_t IN_PLACE_MIN = 1024;
// Session.receive(): a single-frame message of at least this many bytes that is not inside one
// chunk (it spans socket reads) is unmasked straight into a Buffer of its length, allocated when
// its header is parsed, and that Buffer is handed to JavaScript: one pass instead of three (copy
// into the session, unmask, copy out). Up to DIRECT_MAX, and never above maxMessageSize, which is
// what a header alone can make us allocate; larger messages take the copy path (and from
// HAND_OVER_MIN on are handed over without the copy out).
constexpr uint64_t DIRECT_MIN = 16 * 1024;
constexpr uint64_t DIRECT_MAX = 1024 * 1024;

// A Buffer over p_bytes' storage, which it frees when collected. Falls back to a copy where
// external buffers are not allowed.
napi_value hand_over(napi_env p_env, std::vector<uint8_t> &&p_bytes) {
	napi_value result = nullptr;
	std::vector<uint8_t> *owned = new std::vector<uint8_t>(std::move(p_bytes));
	const napi_status status = napi_create_external_buffer(
			p_env, owned->size(), owned->data(), [](napi_env, void *, void *p_hint) { delete static_cast<std::vector<uint8_t> *>(p_hint); },
			owned, &result);
	if (status != napi_ok) {
		napi_create_buffer_copy(p_env, owned->size(), owned->data(), nullptr, &result);
		delete owned;
	}
	return result;
}

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

// Feeds one chunk: in place (recording the chunk index of its in-input records) when p_core is given.
size_t feed_chunk(gdws::Session &p_session, SessionCore *p_core, uint32_t p_chunk, const uint8_t *p_data, size_t p_length,
		size_t p_message_room, size_t p_byte_room) {
	if (p_core == nullptr) {
		return p_session.feed(p_data, p_length, p_message_room, p_byte_room);
	}
	// The chunk's memory belongs to the caller of receive(), who hands it over (documented there).
	const size_t used = p_session.feed_in_place(const_cast<uint8_t *>(p_data), p_length, p_message_room, p_byte_room, IN_PLACE_MIN);
	p_core->record_chunks.resize(p_session.inbound_records().size(), p_chunk);
	return used;
}

// p_in_place: the core whose session feeds in place (Session.receive), or nullptr for feed().
bool feed_input(gdws::Session &p_session, napi_env p_env, napi_value p_input, size_t p_message_room, size_t p_byte_room, size_t &r_consumed,
		SessionCore *p_in_place = nullptr) {
	r_consumed = 0;
	const uint8_t *data = nullptr;
	size_t length = 0;
	if (p_in_place != nullptr) {
		p_in_place->record_chunks.resize(p_session.inbound_records().size(), UINT32_MAX);
	}
	if (uint8_array_arg(p_env, p_input, data, length)) {
		if (p_in_place != nullptr) {
			p_in_place->payload_env = length < HAND_OVER_MIN ? p_env : nullptr;
		}
		r_consumed = feed_chunk(p_session, p_in_place, 0, data, length, p_message_room, p_byte_room);
		return true;
	}
	bool is_array = false;
	napi_is_array(p_env, p_input, &is_array);
	if (!is_array) {
		return true; // null or nothing to feed
	}
	uint32_t count = 0;
	napi_get_array_length(p_env, p_input, &count);
	size_t total = 0;
	for (uint32_t i = 0; i < count; i++) {
		napi_value chunk;
		if (napi_get_element(p_env, p_input, i, &chunk) == napi_ok && uint8_array_arg(p_env, chunk, data, length)) {
			total += length;
		}
	}
	if (count > 1 && total >= RESERVE_MIN) {
		// Large input: room for all of it at once (it bounds the payload it can complete).
		p_session.reserve_inbound(total);
	}
	if (p_in_place != nullptr) {
		// Direct receive pays a Buffer per message; a poll of HAND_OVER_MIN or more is likely to
		// hand its whole store over without a copy out anyway, where that measured slower.
		p_in_place->payload_env = total < HAND_OVER_MIN ? p_env : nullptr;
	}
	for (uint32_t i = 0; i < count; i++) {
		napi_value chunk;
		if (napi_get_element(p_env, p_input, i, &chunk) != napi_ok || !uint8_array_arg(p_env, chunk, data, length)) {
			throw_type_error(p_env, "feed(): chunks must be Uint8Arrays");
			return false;
		}
		// The codec counts room per feed() call: shrink it by the data messages this chunk completed.
		const size_t before = p_session.inbound_records().size();
		const size_t used = feed_chunk(p_session, p_in_place, i, data, length, p_message_room, p_byte_room);
		r_consumed += used;
		const std::vector<gdws::Record> &records = p_session.inbound_records();
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

// Hands the Buffers of the taken in_host records (the oldest hosted ones, in order) to p_hosted_out
// and drops the session's references to them; after a failure, also those of an abandoned message.
void take_hosted(SessionCore &p_core, napi_env p_env, size_t p_count, napi_value p_hosted_out) {
	const size_t count = std::min(p_count, p_core.hosted.size());
	for (size_t j = 0; j < count; j++) {
		napi_value buffer;
		if (napi_get_reference_value(p_env, p_core.hosted[j], &buffer) == napi_ok && p_hosted_out != nullptr) {
			napi_set_element(p_env, p_hosted_out, uint32_t(j), buffer);
		}
		napi_delete_reference(p_env, p_core.hosted[j]);
	}
	p_core.hosted.erase(p_core.hosted.begin(), p_core.hosted.begin() + ptrdiff_t(count));
	if (p_core.session.is_failed()) {
		p_core.release_hosted(p_env);
	}
}

napi_value take_inbound_into(SessionCore &p_core, napi_env p_env, double *p_meta, size_t p_meta_length, napi_value p_hosted_out) {
	gdws::Session &p_session = p_core.session;
	napi_value result;
	const std::vector<gdws::Record> &records = p_session.inbound_records();
	const size_t needed = META_HEADER + records.size() * META_STRIDE;
	if (needed > p_meta_length) {
		p_meta[META_RECORDS] = -static_cast<double>(needed);
		napi_get_null(p_env, &result);
		return result;
	}
	p_meta[META_RECORDS] = static_cast<double>(records.size());
	double *out = p_meta + META_HEADER;
	size_t hosted = 0;
	for (size_t i = 0; i < records.size(); i++) {
		const gdws::Record &record = records[i];
		*out++ = static_cast<double>(record.kind);
		if (record.in_host) {
			*out++ = -2.0 - static_cast<double>(hosted++);
		} else {
			*out++ = record.in_input && i < p_core.record_chunks.size() ? static_cast<double>(p_core.record_chunks[i]) : -1.0;
		}
		*out++ = static_cast<double>(record.offset);
		*out++ = static_cast<double>(record.length);
	}
	p_core.record_chunks.clear();
	take_hosted(p_core, p_env, hosted, p_hosted_out);
	const std::vector<uint8_t> &bytes = p_session.inbound_bytes();
	if (records.empty() || bytes.empty()) {
		napi_get_null(p_env, &result);
	} else if (bytes.size() >= HAND_OVER_MIN) {
		return hand_over(p_env, p_session.release_inbound());
	} else {
		napi_create_buffer_copy(p_env, bytes.size(), bytes.data(), nullptr, &result);
	}
	p_session.clear_inbound();
	return result;
}

uint32_t state_flags(const gdws::Session &p_session) {
	uint32_t flags = 0;
	flags |= p_session.close_sent() ? uint32_t(StateFlag::CLOSE_SENT) : 0u;
	flags |= p_session.close_received() ? uint32_t(StateFlag::CLOSE_RECEIVED) : 0u;
	flags |= p_session.is_failed() ? uint32_t(StateFlag::FAILED) : 0u;
	flags |= p_session.wants_input() ? uint32_t(StateFlag::WANTS_INPUT) : 0u;
	return flags;
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
	} functions[] = {
		{ "create", &SessionWrap::_fast_create },
		{ "receive", &SessionWrap::_fast_receive },
		{ "takeInboundInto", &SessionWrap::_fast_take_inbound },
		{ "queueFast", &SessionWrap::_fast_queue },
		{ "takeOutputFast", &SessionWrap::_fast_take_output },
		{ "acknowledgeFast", &SessionWrap::_fast_acknowledge },
		{ "queuedBytesFast", &SessionWrap::_fast_queued_bytes },
	};
	for (const auto &entry : functions) {
		napi_value function;
		napi_create_function(p_env, entry.name, NAPI_AUTO_LENGTH, entry.callback, nullptr, &function);
		napi_set_named_property(p_env, session_class, entry.name, function);
	}
	return session_class;
}

napi_value SessionWrap::_create_handle(napi_env p_env, size_t p_argc, const napi_value *p_argv) {
	constexpr const char *USAGE = "Session(role, maxMessageSize, maxOutboundMessages, maxOutboundBytes, maskPool?, refill?)";
	double numbers[4];
	for (size_t i = 0; i < 4; i++) {
		if (i >= p_argc || napi_get_value_double(p_env, p_argv[i], &numbers[i]) != napi_ok) {
			return throw_type_error(p_env, USAGE);
		}
	}
	gdws::Config config;
	config.role = numbers[0] == 0 ? gdws::Role::CLIENT : gdws::Role::SERVER;
	config.limits.max_message_size = static_cast<uint64_t>(numbers[1]);
	config.limits.max_outbound_messages = static_cast<uint32_t>(numbers[2]);
	config.limits.max_outbound_bytes = static_cast<uint64_t>(numbers[3]);
	const uint8_t *pool_data = nullptr;
	size_t pool_length = 0;
	napi_valuetype refill_type = napi_undefined;
	if (config.role == gdws::Role::CLIENT) {
		if (p_argc < 6 || !uint8_array_arg(p_env, p_argv[4], pool_data, pool_length) || napi_typeof(p_env, p_argv[5], &refill_type) != napi_ok ||
				refill_type != napi_function) {
			return throw_type_error(p_env, "a client Session needs a mask pool (Uint8Array) and a refill function");
		}
		if (pool_length < 4 || pool_length % 4 != 0) {
			return throw_type_error(p_env, "the mask pool length must be a non-zero multiple of 4");
		}
	}
	SessionCore *core = new SessionCore(config);
	if (config.role == gdws::Role::CLIENT) {
		core->mask_pool = Napi::Persistent(Napi::Uint8Array(p_env, p_argv[4]));
		core->refill_mask_pool = Napi::Persistent(Napi::Function(p_env, p_argv[5]));
		core->mask_data = const_cast<uint8_t *>(pool_data);
		core->mask_length = pool_length;
	}
	napi_value handle;
	const napi_status status = napi_create_external(
			p_env, core,
			[](napi_env p_finalize_env, void *p_data, void *) {
				SessionCore *finalized = static_cast<SessionCore *>(p_data);
				finalized->release_hosted(p_finalize_env);
				delete finalized;
			},
			nullptr, &handle);
	if (status != napi_ok) {
		delete core;
		return nullptr;
	}
	return handle;
}

SessionCore *SessionWrap::_from_handle(napi_env p_env, napi_value p_handle) {
	void *pointer = nullptr;
	if (napi_get_value_external(p_env, p_handle, &pointer) != napi_ok || pointer == nullptr ||
			static_cast<SessionCore *>(pointer)->magic != SessionCore::MAGIC) {
		throw_type_error(p_env, "expected a Session handle");
		return nullptr;
	}
	return static_cast<SessionCore *>(pointer);
}

// new Session(role, maxMessageSize, maxOutboundMessages, maxOutboundBytes, maskPool?, refillMaskPool?)
// or new Session(handle): the method-style interface to a session made by Session.create().
SessionWrap::SessionWrap(const Napi::CallbackInfo &p_info) :
		Napi::ObjectWrap<SessionWrap>(p_info) {
	napi_env env = p_info.Env();
	napi_value handle = nullptr;
	if (p_info.Length() == 1 && p_info[0].IsExternal()) {
		handle = p_info[0];
	} else {
		napi_value argv[6];
		const size_t argc = std::min<size_t>(p_info.Length(), 6);
		for (size_t i = 0; i < argc; i++) {
			argv[i] = p_info[i];
		}
		handle = _create_handle(env, argc, argv);
	}
	if (handle == nullptr) {
		return; // exception pending
	}
	_core = _from_handle(env, handle);
	if (_core != nullptr) {
		_handle_ref = Napi::Persistent(Napi::External<SessionCore>(env, handle));
	}
}

gdws::Config SessionCore::with_hooks(gdws::Config p_config, SessionCore *p_core) {
	if (p_config.role == gdws::Role::CLIENT) {
		p_config.mask_source = &SessionCore::next_mask;
		p_config.mask_user = p_core;
	}
	p_config.payload_allocator = &SessionCore::allocate_payload;
	p_config.payload_user = p_core;
	p_config.direct_min_length = DIRECT_MIN;
	p_config.direct_max_length = DIRECT_MAX;
	return p_config;
}

// A Buffer of exactly p_length bytes, held until its record is taken; nullptr (copy path) outside
// Session.receive() or when it cannot be made.
uint8_t *SessionCore::allocate_payload(void *p_core, uint64_t p_length) {
	SessionCore *core = static_cast<SessionCore *>(p_core);
	napi_env env = core->payload_env;
	if (env == nullptr) {
		return nullptr;
	}
	void *data = nullptr;
	napi_value buffer;
	napi_ref ref;
	if (napi_create_buffer(env, size_t(p_length), &data, &buffer) != napi_ok || napi_create_reference(env, buffer, 1, &ref) != napi_ok) {
		napi_value ignored;
		napi_get_and_clear_last_exception(env, &ignored); // out of memory: the copy path will say so
		return nullptr;
	}
	core->hosted.push_back(ref);
	return static_cast<uint8_t *>(data);
}

void SessionCore::release_hosted(napi_env p_env, size_t p_from) {
	for (size_t j = p_from; j < hosted.size(); j++) {
		napi_delete_reference(p_env, hosted[j]);
	}
	hosted.resize(std::min(p_from, hosted.size()));
}

uint32_t SessionCore::next_mask(void *p_core) {
	SessionCore *core = static_cast<SessionCore *>(p_core);
	if (core->mask_index + 4 > core->mask_length) {
		core->refill_mask_pool.Call({ core->mask_pool.Value() });
		core->mask_index = 0;
	}
	const uint8_t *bytes = core->mask_data + core->mask_index;
	const uint32_t key = (uint32_t(bytes[0]) << 24) | (uint32_t(bytes[1]) << 16) | (uint32_t(bytes[2]) << 8) | bytes[3];
	core->mask_index += 4;
	return key;
}

// feed(input: Uint8Array | Uint8Array[] | null, messageRoom, byteRoom) -> bytes consumed in total.
// With an array, chunks are fed in order until one is not consumed whole (back-pressure or end of input).
Napi::Value SessionWrap::_feed(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	size_t consumed = 0;
	if (!feed_input(_core->session, env, p_info[0], room_arg(p_info[1]), room_arg(p_info[2]), consumed)) {
		return env.Undefined();
	}
	return Napi::Number::New(env, static_cast<double>(consumed));
}


// takeInbound() -> null | [bytes: Buffer, records: Float64Array of (kind, offset, length) triples]
Napi::Value SessionWrap::_take_inbound(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	const std::vector<gdws::Record> &records = _core->session.inbound_records();
	if (records.empty()) {
		return env.Null();
	}
	const std::vector<uint8_t> &bytes = _core->session.inbound_bytes();
	// Messages Session.receive() started in hosted Buffers (in_host) are copied in after the
	// session's bytes: this path always returns one buffer.
	size_t total = bytes.size();
	size_t hosted = 0;
	for (const gdws::Record &record : records) {
		if (record.in_host && hosted < _core->hosted.size()) {
			total += size_t(record.length);
			hosted++;
		}
	}
	Napi::Buffer<uint8_t> data = Napi::Buffer<uint8_t>::New(env, total);
	if (!bytes.empty()) {
		std::memcpy(data.Data(), bytes.data(), bytes.size());
	}
	Napi::Float64Array meta = Napi::Float64Array::New(env, records.size() * 3);
	double *out = meta.Data();
	size_t at = bytes.size();
	hosted = 0;
	for (const gdws::Record &record : records) {
		uint64_t offset = record.offset;
		if (record.in_host && hosted < _core->hosted.size()) {
			napi_value buffer;
			void *payload = nullptr;
			size_t length = 0;
			napi_get_reference_value(env, _core->hosted[hosted++], &buffer);
			napi_get_buffer_info(env, buffer, &payload, &length);
			std::memcpy(data.Data() + at, payload, std::min<size_t>(length, size_t(record.length)));
			offset = at;
			at += size_t(record.length);
		}
		*out++ = static_cast<double>(record.kind);
		*out++ = static_cast<double>(offset);
		*out++ = static_cast<double>(record.length);
	}
	take_hosted(*_core, env, hosted, nullptr);
	_core->session.clear_inbound();
	_core->record_chunks.clear();
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
	const gdws::Status status = _core->session.queue_message(opcode, payload.Data(), payload.ByteLength());
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
	// Codes outside int (Int32Value would wrap 2^32 + 1000 to 1000) may not go on the wire either.
	const double code = p_info[0].As<Napi::Number>().DoubleValue();
	const int wire_code = code >= 0 && code <= 65535 ? static_cast<int>(code) : -1;
	const gdws::Status status = _core->session.queue_close(wire_code, reason.Data(), reason.ByteLength());
	return Napi::Number::New(env, static_cast<double>(status));
}

// takeOutput() -> null | Buffer with every byte framed since the last call (still unacknowledged).
Napi::Value SessionWrap::_take_output(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	const size_t size = _core->session.output_size();
	if (size == 0) {
		return env.Null();
	}
	Napi::Buffer<uint8_t> data = Napi::Buffer<uint8_t>::Copy(env, _core->session.output_data(), size);
	_core->session.take_output(size);
	return data;
}

Napi::Value SessionWrap::_acknowledge(const Napi::CallbackInfo &p_info) {
	_core->session.acknowledge_output(static_cast<size_t>(p_info[0].As<Napi::Number>().DoubleValue()));
	return p_info.Env().Undefined();
}

Napi::Value SessionWrap::_set_transport_backlog(const Napi::CallbackInfo &p_info) {
	_core->session.set_transport_backlog(static_cast<uint64_t>(p_info[0].As<Napi::Number>().DoubleValue()));
	return p_info.Env().Undefined();
}

Napi::Value SessionWrap::_set_limits(const Napi::CallbackInfo &p_info) {
	_core->session.set_limits(read_limits(p_info, 0));
	return p_info.Env().Undefined();
}


Napi::Value SessionWrap::_state(const Napi::CallbackInfo &p_info) {
	return Napi::Number::New(p_info.Env(), state_flags(_core->session));
}

Napi::Value SessionWrap::_failure(const Napi::CallbackInfo &p_info) {
	return Napi::String::New(p_info.Env(), _core->session.is_failed() ? gdws::failure_name(_core->session.failure()) : "");
}

Napi::Value SessionWrap::_failure_close_code(const Napi::CallbackInfo &p_info) {
	return Napi::Number::New(p_info.Env(), _core->session.is_failed() ? gdws::failure_close_code(_core->session.failure()) : 0);
}

Napi::Value SessionWrap::_close_code(const Napi::CallbackInfo &p_info) {
	return Napi::Number::New(p_info.Env(), _core->session.received_close_code());
}

Napi::Value SessionWrap::_close_reason(const Napi::CallbackInfo &p_info) {
	const std::string &reason = _core->session.received_close_reason();
	return Napi::Buffer<uint8_t>::Copy(p_info.Env(), reinterpret_cast<const uint8_t *>(reason.data()), reason.size());
}

Napi::Value SessionWrap::_queued_count(const Napi::CallbackInfo &p_info) {
	return Napi::Number::New(p_info.Env(), _core->session.queued_message_count());
}

Napi::Value SessionWrap::_queued_bytes(const Napi::CallbackInfo &p_info) {
	return Napi::Number::New(p_info.Env(), static_cast<double>(_core->session.queued_payload_bytes()));
}

// handle() -> the External that owns this session, for the Session.* functions.
Napi::Value SessionWrap::_handle(const Napi::CallbackInfo &p_info) {
	(void)p_info;
	return _handle_ref.Value();
}

// Session.receive(handle, input, messageRoom, byteRoom, acknowledged, meta, hosted) -> Buffer | null.
// One call per poll: acknowledges written output, feeds the input (as feed(), but each chunk with
// feed_in_place(): the input chunks are MODIFIED, their consumed bytes belong to the session's
// messages from then on), and takes the completed records into meta (layout above), with the
// payload bytes of the records not in the input as the returned Buffer. Records of messages
// received straight into Buffers of their own (DIRECT_MIN) put those Buffers into `hosted`.
napi_value SessionWrap::_fast_receive(napi_env p_env, napi_callback_info p_info) {
	constexpr const char *USAGE = "receive(handle, input, messageRoom, byteRoom, acknowledged, meta, hosted: Array)";
	size_t argc = 7;
	napi_value argv[7];
	napi_get_cb_info(p_env, p_info, &argc, argv, nullptr, nullptr);
	SessionCore *core = argc == 7 ? _from_handle(p_env, argv[0]) : nullptr;
	if (core == nullptr) {
		return argc == 7 ? nullptr : throw_type_error(p_env, USAGE);
	}
	double message_room = 0, byte_room = 0, acknowledged = 0;
	double *meta = nullptr;
	size_t meta_length = 0;
	bool hosted_is_array = false;
	if (napi_get_value_double(p_env, argv[2], &message_room) != napi_ok || napi_get_value_double(p_env, argv[3], &byte_room) != napi_ok ||
			napi_get_value_double(p_env, argv[4], &acknowledged) != napi_ok || !float64_array_arg(p_env, argv[5], meta, meta_length) ||
			meta_length < META_HEADER || napi_is_array(p_env, argv[6], &hosted_is_array) != napi_ok || !hosted_is_array) {
		return throw_type_error(p_env, USAGE);
	}
	if (acknowledged > 0) {
		core->session.acknowledge_output(static_cast<size_t>(acknowledged));
	}
	size_t consumed = 0;
	const bool fed = feed_input(core->session, p_env, argv[1], room_from_double(message_room), room_from_double(byte_room), consumed, core);
	core->payload_env = nullptr;
	if (!fed) {
		return nullptr;
	}
	meta[META_CONSUMED] = static_cast<double>(consumed);
	meta[META_FLAGS] = static_cast<double>(state_flags(core->session));
	meta[META_OUTPUT] = static_cast<double>(core->session.output_size());
	return take_inbound_into(*core, p_env, meta, meta_length, argv[6]);
}

// Session.takeInboundInto(handle, meta, hosted) -> Buffer | null: the records receive() could not fit.
napi_value SessionWrap::_fast_take_inbound(napi_env p_env, napi_callback_info p_info) {
	size_t argc = 3;
	napi_value argv[3];
	napi_get_cb_info(p_env, p_info, &argc, argv, nullptr, nullptr);
	SessionCore *core = argc == 3 ? _from_handle(p_env, argv[0]) : nullptr;
	double *meta = nullptr;
	size_t meta_length = 0;
	bool hosted_is_array = false;
	if (core == nullptr || !float64_array_arg(p_env, argv[1], meta, meta_length) || meta_length < META_HEADER ||
			napi_is_array(p_env, argv[2], &hosted_is_array) != napi_ok || !hosted_is_array) {
		return core == nullptr && argc == 3 ? nullptr : throw_type_error(p_env, "takeInboundInto(handle, meta: Float64Array, hosted: Array)");
	}
	meta[META_CONSUMED] = 0;
	meta[META_FLAGS] = static_cast<double>(state_flags(core->session));
	meta[META_OUTPUT] = static_cast<double>(core->session.output_size());
	return take_inbound_into(*core, p_env, meta, meta_length, argv[2]);
}

// Session.queueFast(handle, opcode, payload: Uint8Array) -> gdws::Status
napi_value SessionWrap::_fast_queue(napi_env p_env, napi_callback_info p_info) {
	size_t argc = 3;
	napi_value argv[3];
	napi_get_cb_info(p_env, p_info, &argc, argv, nullptr, nullptr);
	SessionCore *core = argc == 3 ? _from_handle(p_env, argv[0]) : nullptr;
	uint32_t opcode = 0;
	const uint8_t *data = nullptr;
	size_t length = 0;
	if (core == nullptr || napi_get_value_uint32(p_env, argv[1], &opcode) != napi_ok || !uint8_array_arg(p_env, argv[2], data, length)) {
		return core == nullptr && argc == 3 ? nullptr : throw_type_error(p_env, "queueFast(handle, opcode, payload: Uint8Array)");
	}
	const gdws::Status status = core->session.queue_message(static_cast<gdws::Opcode>(opcode), data, length);
	napi_value result;
	napi_create_uint32(p_env, static_cast<uint32_t>(status), &result);
	return result;
}

// Session.takeOutputFast(handle) -> null | Buffer, as takeOutput().
napi_value SessionWrap::_fast_take_output(napi_env p_env, napi_callback_info p_info) {
	size_t argc = 1;
	napi_value argv[1];
	napi_get_cb_info(p_env, p_info, &argc, argv, nullptr, nullptr);
	SessionCore *core = argc == 1 ? _from_handle(p_env, argv[0]) : nullptr;
	if (core == nullptr) {
		return argc == 1 ? nullptr : throw_type_error(p_env, "takeOutputFast(handle)");
	}
	napi_value result;
	const size_t size = core->session.output_size();
	if (size == 0) {
		napi_get_null(p_env, &result);
		return result;
	}
	if (size >= HAND_OVER_MIN) {
		return hand_over(p_env, core->session.take_output_buffer());
	}
	napi_create_buffer_copy(p_env, size, core->session.output_data(), nullptr, &result);
	core->session.take_output(size);
	return result;
}

// Session.create(role, maxMessageSize, maxOutboundMessages, maxOutboundBytes, maskPool?, refill?)
// -> handle: a session without a wrapper object, freed when the handle is collected.
napi_value SessionWrap::_fast_create(napi_env p_env, napi_callback_info p_info) {
	size_t argc = 6;
	napi_value argv[6];
	napi_get_cb_info(p_env, p_info, &argc, argv, nullptr, nullptr);
	return _create_handle(p_env, std::min<size_t>(argc, 6), argv);
}

// Session.acknowledgeFast(handle, bytes), as acknowledge().
napi_value SessionWrap::_fast_acknowledge(napi_env p_env, napi_callback_info p_info) {
	size_t argc = 2;
	napi_value argv[2];
	napi_get_cb_info(p_env, p_info, &argc, argv, nullptr, nullptr);
	SessionCore *core = argc == 2 ? _from_handle(p_env, argv[0]) : nullptr;
	double bytes = 0;
	if (core == nullptr || napi_get_value_double(p_env, argv[1], &bytes) != napi_ok) {
		return core == nullptr && argc == 2 ? nullptr : throw_type_error(p_env, "acknowledgeFast(handle, bytes)");
	}
	core->session.acknowledge_output(static_cast<size_t>(bytes < 0 ? 0 : bytes));
	return nullptr;
}

// Session.queuedBytesFast(handle), as queuedBytes().
napi_value SessionWrap::_fast_queued_bytes(napi_env p_env, napi_callback_info p_info) {
	size_t argc = 1;
	napi_value argv[1];
	napi_get_cb_info(p_env, p_info, &argc, argv, nullptr, nullptr);
	SessionCore *core = argc == 1 ? _from_handle(p_env, argv[0]) : nullptr;
	if (core == nullptr) {
		return argc == 1 ? nullptr : throw_type_error(p_env, "queuedBytesFast(handle)");
	}
	napi_value result;
	napi_create_double(p_env, static_cast<double>(core->session.queued_payload_bytes()), &result);
	return result;
}

} // namespace gdws_node
