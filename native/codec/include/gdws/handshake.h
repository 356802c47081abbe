// The opening handshake (RFC 6455 §4) and ws:// URL parsing as pure functions on strings.
// Hosts only move bytes; every rule about what is a valid request or response lives here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gdws {
namespace handshake {

// Largest request or response head accepted, CRLFCRLF included (Godot's WSL_MAX_HEADER_SIZE).
constexpr size_t MAX_HEADER_SIZE = 4096;
constexpr const char *GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// Why a URL, request or response was refused. Stable across releases (hosts map them to text).
enum class Result : uint8_t {
	OK = 0,
	INCOMPLETE, // find_header_end: no CRLFCRLF yet
	HEADER_TOO_LARGE, // no CRLFCRLF within MAX_HEADER_SIZE bytes
	// URL
	URL_EMPTY,
	URL_BAD_SCHEME, // not ws:// or wss://
	URL_BAD_HOST, // empty host, unbracketed IPv6, missing ']', no IPv6 in brackets, a byte no host may hold
	URL_BAD_PORT, // not an integer in 1..65535
	// Both directions
	TOO_FEW_LINES,
	BAD_HEADER_LINE, // a line without ':', a name that is not a token (obs-fold too), a control in a value
	MISSING_UPGRADE, // no Upgrade: websocket
	MISSING_CONNECTION, // no Connection header with the "upgrade" token
	// Client side (parsing the server's response)
	BAD_STATUS_LINE, // not "HTTP/1.1 101 ..."
	BAD_ACCEPT, // Sec-WebSocket-Accept missing or wrong
	UNEXPECTED_PROTOCOL, // server chose a protocol though none was offered, or one not offered
	MISSING_PROTOCOL, // protocols were offered and the server chose none
	UNEXPECTED_EXTENSION, // server answered with Sec-WebSocket-Extensions though none was offered
	// Server side (parsing the client's request)
	BAD_REQUEST_LINE, // not "GET <target> HTTP/1.1"
	BAD_VERSION, // Sec-WebSocket-Version missing or not 13 (answer 426 with "Sec-WebSocket-Version: 13")
	BAD_KEY, // Sec-WebSocket-Key missing or not base64 of 16 bytes
	NO_COMMON_PROTOCOL, // subprotocol rules of Godot (see parse_client_request)
	// Heads that are not HTTP at all (check_head_start), and RFC 7230 rules for the request
	TLS_FROM_CLIENT, // a TLS handshake record where a request should start: a wss:// client on a ws:// server
	TLS_FROM_SERVER, // a TLS record where a response should start: a ws:// client on a wss:// server
	BAD_HOST, // Host missing, repeated, or not host[:port] (RFC 7230 §5.4: 400)
	BAD_TARGET, // request-target neither "/path" nor an absolute http(s)/ws(s) URI, has a fragment or a byte outside visible ASCII
	TARGET_TOO_LONG, // the request line does not end within MAX_HEADER_SIZE bytes (RFC 7230 §3.1.1: 414)
	HAS_BODY, // Transfer-Encoding, or Content-Length other than 0: an upgrade request has no body (RFC 7230 §3.3.3)
};

const char *result_name(Result p_result); // "BAD_ACCEPT"
const char *result_message(Result p_result); // one English sentence for logs and close reasons

// Finds the end of an HTTP head. OK with r_length = bytes up to and including CRLFCRLF,
// INCOMPLETE, or HEADER_TOO_LARGE once p_len >= MAX_HEADER_SIZE without a terminator.
Result find_header_end(const uint8_t *p_data, size_t p_len, size_t *r_length);

// Which head a connection's first bytes must be: a client's request or a server's response.
enum class HeadKind : uint8_t {
	REQUEST = 0,
	RESPONSE = 1,
};
// Whether the first bytes of a head (complete or not) can still start a valid one, so a host can
// refuse at once what would otherwise wait for a CRLFCRLF that never comes. OK while they can.
// REQUEST: TLS_FROM_CLIENT for a TLS handshake record (0x16), BAD_REQUEST_LINE unless the bytes
// (after leading spaces) start "GET ", TARGET_TOO_LONG when MAX_HEADER_SIZE bytes hold no line end.
// RESPONSE: TLS_FROM_SERVER for a TLS record (0x15 alert, 0x16 handshake), BAD_STATUS_LINE unless
// they start "HTTP/1.1 ". parse_client_request / parse_server_response apply the same rule first.
Result check_head_start(const uint8_t *p_data, size_t p_len, HeadKind p_kind);

std::string base64_encode(const uint8_t *p_data, size_t p_len);
// base64(sha1(key + GUID)). RFC 6455: "dGhlIHNhbXBsZSBub25jZQ==" -> "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
std::string compute_accept(std::string_view p_key);
// base64 of 16 key bytes the host drew from a cryptographic RNG.
std::string make_key(const uint8_t p_random[16]);

///
/// URL (Godot's String::parse_url rules, see spec §5.1)
///

struct Url {
	bool tls = false; // wss://
	std::string host; // lower-cased, IPv6 without brackets
	uint16_t port = 0; // 80 / 443 when absent
	std::string path; // path + query, "/" when empty, fragment removed; controls, space, non-ASCII %-encoded
};
Result parse_url(std::string_view p_url, Url *r_url);

///
/// Client
///

struct ClientRequest {
	Url url;
	std::string key; // from make_key
	std::vector<std::string> protocols; // Sec-WebSocket-Protocol, joined with ","
	std::vector<std::string> extra_headers; // complete "Name: value" lines, emitted verbatim
};
// "GET <path> HTTP/1.1" + Host (":port" only when not the scheme default; IPv6 in brackets),
// Upgrade, Connection, Sec-WebSocket-Key, Sec-WebSocket-Version: 13, protocols (a repeated one
// once: RFC 6455 §4.1 wants them unique), extra headers.
std::string build_client_request(const ClientRequest &p_request);

// p_head: bytes up to and including CRLFCRLF. r_protocol receives the selected subprotocol; as in
// Godot, it also holds the server's Sec-WebSocket-Protocol when protocols were requested and that
// answer is refused for not being one of them.
// Both parse_* functions answer INCOMPLETE / HEADER_TOO_LARGE as find_header_end does for p_head and
// ignore bytes after the first CRLFCRLF. Empty header values are valid (RFC 7230).
Result parse_server_response(std::string_view p_head, std::string_view p_key,
		const std::vector<std::string> &p_requested_protocols, std::string *r_protocol);

///
/// Server
///

struct RequestInfo {
	std::string target; // request-target as sent (path + query, or an absolute URI)
	std::string path; // the target's path + query ("/..."), also of an absolute-form target
	std::string host; // Host header value, "" when absent
	std::string key; // Sec-WebSocket-Key
	std::string protocol; // selected subprotocol, "" for none
	std::string origin; // Origin header value, "" when absent
	std::vector<std::string> offered_extensions; // Sec-WebSocket-Extensions items, declined
};
// Subprotocols (Godot's rule): walk the client's offer in order and take the first entry that
// equals (case-sensitively) a supported one. An offer with no match, or no offer while the server
// supports some, is NO_COMMON_PROTOCOL.
// As Godot keeps what it parsed, r_info holds target, path and host as soon as the request line
// and the header syntax are valid, even when a later check fails.
// Every MUST of RFC 6455 §4.2.1 and RFC 7230 for this request, and where each is enforced, is
// listed in native/codec/test/test_handshake_rfc_audit.cpp.
Result parse_client_request(std::string_view p_head, const std::vector<std::string> &p_supported_protocols,
		RequestInfo *r_info);

// "HTTP/1.1 101 Switching Protocols", Upgrade, Connection, Sec-WebSocket-Accept, the protocol when
// not empty, then the extra header lines verbatim.
std::string build_server_response(std::string_view p_key, std::string_view p_protocol,
		const std::vector<std::string> &p_extra_headers);
// A complete HTTP error response with "Connection: close" for a refused request: 426 with
// "Sec-WebSocket-Version: 13" for BAD_VERSION, 414 for TARGET_TOO_LONG, 431 for HEADER_TOO_LARGE,
// otherwise 400 Bad Request.
std::string build_error_response(Result p_reason);

} // namespace handshake
} // namespace gdws
