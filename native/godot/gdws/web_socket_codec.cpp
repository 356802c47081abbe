#include "web_socket_codec.h"

#include <gdws/handshake.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace {

String string_from_utf8(const std::string &p_text) {
	return String::utf8(p_text.data(), static_cast<int>(p_text.size()));
}

std::string utf8_of(const String &p_text) {
	CharString utf8 = p_text.utf8();
	return std::string(utf8.get_data(), static_cast<size_t>(utf8.length()));
}

std::string bytes_of(const PackedByteArray &p_data) {
	return std::string(reinterpret_cast<const char *>(p_data.ptr()), static_cast<size_t>(p_data.size()));
}

PackedByteArray byte_array(const uint8_t *p_data, size_t p_len) {
	PackedByteArray result;
	result.resize(static_cast<int64_t>(p_len));
	if (p_len > 0) {
		memcpy(result.ptrw(), p_data, p_len);
	}
	return result;
}

std::vector<std::string> strings_of(const PackedStringArray &p_list) {
	std::vector<std::string> result;
	for (int64_t i = 0; i < p_list.size(); i++) {
		result.push_back(utf8_of(p_list[i]));
	}
	return result;
}

const char *kind_name(gdws::Opcode p_kind) {
	switch (p_kind) {
		case gdws::Opcode::TEXT:
			return "text";
		case gdws::Opcode::BINARY:
			return "binary";
		case gdws::Opcode::PING:
			return "ping";
		case gdws::Opcode::PONG:
			return "pong";
		default:
			return "unknown";
	}
}

bool kind_from_name(const String &p_kind, gdws::Opcode *r_kind) {
	static const gdws::Opcode kinds[] = { gdws::Opcode::TEXT, gdws::Opcode::BINARY, gdws::Opcode::PING, gdws::Opcode::PONG };
	for (gdws::Opcode kind : kinds) {
		if (p_kind == String(kind_name(kind))) {
			*r_kind = kind;
			return true;
		}
	}
	return false;
}

gdws::Limits limits_from(const Dictionary &p_limits, gdws::Limits p_base) {
	if (p_limits.has("max_message_size")) {
		p_base.max_message_size = static_cast<uint64_t>(static_cast<int64_t>(p_limits["max_message_size"]));
	}
	if (p_limits.has("max_outbound_messages")) {
		p_base.max_outbound_messages = static_cast<uint32_t>(static_cast<int64_t>(p_limits["max_outbound_messages"]));
	}
	if (p_limits.has("max_outbound_bytes")) {
		p_base.max_outbound_bytes = static_cast<uint64_t>(static_cast<int64_t>(p_limits["max_outbound_bytes"]));
	}
	return p_base;
}

size_t room_from(int64_t p_room) {
	return p_room < 0 ? SIZE_MAX : static_cast<size_t>(p_room);
}

Dictionary result_dictionary(gdws::handshake::Result p_result) {
	Dictionary result;
	result["result"] = String(gdws::handshake::result_name(p_result));
	result["code"] = static_cast<int64_t>(p_result);
	result["message"] = String(gdws::handshake::result_message(p_result));
	return result;
}

constexpr int64_t STATUS_INVALID_ARGUMENT = static_cast<int64_t>(gdws::Status::INVALID_ARGUMENT);

// Keys drawn from Crypto per refill: 64 keys.
constexpr int RANDOM_POOL_BYTES = 256;

} // namespace

