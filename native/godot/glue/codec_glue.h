// WebSocketCodec's behaviour, written once for every Godot build: one gdws::Session and the
// handshake functions of native/codec, handed to GDScript. Glue only: each method converts
// Godot values, calls the codec, and converts the answer back; every protocol rule is the codec's.
//
// CodecGlue<H> is instantiated by each build with its host H, which names the build's Godot types
// (see codec_methods.h) and converts them:
//   H::Reader              holds a Bytes value readable (data(), size()) while it lives
//   H::bytes(data, size)   -> Bytes              H::utf8(String) -> std::string
//   H::string(text)        -> String (UTF-8, NUL bytes kept)
//   H::utf8_list(Strings)  -> std::vector<std::string>
//   H::strings(list)       -> Strings
//   H::get_int(Dictionary, key, int64_t *) -> Lookup
//   H::set(Dictionary &, key, Int | Bool | String | Bytes | Strings)
//   H::size(Array), H::bytes_at(Array, index, Bytes *) -> bool, H::append(Array &, Dictionary)
//   H::random(uint8_t *, size) -> bool   bytes from Godot's Crypto
#pragma once

#include <gdws/codec.h>
#include <gdws/handshake.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gdws_godot {

// Godot's Error numbers (the same in Godot 3 and 4).
constexpr int64_t GODOT_OK = 0;
constexpr int64_t GODOT_ERR_INVALID_PARAMETER = 31;

enum class Lookup {
	MISSING,
	INT,
	NOT_INT,
};

// Record kinds and queue_message kinds as GDScript names them.
const char *kind_name(gdws::Opcode p_kind);
bool kind_from_name(std::string_view p_name, gdws::Opcode *r_kind);

// Limits from a Dictionary with any of max_message_size, max_outbound_messages and
// max_outbound_bytes over p_base. False (and r_limits untouched) for a negative or non-integer
// value, or a message count beyond 32 bits.
template <typename H>
bool limits_from(const typename H::Dictionary &p_limits, const gdws::Limits &p_base, gdws::Limits *r_limits) {
	gdws::Limits limits = p_base;
	int64_t value = 0;
	const char *const keys[] = { "max_message_size", "max_outbound_messages", "max_outbound_bytes" };
	for (int i = 0; i < 3; i++) {
		const Lookup found = H::get_int(p_limits, keys[i], &value);
		if (found == Lookup::MISSING) {
			continue;
		}
		if (found == Lookup::NOT_INT || value < 0 || (i == 1 && value > int64_t(UINT32_MAX))) {
			return false;
		}
		if (i == 0) {
			limits.max_message_size = uint64_t(value);
		} else if (i == 1) {
			limits.max_outbound_messages = uint32_t(value);
		} else {
			limits.max_outbound_bytes = uint64_t(value);
		}
	}
	*r_limits = limits;
	return true;
}

// Masking keys for client sessions: keys the host set (trace replay) first, in order, then keys
// drawn from Godot's Crypto, 64 at a time.
class MaskKeys {
public:
	using RandomSource = bool (*)(uint8_t *r_bytes, size_t p_count);

	explicit MaskKeys(RandomSource p_random) :
			_random(p_random) {}
	void set_replay(const uint8_t *p_wire_keys, size_t p_size);
	// gdws::MaskSource: p_user is the MaskKeys.
	static uint32_t next(void *p_user);

private:
	RandomSource _random;
	std::vector<uint32_t> _replay;
	size_t _replay_next = 0;
	uint8_t _pool[256] = {};
	size_t _pool_next = sizeof(_pool);
};

template <typename H>
class CodecGlue {
public:
	using Int = int64_t;
	using Bool = bool;
	using String = typename H::String;
	using Bytes = typename H::Bytes;
	using Strings = typename H::Strings;
	using Dictionary = typename H::Dictionary;
	using Array = typename H::Array;

	CodecGlue() { create(Int(gdws::Role::SERVER), Dictionary()); }

	///
	/// Session
	///

	// role: 0 client, 1 server (gdws::Role). Limits not given keep the codec's defaults.
	Int create(Int p_role, Dictionary p_limits) {
		gdws::Config config;
		if ((p_role != Int(gdws::Role::CLIENT) && p_role != Int(gdws::Role::SERVER)) ||
				!limits_from<H>(p_limits, gdws::Limits(), &config.limits)) {
			return GODOT_ERR_INVALID_PARAMETER;
		}
		config.role = gdws::Role(p_role);
		config.mask_source = &MaskKeys::next;
		config.mask_user = &_keys;
		// in_place_min_length stays "never": every payload is copied into a Godot array anyway, so
		// receive() lends its input read-only.
		_session.reset(new gdws::Session(config));
		return GODOT_OK;
	}

	Int set_limits(Dictionary p_limits) {
		gdws::Limits limits;
		if (!limits_from<H>(p_limits, _session->limits(), &limits)) {
			return GODOT_ERR_INVALID_PARAMETER;
		}
		_session->set_limits(limits);
		return GODOT_OK;
	}

