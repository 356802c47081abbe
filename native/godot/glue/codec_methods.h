// Every method WebSocketCodec shows to GDScript, listed once for all Godot builds (Godot 3
// GDNative, Godot 4 engine module, Godot 4 GDExtension). Each build expands this list into its
// class's member functions (which forward to CodecGlue, codec_glue.h) and into its method
// registration, so the builds cannot drift apart.
//
// M(return type, name, (parameters), (arguments), (, "argument names"...))
// The types are names each build defines for its own Godot types:
//   Int     int64_t               Bool        bool
//   String  String                Bytes       PoolByteArray (3) / PackedByteArray (4)
//   Strings PoolStringArray / PackedStringArray
//   Dictionary, Array             void
// Session calls return gdws::Status numbers (status_name() names them) or Godot Error numbers
// (create, set_limits); handshake calls return Dictionaries with "result" (the
// gdws::handshake::Result name, "OK" on success), "code" (its number) and "message".
#pragma once

#define GDWS_UNPAREN(...) __VA_ARGS__

#define GDWS_CODEC_METHODS(M) \
	M(Int, create, (Int p_role, Dictionary p_limits), (p_role, p_limits), (, "role", "limits")) \
	M(Int, set_limits, (Dictionary p_limits), (p_limits), (, "limits")) \
	M(void, set_mask_keys, (Bytes p_wire_keys), (p_wire_keys), (, "wire_keys")) \
	M(Int, receive, (Array p_chunks, Int p_message_room, Int p_byte_room), (p_chunks, p_message_room, p_byte_room), \
			(, "chunks", "message_room", "byte_room")) \
	M(Array, take_records, (), (), ()) \
	M(Int, queue_message, (String p_kind, Bytes p_data), (p_kind, p_data), (, "kind", "data")) \
	M(Int, queue_close, (Int p_code, Bytes p_reason), (p_code, p_reason), (, "code", "reason")) \
	M(Bytes, take_output, (), (), ()) \
	M(void, acknowledge_output, (Int p_bytes), (p_bytes), (, "bytes")) \
	M(void, set_transport_backlog, (Int p_bytes), (p_bytes), (, "bytes")) \
	M(Int, get_queued_message_count, (), (), ()) \
	M(Int, get_queued_payload_bytes, (), (), ()) \
	M(Bool, is_close_sent, (), (), ()) \
	M(Bool, is_close_received, (), (), ()) \
	M(Bool, is_closed, (), (), ()) \
	M(Bool, is_failed, (), (), ()) \
	M(Bool, wants_input, (), (), ()) \
	M(String, get_failure, (), (), ()) \
	M(Int, get_failure_close_code, (), (), ()) \
	M(Int, get_received_close_code, (), (), ()) \
	M(String, get_received_close_reason, (), (), ()) \
	M(Bytes, get_received_close_reason_bytes, (), (), ()) \
	M(String, status_name, (Int p_status), (p_status), (, "status")) \
	M(String, close_code_reason, (Int p_code), (p_code), (, "code")) \
	M(Dictionary, find_header_end, (Bytes p_data), (p_data), (, "data")) \
	M(Dictionary, check_head_start, (Bytes p_data, Bool p_request), (p_data, p_request), (, "data", "request")) \
	M(String, compute_accept, (String p_key), (p_key), (, "key")) \
	M(String, make_key, (Bytes p_random16), (p_random16), (, "random16")) \
	M(Dictionary, parse_url, (String p_url), (p_url), (, "url")) \
	M(String, build_client_request, (String p_url, String p_key, Strings p_protocols, Strings p_extra_headers), \
			(p_url, p_key, p_protocols, p_extra_headers), (, "url", "key", "protocols", "extra_headers")) \
	M(Dictionary, parse_server_response, (Bytes p_head, String p_key, Strings p_protocols), (p_head, p_key, p_protocols), \
			(, "head", "key", "protocols")) \
	M(Dictionary, parse_client_request, (Bytes p_head, Strings p_supported), (p_head, p_supported), (, "head", "supported")) \
	M(String, build_server_response, (String p_key, String p_protocol, Strings p_extra_headers), \
			(p_key, p_protocol, p_extra_headers), (, "key", "protocol", "extra_headers")) \
	M(String, build_error_response, (Int p_result_code), (p_result_code), (, "result_code"))

// The member functions of a build's WebSocketCodec class: each forwards to its CodecGlue `_glue`.
#define GDWS_DECLARE_FORWARD(m_ret, m_name, m_params, m_args, m_names) \
	m_ret m_name m_params { return _glue.m_name m_args; }