void WebSocketCodec::_bind_methods() {
	ClassDB::bind_method(D_METHOD("create", "role", "limits"), &WebSocketCodec::create, DEFVAL(Dictionary()));
	ClassDB::bind_method(D_METHOD("set_limits", "limits"), &WebSocketCodec::set_limits);
	ClassDB::bind_method(D_METHOD("set_mask_keys", "wire_keys"), &WebSocketCodec::set_mask_keys);
	ClassDB::bind_method(D_METHOD("feed", "data"), &WebSocketCodec::feed);
	ClassDB::bind_method(D_METHOD("feed_with_room", "data", "message_room", "byte_room"), &WebSocketCodec::feed_with_room);
	ClassDB::bind_method(D_METHOD("take_records"), &WebSocketCodec::take_records);
	ClassDB::bind_method(D_METHOD("queue_message", "kind", "data"), &WebSocketCodec::queue_message);
	ClassDB::bind_method(D_METHOD("queue_close", "code", "reason"), &WebSocketCodec::queue_close);
	ClassDB::bind_method(D_METHOD("take_output"), &WebSocketCodec::take_output);
	ClassDB::bind_method(D_METHOD("acknowledge_output", "bytes"), &WebSocketCodec::acknowledge_output);
	ClassDB::bind_method(D_METHOD("set_transport_backlog", "bytes"), &WebSocketCodec::set_transport_backlog);
	ClassDB::bind_method(D_METHOD("get_queued_message_count"), &WebSocketCodec::get_queued_message_count);
	ClassDB::bind_method(D_METHOD("get_queued_payload_bytes"), &WebSocketCodec::get_queued_payload_bytes);
	ClassDB::bind_method(D_METHOD("is_close_sent"), &WebSocketCodec::is_close_sent);
	ClassDB::bind_method(D_METHOD("is_close_received"), &WebSocketCodec::is_close_received);
	ClassDB::bind_method(D_METHOD("is_closed"), &WebSocketCodec::is_closed);
	ClassDB::bind_method(D_METHOD("is_failed"), &WebSocketCodec::is_failed);
	ClassDB::bind_method(D_METHOD("wants_input"), &WebSocketCodec::wants_input);
	ClassDB::bind_method(D_METHOD("get_failure"), &WebSocketCodec::get_failure);
	ClassDB::bind_method(D_METHOD("get_failure_close_code"), &WebSocketCodec::get_failure_close_code);
	ClassDB::bind_method(D_METHOD("get_received_close_code"), &WebSocketCodec::get_received_close_code);
	ClassDB::bind_method(D_METHOD("get_received_close_reason"), &WebSocketCodec::get_received_close_reason);
	ClassDB::bind_method(D_METHOD("get_received_close_reason_bytes"), &WebSocketCodec::get_received_close_reason_bytes);
	ClassDB::bind_method(D_METHOD("find_header_end", "data"), &WebSocketCodec::find_header_end);
	ClassDB::bind_method(D_METHOD("compute_accept", "key"), &WebSocketCodec::compute_accept);
	ClassDB::bind_method(D_METHOD("make_key", "random16"), &WebSocketCodec::make_key);
	ClassDB::bind_method(D_METHOD("parse_url", "url"), &WebSocketCodec::parse_url);
	ClassDB::bind_method(D_METHOD("build_client_request", "url", "key", "protocols", "extra_headers"), &WebSocketCodec::build_client_request);
	ClassDB::bind_method(D_METHOD("parse_server_response", "head", "key", "protocols"), &WebSocketCodec::parse_server_response);
	ClassDB::bind_method(D_METHOD("parse_client_request", "head", "supported"), &WebSocketCodec::parse_client_request);
	ClassDB::bind_method(D_METHOD("build_server_response", "key", "protocol", "extra_headers"), &WebSocketCodec::build_server_response);
	ClassDB::bind_method(D_METHOD("build_error_response", "result_code"), &WebSocketCodec::build_error_response);
	ClassDB::bind_method(D_METHOD("close_code_reason", "code"), &WebSocketCodec::close_code_reason);

	BIND_ENUM_CONSTANT(ROLE_CLIENT);
	BIND_ENUM_CONSTANT(ROLE_SERVER);
}

WebSocketCodec::WebSocketCodec() {
	create(ROLE_SERVER, Dictionary());
}

uint32_t WebSocketCodec::_next_mask(void *p_user) {
	WebSocketCodec *self = static_cast<WebSocketCodec *>(p_user);
	if (self->_replay_index < self->_replay_keys.size()) {
		return self->_replay_keys[self->_replay_index++];
	}
	if (self->_random_index + 4 > self->_random_pool.size()) {
		if (self->_crypto.is_null()) {
			self->_crypto = GDWS_NEW_CRYPTO();
		}
		self->_random_pool = self->_crypto->generate_random_bytes(RANDOM_POOL_BYTES);
		self->_random_index = 0;
	}
	const uint8_t *key = self->_random_pool.ptr() + self->_random_index;
	self->_random_index += 4;
	return (uint32_t(key[0]) << 24) | (uint32_t(key[1]) << 16) | (uint32_t(key[2]) << 8) | uint32_t(key[3]);
}