	// Masking keys as they appear on the wire, 4 bytes each, used before any random key.
	void set_mask_keys(Bytes p_wire_keys) {
		typename H::Reader keys(p_wire_keys);
		_keys.set_replay(keys.data(), keys.size());
	}

	// The per-poll receive path, as the Node addon's: every chunk read since the last poll in
	// one codec call, within the room of the caller's queue (a negative room: no limit). Returns
	// the bytes consumed; -1 when an element is not a byte array.
	Int receive(Array p_chunks, Int p_message_room, Int p_byte_room) {
		const size_t count = H::size(p_chunks);
		std::vector<Bytes> arrays(count);
		std::vector<std::unique_ptr<typename H::Reader>> readers;
		std::vector<gdws::Chunk> chunks;
		readers.reserve(count);
		chunks.reserve(count);
		for (size_t i = 0; i < count; i++) {
			if (!H::bytes_at(p_chunks, i, &arrays[i])) {
				return -1;
			}
			readers.emplace_back(new typename H::Reader(arrays[i]));
			// Never written: in-place placement is off (see create()).
			chunks.push_back({ const_cast<uint8_t *>(readers.back()->data()), readers.back()->size() });
		}
		gdws::Room room;
		room.messages = p_message_room < 0 ? SIZE_MAX : size_t(p_message_room);
		room.bytes = p_byte_room < 0 ? UINT64_MAX : uint64_t(p_byte_room);
		return Int(_session->feed(chunks.data(), chunks.size(), room));
	}

	// [{"kind": "text" | "binary" | "ping" | "pong", "data": bytes}, ...], oldest first.
	Array take_records() {
		Array result;
		const std::vector<uint8_t> &bytes = _session->inbound_bytes();
		for (const gdws::Record &record : _session->inbound_records()) {
			Dictionary entry;
			H::set(entry, "kind", H::string(kind_name(record.kind)));
			H::set(entry, "data", H::bytes(bytes.data() + record.offset, size_t(record.length)));
			H::append(result, entry);
		}
		_session->clear_inbound();
		return result;
	}

	Int queue_message(String p_kind, Bytes p_data) {
		gdws::Opcode kind;
		if (!kind_from_name(H::utf8(p_kind), &kind)) {
			return Int(gdws::Status::INVALID_ARGUMENT);
		}
		typename H::Reader data(p_data);
		return Int(_session->queue_message(kind, data.data(), data.size()));
	}

	// A code outside int's range is passed as -1: the codec sends such codes as an empty close.
	Int queue_close(Int p_code, Bytes p_reason) {
		const int code = (p_code < INT32_MIN || p_code > INT32_MAX) ? -1 : int(p_code);
		typename H::Reader reason(p_reason);
		return Int(_session->queue_close(code, reason.data(), reason.size()));
	}

	// All output not yet taken; it counts against the outbound limits until acknowledged.
	Bytes take_output() {
		const size_t size = _session->output_size();
		Bytes result = H::bytes(_session->output_data(), size);
		_session->take_output(size);
		return result;
	}

	void acknowledge_output(Int p_bytes) { _session->acknowledge_output(p_bytes < 0 ? 0 : size_t(p_bytes)); }
	void set_transport_backlog(Int p_bytes) { _session->set_transport_backlog(p_bytes < 0 ? 0 : uint64_t(p_bytes)); }
	Int get_queued_message_count() { return Int(_session->queued_message_count()); }
	Int get_queued_payload_bytes() { return Int(_session->queued_payload_bytes()); }

	Bool is_close_sent() { return _session->close_sent(); }
	Bool is_close_received() { return _session->close_received(); }
	Bool is_closed() { return _session->is_closed(); }
	Bool is_failed() { return _session->is_failed(); }
	Bool wants_input() { return _session->wants_input(); }
	// "" or the gdws::Failure name.
	String get_failure() { return H::string(_session->is_failed() ? gdws::failure_name(_session->failure()) : ""); }
	// The close code the failure sent, -1 when the session has not failed.
	Int get_failure_close_code() { return _session->is_failed() ? Int(gdws::failure_close_code(_session->failure())) : -1; }
	// -1 before the peer's close, 1005 for a close without a code.
	Int get_received_close_code() { return Int(_session->received_close_code()); }
	String get_received_close_reason() { return H::string(_session->received_close_reason()); }
	Bytes get_received_close_reason_bytes() {
		const std::string &reason = _session->received_close_reason();
		return H::bytes(reinterpret_cast<const uint8_t *>(reason.data()), reason.size());
	}

	String status_name(Int p_status) {
		return H::string(p_status < 0 || p_status > 255 ? "UNKNOWN" : gdws::status_name(gdws::Status(p_status)));
	}
	String close_code_reason(Int p_code) {
		return H::string(gdws::close_code_reason(p_code < INT32_MIN || p_code > INT32_MAX ? -1 : int(p_code)));
	}

