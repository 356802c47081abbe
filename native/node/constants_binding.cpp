#include "constants_binding.h"

#include "boundary.h"

#include <gdws/codec.h>
#include <gdws/handshake.h>

#include <string>

namespace gdws_node {

namespace {

struct Member {
	const char *name;
	double value;
};

Napi::Object members(Napi::Env p_env, std::initializer_list<Member> p_members) {
	Napi::Object object = Napi::Object::New(p_env);
	for (const Member &member : p_members) {
		object.Set(member.name, member.value);
	}
	return object;
}

// An enum whose names come from the codec's own naming function, for values 0, 1, ... up to
// the first the function does not know.
template <typename E>
Napi::Object named_enum(Napi::Env p_env, const char *(*p_name)(E)) {
	Napi::Object object = Napi::Object::New(p_env);
	for (int value = 0; value < 256; value++) {
		const std::string name = p_name(static_cast<E>(value));
		if (name == "UNKNOWN") {
			break;
		}
		object.Set(name, value);
	}
	return object;
}

template <typename E>
double number(E p_value) {
	return static_cast<double>(p_value);
}

} // namespace

void register_constants(Napi::Env p_env, Napi::Object p_exports) {
	using gdws::Opcode;
	using gdws::Role;
	Napi::Object constants = Napi::Object::New(p_env);
	constants.Set("gdws::Role", members(p_env, { { "CLIENT", number(Role::CLIENT) }, { "SERVER", number(Role::SERVER) } }));
	constants.Set("gdws::Opcode", members(p_env, {
			{ "CONTINUATION", number(Opcode::CONTINUATION) }, { "TEXT", number(Opcode::TEXT) }, { "BINARY", number(Opcode::BINARY) },
			{ "CLOSE", number(Opcode::CLOSE) }, { "PING", number(Opcode::PING) }, { "PONG", number(Opcode::PONG) } }));
	constants.Set("gdws::Status", named_enum(p_env, &gdws::status_name));
	constants.Set("gdws::Placement", members(p_env, {
			{ "SESSION", number(gdws::Placement::SESSION) }, { "INPUT", number(gdws::Placement::INPUT) },
			{ "OWN", number(gdws::Placement::OWN) } }));
	constants.Set("gdws::Failure", named_enum(p_env, &gdws::failure_name));
	namespace cc = gdws::close_code;
	constants.Set("gdws::close_code", members(p_env, {
			{ "NORMAL", cc::NORMAL }, { "PROTOCOL_ERROR", cc::PROTOCOL_ERROR }, { "NO_STATUS", cc::NO_STATUS },
			{ "ABNORMAL", cc::ABNORMAL }, { "INVALID_PAYLOAD", cc::INVALID_PAYLOAD }, { "MESSAGE_TOO_BIG", cc::MESSAGE_TOO_BIG } }));
	constants.Set("gdws::MAX_CONTROL_PAYLOAD", number(gdws::MAX_CONTROL_PAYLOAD));
	constants.Set("gdws::MAX_CLOSE_REASON", number(gdws::MAX_CLOSE_REASON));
	constants.Set("gdws::DEFAULT_BUFFER_SIZE", number(gdws::DEFAULT_BUFFER_SIZE));
	constants.Set("gdws::DEFAULT_MAX_QUEUED_PACKETS", number(gdws::DEFAULT_MAX_QUEUED_PACKETS));
	constants.Set("gdws::handshake::Result", named_enum(p_env, &gdws::handshake::result_name));
	constants.Set("gdws::handshake::MAX_HEADER_SIZE", number(gdws::handshake::MAX_HEADER_SIZE));
	constants.Set("gdws_node::StateFlag", members(p_env, {
			{ "CLOSE_SENT", number(StateFlag::CLOSE_SENT) }, { "CLOSE_RECEIVED", number(StateFlag::CLOSE_RECEIVED) },
			{ "FAILED", number(StateFlag::FAILED) }, { "WANTS_INPUT", number(StateFlag::WANTS_INPUT) } }));
	constants.Set("gdws_node::META_CONSUMED", number(META_CONSUMED));
	constants.Set("gdws_node::META_FLAGS", number(META_FLAGS));
	constants.Set("gdws_node::META_RECORDS", number(META_RECORDS));
	constants.Set("gdws_node::META_OUTPUT", number(META_OUTPUT));
	constants.Set("gdws_node::META_HEADER", number(META_HEADER));
	constants.Set("gdws_node::META_STRIDE", number(META_STRIDE));
	constants.Set("gdws_node::RECORD_KIND", number(RECORD_KIND));
	constants.Set("gdws_node::RECORD_PLACEMENT", number(RECORD_PLACEMENT));
	constants.Set("gdws_node::RECORD_CHUNK", number(RECORD_CHUNK));
	constants.Set("gdws_node::RECORD_OFFSET", number(RECORD_OFFSET));
	constants.Set("gdws_node::RECORD_LENGTH", number(RECORD_LENGTH));
	constants.Freeze();
	p_exports.Set("constants", constants);
}

} // namespace gdws_node