int64_t WebSocketCodec::create(int64_t p_role, const Dictionary &p_limits) {
	if (p_role != ROLE_CLIENT && p_role != ROLE_SERVER) {
		return ERR_INVALID_PARAMETER;
	}
	gdws::Config config;
	config.role = static_cast<gdws::Role>(p_role);
	config.limits = limits_from(p_limits, gdws::Limits());
	config.mask_source = &WebSocketCodec::_next_mask;
	config.mask_user = this;
	_session.reset(new gdws::Session(config));
	return OK;
}

void WebSocketCodec::set_limits(const Dictionary &p_limits) {
	_session->set_limits(limits_from(p_limits, _session->limits()));
}

void WebSocketCodec::set_mask_keys(const PackedByteArray &p_wire_keys) {
	_replay_keys.clear();
	_replay_index = 0;
	for (int64_t i = 0; i + 4 <= p_wire_keys.size(); i += 4) {
		const uint8_t *key = p_wire_keys.ptr() + i;
		_replay_keys.push_back((uint32_t(key[0]) << 24) | (uint32_t(key[1]) << 16) | (uint32_t(key[2]) << 8) | uint32_t(key[3]));
	}
}

int64_t WebSocketCodec::feed(const PackedByteArray &p_data) {
	return feed_with_room(p_data, -1, -1);
}

int64_t WebSocketCodec::feed_with_room(const PackedByteArray &p_data, int64_t p_message_room, int64_t p_byte_room) {
	return static_cast<int64_t>(_session->feed(p_data.ptr(), static_cast<size_t>(p_data.size()), room_from(p_message_room), room_from(p_byte_room)));
}

Array WebSocketCodec::take_records() {
	Array result;
	const std::vector<uint8_t> &bytes = _session->inbound_bytes();
	for (const gdws::Record &record : _session->inbound_records()) {
		Dictionary entry;
		entry["kind"] = String(kind_name(record.kind));
		entry["data"] = byte_array(bytes.data() + record.offset, static_cast<size_t>(record.length));
		result.append(entry);
	}
	_session->clear_inbound();
	return result;
}

int64_t WebSocketCodec::queue_message(const String &p_kind, const PackedByteArray &p_data) {
	gdws::Opcode kind;
	if (!kind_from_name(p_kind, &kind)) {
		return STATUS_INVALID_ARGUMENT;
	}
	return static_cast<int64_t>(_session->queue_message(kind, p_data.ptr(), static_cast<size_t>(p_data.size())));
}

int64_t WebSocketCodec::queue_close(int64_t p_code, const PackedByteArray &p_reason) {
	if (p_code < 0 || p_code > 65535) {
		return STATUS_INVALID_ARGUMENT;
	}
	return static_cast<int64_t>(_session->queue_close(static_cast<int>(p_code), p_reason.ptr(), static_cast<size_t>(p_reason.size())));
}

PackedByteArray WebSocketCodec::take_output() {
	const size_t size = _session->output_size();
	PackedByteArray result = byte_array(_session->output_data(), size);
	_session->take_output(size);
	return result;
}

void WebSocketCodec::acknowledge_output(int64_t p_bytes) {
	_session->acknowledge_output(p_bytes < 0 ? 0 : static_cast<size_t>(p_bytes));
}

void WebSocketCodec::set_transport_backlog(int64_t p_bytes) {
	_session->set_transport_backlog(p_bytes < 0 ? 0 : static_cast<uint64_t>(p_bytes));
}

int64_t WebSocketCodec::get_queued_message_count() const {
	return _session->queued_message_count();
}

int64_t WebSocketCodec::get_queued_payload_bytes() const {
	return static_cast<int64_t>(_session->queued_payload_bytes());
}

bool WebSocketCodec::is_close_sent() const {
	return _session->close_sent();
}

bool WebSocketCodec::is_close_received() const {
	return _session->close_received();
}

bool WebSocketCodec::is_closed() const {
	return _session->is_closed();
}

bool WebSocketCodec::is_failed() const {
	return _session->is_failed();
}

bool WebSocketCodec::wants_input() const {
	return _session->wants_input();
}

String WebSocketCodec::get_failure() const {
	return _session->is_failed() ? String(gdws::failure_name(_session->failure())) : String();
}

int64_t WebSocketCodec::get_failure_close_code() const {
	return _session->is_failed() ? gdws::failure_close_code(_session->failure()) : -1;
}

int64_t WebSocketCodec::get_received_close_code() const {
	return _session->received_close_code();
}

