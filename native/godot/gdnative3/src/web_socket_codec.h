// WebSocketCodec for Godot 3 (GDNative / NativeScript, godot-cpp 3.2): one gdws::Session exposed
// to GDScript. Glue only: every protocol rule lives in native/codec. Mirrors ../../gdws/
// web_socket_codec.h (Godot 4) method for method.
#pragma once

#include <Array.hpp>
#include <Crypto.hpp>
#include <Dictionary.hpp>
#include <Godot.hpp>
#include <PoolArrays.hpp>
#include <Reference.hpp>
#include <String.hpp>

#include <gdws/codec.h>

#include <memory>
#include <vector>

namespace godot {

class WebSocketCodec : public Reference {
	GODOT_CLASS(WebSocketCodec, Reference)

	std::unique_ptr<gdws::Session> _session;
	// Keys handed out first, in order (trace replay); Crypto supplies the rest.
	std::vector<uint32_t> _replay_keys;
	size_t _replay_index = 0;
	Ref<Crypto> _crypto;
	PoolByteArray _random_pool;
	int _random_index = 0;

	static uint32_t _next_mask(void *p_user);

public:
	static void _register_methods();
	void _init();

	// role: 0 client, 1 server (gdws::Role). limits: optional keys max_message_size,
	// max_outbound_messages, max_outbound_bytes (codec defaults otherwise). Returns a Godot Error.
	int64_t create(int64_t p_role, Dictionary p_limits);
	void set_limits(Dictionary p_limits);
	// Masking keys as they appear on the wire, 4 bytes each, used before any random key.
	void set_mask_keys(PoolByteArray p_wire_keys);

	///
	/// Inbound
	///

	int64_t feed(PoolByteArray p_data);
	int64_t feed_with_room(PoolByteArray p_data, int64_t p_message_room, int64_t p_byte_room);
	// [{ "kind": "text" | "binary" | "ping" | "pong", "data": PoolByteArray }, ...], oldest first.
	Array take_records();

	///
	/// Outbound (gdws::Status numbers: 0 OK, 1 INVALID_STATE, 2 INVALID_ARGUMENT, 3 QUEUE_FULL, 4 BUFFER_FULL)
	///

	int64_t queue_message(String p_kind, PoolByteArray p_data);
	int64_t queue_close(int64_t p_code, PoolByteArray p_reason);
	PoolByteArray take_output();
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
	PoolByteArray get_received_close_reason_bytes() const;

	///
	/// Handshake helpers. Dictionaries carry "result" (gdws::handshake::result_name, "OK" on
	/// success), "code" (its number) and "message" (result_message).
	///

	Dictionary find_header_end(PoolByteArray p_data) const; // + length
	String compute_accept(String p_key) const;
	String make_key(PoolByteArray p_random16) const;
	Dictionary parse_url(String p_url) const; // + tls, host, port, path
	// "" when p_url does not parse (check parse_url first).
	String build_client_request(String p_url, String p_key, PoolStringArray p_protocols, PoolStringArray p_extra_headers) const;
	Dictionary parse_server_response(PoolByteArray p_head, String p_key, PoolStringArray p_protocols) const; // + protocol
	Dictionary parse_client_request(PoolByteArray p_head, PoolStringArray p_supported) const; // + target, host, key, protocol, origin, offered_extensions
	String build_server_response(String p_key, String p_protocol, PoolStringArray p_extra_headers) const;
	String build_error_response(int64_t p_result_code) const;
	String close_code_reason(int64_t p_code) const;
};

} // namespace godot