	///
	/// Handshake
	///

	// + "length": bytes up to and including CRLFCRLF (0 unless OK).
	Dictionary find_header_end(Bytes p_data) {
		typename H::Reader data(p_data);
		size_t length = 0;
		const gdws::handshake::Result found = gdws::handshake::find_header_end(data.data(), data.size(), &length);
		Dictionary result = result_dictionary(found);
		H::set(result, "length", Int(length));
		return result;
	}

	// p_request: the first bytes of a client's request (true) or of a server's response (false).
	Dictionary check_head_start(Bytes p_data, Bool p_request) {
		typename H::Reader data(p_data);
		const gdws::handshake::HeadKind kind = p_request ? gdws::handshake::HeadKind::REQUEST : gdws::handshake::HeadKind::RESPONSE;
		return result_dictionary(gdws::handshake::check_head_start(data.data(), data.size(), kind));
	}

	String compute_accept(String p_key) { return H::string(gdws::handshake::compute_accept(H::utf8(p_key))); }

	// "" unless given exactly 16 random bytes.
	String make_key(Bytes p_random16) {
		typename H::Reader random(p_random16);
		return H::string(random.size() == 16 ? gdws::handshake::make_key(random.data()) : std::string());
	}

	// + tls, host, port, path.
	Dictionary parse_url(String p_url) {
		gdws::handshake::Url url;
		Dictionary result = result_dictionary(gdws::handshake::parse_url(H::utf8(p_url), &url));
		H::set(result, "tls", Bool(url.tls));
		H::set(result, "host", H::string(url.host));
		H::set(result, "port", Int(url.port));
		H::set(result, "path", H::string(url.path));
		return result;
	}

	// "" when p_url does not parse (check parse_url first).
	String build_client_request(String p_url, String p_key, Strings p_protocols, Strings p_extra_headers) {
		gdws::handshake::ClientRequest request;
		if (gdws::handshake::parse_url(H::utf8(p_url), &request.url) != gdws::handshake::Result::OK) {
			return H::string("");
		}
		request.key = H::utf8(p_key);
		request.protocols = H::utf8_list(p_protocols);
		request.extra_headers = H::utf8_list(p_extra_headers);
		return H::string(gdws::handshake::build_client_request(request));
	}

	// + protocol.
	Dictionary parse_server_response(Bytes p_head, String p_key, Strings p_protocols) {
		typename H::Reader head(p_head);
		std::string protocol;
		const gdws::handshake::Result parsed = gdws::handshake::parse_server_response(
				text_of(head), H::utf8(p_key), H::utf8_list(p_protocols), &protocol);
		Dictionary result = result_dictionary(parsed);
		H::set(result, "protocol", H::string(protocol));
		return result;
	}

	// + target, path, host, key, protocol, origin, offered_extensions.
	Dictionary parse_client_request(Bytes p_head, Strings p_supported) {
		typename H::Reader head(p_head);
		gdws::handshake::RequestInfo info;
		const gdws::handshake::Result parsed = gdws::handshake::parse_client_request(text_of(head), H::utf8_list(p_supported), &info);
		Dictionary result = result_dictionary(parsed);
		H::set(result, "target", H::string(info.target));
		H::set(result, "path", H::string(info.path));
		H::set(result, "host", H::string(info.host));
		H::set(result, "key", H::string(info.key));
		H::set(result, "protocol", H::string(info.protocol));
		H::set(result, "origin", H::string(info.origin));
		H::set(result, "offered_extensions", H::strings(info.offered_extensions));
		return result;
	}

	String build_server_response(String p_key, String p_protocol, Strings p_extra_headers) {
		return H::string(gdws::handshake::build_server_response(H::utf8(p_key), H::utf8(p_protocol), H::utf8_list(p_extra_headers)));
	}

	// "" for a number that is no gdws::handshake::Result.
	String build_error_response(Int p_result_code) {
		if (p_result_code < 0 || p_result_code > 255 ||
				std::string_view(gdws::handshake::result_name(gdws::handshake::Result(p_result_code))) == "UNKNOWN") {
			return H::string("");
		}
		return H::string(gdws::handshake::build_error_response(gdws::handshake::Result(p_result_code)));
	}

private:
	static std::string_view text_of(const typename H::Reader &p_bytes) {
		return std::string_view(reinterpret_cast<const char *>(p_bytes.data()), p_bytes.size());
	}

	static Dictionary result_dictionary(gdws::handshake::Result p_result) {
		Dictionary result;
		H::set(result, "result", H::string(gdws::handshake::result_name(p_result)));
		H::set(result, "code", Int(p_result));
		H::set(result, "message", H::string(gdws::handshake::result_message(p_result)));
		return result;
	}

	MaskKeys _keys{ &H::random };
	std::unique_ptr<gdws::Session> _session;
};

} // namespace gdws_godot