String WebSocketCodec::get_received_close_reason() const {
	return string_from_utf8(_session->received_close_reason());
}

PackedByteArray WebSocketCodec::get_received_close_reason_bytes() const {
	const std::string &reason = _session->received_close_reason();
	return byte_array(reinterpret_cast<const uint8_t *>(reason.data()), reason.size());
}

Dictionary WebSocketCodec::find_header_end(const PackedByteArray &p_data) const {
	size_t length = 0;
	const gdws::handshake::Result found = gdws::handshake::find_header_end(p_data.ptr(), static_cast<size_t>(p_data.size()), &length);
	Dictionary result = result_dictionary(found);
	result["length"] = static_cast<int64_t>(found == gdws::handshake::Result::OK ? length : 0);
	return result;
}

String WebSocketCodec::compute_accept(const String &p_key) const {
	return string_from_utf8(gdws::handshake::compute_accept(utf8_of(p_key)));
}

String WebSocketCodec::make_key(const PackedByteArray &p_random16) const {
	if (p_random16.size() != 16) {
		return String();
	}
	return string_from_utf8(gdws::handshake::make_key(p_random16.ptr()));
}

Dictionary WebSocketCodec::parse_url(const String &p_url) const {
	gdws::handshake::Url url;
	const gdws::handshake::Result parsed = gdws::handshake::parse_url(utf8_of(p_url), &url);
	Dictionary result = result_dictionary(parsed);
	result["tls"] = url.tls;
	result["host"] = string_from_utf8(url.host);
	result["port"] = static_cast<int64_t>(url.port);
	result["path"] = string_from_utf8(url.path);
	return result;
}

String WebSocketCodec::build_client_request(const String &p_url, const String &p_key, const PackedStringArray &p_protocols, const PackedStringArray &p_extra_headers) const {
	gdws::handshake::ClientRequest request;
	if (gdws::handshake::parse_url(utf8_of(p_url), &request.url) != gdws::handshake::Result::OK) {
		return String();
	}
	request.key = utf8_of(p_key);
	request.protocols = strings_of(p_protocols);
	request.extra_headers = strings_of(p_extra_headers);
	return string_from_utf8(gdws::handshake::build_client_request(request));
}

Dictionary WebSocketCodec::parse_server_response(const PackedByteArray &p_head, const String &p_key, const PackedStringArray &p_protocols) const {
	std::string protocol;
	const gdws::handshake::Result parsed = gdws::handshake::parse_server_response(bytes_of(p_head), utf8_of(p_key), strings_of(p_protocols), &protocol);
	Dictionary result = result_dictionary(parsed);
	result["protocol"] = string_from_utf8(protocol);
	return result;
}

Dictionary WebSocketCodec::parse_client_request(const PackedByteArray &p_head, const PackedStringArray &p_supported) const {
	gdws::handshake::RequestInfo info;
	const gdws::handshake::Result parsed = gdws::handshake::parse_client_request(bytes_of(p_head), strings_of(p_supported), &info);
	Dictionary result = result_dictionary(parsed);
	result["target"] = string_from_utf8(info.target);
	result["host"] = string_from_utf8(info.host);
	result["key"] = string_from_utf8(info.key);
	result["protocol"] = string_from_utf8(info.protocol);
	result["origin"] = string_from_utf8(info.origin);
	PackedStringArray extensions;
	for (const std::string &extension : info.offered_extensions) {
		extensions.append(string_from_utf8(extension));
	}
	result["offered_extensions"] = extensions;
	return result;
}

String WebSocketCodec::build_server_response(const String &p_key, const String &p_protocol, const PackedStringArray &p_extra_headers) const {
	return string_from_utf8(gdws::handshake::build_server_response(utf8_of(p_key), utf8_of(p_protocol), strings_of(p_extra_headers)));
}

String WebSocketCodec::build_error_response(int64_t p_result_code) const {
	if (p_result_code < 0 || p_result_code > static_cast<int64_t>(gdws::handshake::Result::NO_COMMON_PROTOCOL)) {
		return String();
	}
	return string_from_utf8(gdws::handshake::build_error_response(static_cast<gdws::handshake::Result>(p_result_code)));
}

String WebSocketCodec::close_code_reason(int64_t p_code) const {
	return String(gdws::close_code_reason(static_cast<int>(p_code)));
}
