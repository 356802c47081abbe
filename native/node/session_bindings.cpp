// Session.create, setLimits and closeStatus, and the table of every Session function.
#include "session_bindings.h"

#include "session_call.h"
#include "session_core.h"

#include <string>

namespace gdws_node {

namespace {

// A message of at least this many bytes that lies whole in one socket chunk is unmasked there and
// handed to JavaScript as a view of that chunk (Config::in_place_min_length). The view keeps the
// whole chunk (one socket read, at most 64 KiB from Node's net) alive while the message is held,
// so shorter messages, where that retention would be out of all proportion and the view costs
// what the copy saves, are copied (measured: bench/NOTES.md).
constexpr uint64_t IN_PLACE_MIN = 1024;
// A single-frame message of at least this many bytes that is not in place is unmasked into a
// buffer of its own (Config::own_buffer_min_length) and handed to JavaScript whole, with no copy
// out; below it, a copy out of the session's store is cheaper than an external Buffer per message
// (measured: bench/NOTES.md).
constexpr uint64_t OWN_MIN = 1024 * 1024;

gdws::Limits read_limits(SessionCall &p_call, size_t p_first) {
	gdws::Limits limits;
	limits.max_message_size = static_cast<uint64_t>(p_call.room(p_first));
	const size_t messages = p_call.room(p_first + 1);
	limits.max_outbound_messages = messages >= UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(messages);
	limits.max_outbound_bytes = static_cast<uint64_t>(p_call.room(p_first + 2));
	return limits;
}

// create(role, maxMessageSize, maxOutboundMessages, maxOutboundBytes, maskPool?, refill?) -> handle
napi_value session_create(napi_env p_env, napi_callback_info p_info) {
	SessionCall call(p_env, p_info, "create(role, maxMessageSize, maxOutboundMessages, maxOutboundBytes, maskPool?, refill?)", 4, false);
	gdws::Config config;
	config.role = call.number(0) == 0 ? gdws::Role::CLIENT : gdws::Role::SERVER;
	config.limits = read_limits(call, 1);
	config.in_place_min_length = IN_PLACE_MIN;
	config.own_buffer_min_length = OWN_MIN;
	if (!call.ok()) {
		return call.fail();
	}
	return create_session_handle(p_env, config, call.has(4) ? call.arg(4) : nullptr, call.has(5) ? call.arg(5) : nullptr);
}

// setLimits(handle, maxMessageSize, maxOutboundMessages, maxOutboundBytes)
napi_value session_set_limits(napi_env p_env, napi_callback_info p_info) {
	SessionCall call(p_env, p_info, "setLimits(handle, maxMessageSize, maxOutboundMessages, maxOutboundBytes)", 4);
	const gdws::Limits limits = read_limits(call, 1);
	if (!call.ok()) {
		return call.fail();
	}
	call.core().session.set_limits(limits);
	return call.undefined();
}

// closeStatus(handle) -> [failure name or "", its close code or 0, peer's close code (-1 none,
// 1005 empty body), peer's close reason]
napi_value session_close_status(napi_env p_env, napi_callback_info p_info) {
	SessionCall call(p_env, p_info, "closeStatus(handle)", 1);
	if (!call.ok()) {
		return call.fail();
	}
	const gdws::Session &session = call.core().session;
	const bool failed = session.is_failed();
	const std::string &reason = session.received_close_reason();
	napi_value result, values[4];
	napi_create_string_utf8(p_env, failed ? gdws::failure_name(session.failure()) : "", NAPI_AUTO_LENGTH, &values[0]);
	napi_create_int32(p_env, failed ? gdws::failure_close_code(session.failure()) : 0, &values[1]);
	napi_create_int32(p_env, session.received_close_code(), &values[2]);
	napi_create_string_utf8(p_env, reason.data(), reason.size(), &values[3]); // the codec checked it is UTF-8
	napi_create_array_with_length(p_env, 4, &result);
	for (uint32_t i = 0; i < 4; i++) {
		napi_set_element(p_env, result, i, values[i]);
	}
	return result;
}

} // namespace

void register_session_bindings(Napi::Env p_env, Napi::Object p_exports) {
	static const struct {
		const char *name;
		napi_callback callback;
	} functions[] = {
		{ "create", &session_create },
		{ "receive", &session_receive },
		{ "queue", &session_queue },
		{ "queueAlone", &session_queue_alone },
		{ "queueClose", &session_queue_close },
		{ "takeOutput", &session_take_output },
		{ "acknowledge", &session_acknowledge },
		{ "queuedBytes", &session_queued_bytes },
		{ "setLimits", &session_set_limits },
		{ "closeStatus", &session_close_status },
	};
	Napi::Object session = Napi::Object::New(p_env);
	for (const auto &entry : functions) {
		napi_value function;
		napi_create_function(p_env, entry.name, NAPI_AUTO_LENGTH, entry.callback, nullptr, &function);
		session.Set(entry.name, Napi::Value(p_env, function));
	}
	session.Freeze();
	p_exports.Set("Session", session);
}

} // namespace gdws_node
