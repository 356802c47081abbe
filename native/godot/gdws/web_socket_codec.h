// WebSocketCodec for Godot 4 (engine module or GDExtension, see compat.h): one gdws::Session
// exposed to GDScript. Glue only: every protocol rule lives in native/codec. Mirrors
// ../gdnative3/src/web_socket_codec.h (Godot 3) method for method, so one GDScript drives both.
#pragma once

#include "compat.h"

#include <gdws/codec.h>

#include <memory>
#include <vector>

class WebSocketCodec : public RefCounted {
	GDCLASS(WebSocketCodec, RefCounted);

	std::unique_ptr<gdws::Session> _session;
	// Keys handed out first, in order (trace replay); Crypto supplies the rest.
	std::vector<uint32_t> _replay_keys;
	size_t _replay_index = 0;
	Ref<Crypto> _crypto;
	PackedByteArray _random_pool;
	int64_t _random_index = 0;

	static uint32_t _next_mask(void *p_user);

protected:
	static void _bind_methods();

public:
	enum Role {
		ROLE_CLIENT = 0, // gdws::Role::CLIENT
		ROLE_SERVER = 1, // gdws::Role::SERVER
	};

	WebSocketCodec();

	// role: ROLE_CLIENT or ROLE_SERVER. limits: optional keys max_message_size,
	// max_outbound_messages, max_outbound_bytes (codec defaults otherwise). Returns an Error.
	int64_t create(int64_t p_role, const Dictionary &p_limits);
	void set_limits(const Dictionary &p_limits);
	// Masking keys as they appear on the wire, 4 bytes each, used before any random key.
	void set_mask_keys(const PackedByteArray &p_wire_keys);

	///
	/// Inbound
	///

	int64_t feed(const PackedByteArray &p_data);
	int64_t feed_with_room(const PackedByteArray &p_data, int64_t p_message_room, int64_t p_byte_room);
	// [{ "kind": "text" | "binary" | "ping" | "pong", "data": PackedByteArray }, ...], oldest first.
	Array take_records();

	///
	/// Outbound (gdws::Status numbers: 0 OK, 1 INVALID_STATE, 2 INVALID_ARGUMENT, 3 QUEUE_FULL, 4 BUFFER_FULL)
	///

	int64_t queue_message(const String &p_kind, const PackedByteArray &p_data);
	int64_t queue_close(int64_t p_code, const PackedByteArray &p_reason);
	PackedByteArray take_output();
	void acknowledge_output(int64_t p_bytes);
	void set_transport_backlog(int64_t p_bytes);
	int64_t get_queued_message_count() const;
	int64_t get_queued_payload_bytes() const;

	///
	/// State
	///

	bool is_close_sent() const;
	bool is_close_received() const;
	bool is_closed() const;
	bool is_failed() const;
	bool wants_input() const;
	String get_failure() const; // "" or gdws::failure_name
	int64_t get_failure_close_code() const;
	int64_t get_received_close_code() const;
	String get_received_close_reason() const;
	PackedByteArray get_received_close_reason_bytes() const;

	///
	/// Handshake helpers. Dictionaries carry "result" (gdws::handshake::result_name, "OK" on
	/// success), "code" (its number) and "message" (result_message).
	///

	Dictionary find_header_end(const PackedByteArray &p_data) const; // + length
	String compute_accept(const String &p_key) const;
	String make_key(const PackedByteArray &p_random16) const;
	Dictionary parse_url(const String &p_url) const; // + tls, host, port, path
	// "" when p_url does not parse (check parse_url first).
	String build_client_request(const String &p_url, const String &p_key, const PackedStringArray &p_protocols, const PackedStringArray &p_extra_headers) const;
	Dictionary parse_server_response(const PackedByteArray &p_head, const String &p_key, const PackedStringArray &p_protocols) const; // + protocol
	Dictionary parse_client_request(const PackedByteArray &p_head, const PackedStringArray &p_supported) const; // + target, host, key, protocol, origin, offered_extensions
	String build_server_response(const String &p_key, const String &p_protocol, const PackedStringArray &p_extra_headers) const;
	String build_error_response(int64_t p_result_code) const;
	String close_code_reason(int64_t p_code) const;
};

VARIANT_ENUM_CAST(WebSocketCodec::Role);
