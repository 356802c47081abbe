// Audit of the opening handshake against every MUST of RFC 6455 §4.2.1 (what a server reads) and
// of RFC 7230 for that request, plus the client's MUSTs for the response (RFC 6455 §4.1). Each
// row names the rule, where it is enforced and the test below that shows it. A refused request is
// answered with build_error_response(result) by the host, then the connection is closed.
//
// | # | rule (MUST unless noted)                                                     | enforced in (native/codec/src/handshake.cpp)          | test                     |
// |---|------------------------------------------------------------------------------|-------------------------------------------------------|--------------------------|
// | 1 | 6455 §4.2.1.1 / 7230 §3.1.1: a GET (method case-sensitive)                   | parse_client_request, request line → BAD_REQUEST_LINE | "audit 1"                |
// | 2 | 6455 §4.2.1.1 / 7230 §2.6: HTTP/1.1 (version case-sensitive; 1.0 refused)    | parse_client_request, request line → BAD_REQUEST_LINE | "audit 2"                |
// | 3 | 6455 §4.2.1.1 / 7230 §5.3: target is a resource name or an absolute URI      | _request_path → BAD_TARGET                            | "audit 3"                |
// | 4 | 7230 §5.3.2: a server MUST accept the absolute-form                           | _request_path (http, https, ws, wss)                  | "audit 4"                |
// | 5 | 7230 §2.7.1: an http URI with an empty host MUST be rejected                  | _request_path → is_valid_authority → BAD_TARGET       | "audit 5"                |
// | 6 | 6455 §3: fragments MUST NOT be used in WebSocket URIs                          | _request_path → BAD_TARGET                            | "audit 6"                |
// | 7 | 7230 §3.1.1: a request-target too long to parse → 414                          | check_head_start → TARGET_TOO_LONG → 414              | "audit 7"                |
// | 8 | 6455 §4.2.1.2 / 7230 §5.4: exactly one Host, valid host[:port], else 400      | parse_client_request → BAD_HOST                       | "audit 8"                |
// | 9 | 6455 §4.2.1.3: Upgrade contains "websocket", case-insensitive                 | _has_websocket_upgrade (list) → MISSING_UPGRADE       | "audit 9"                |
// |10 | 6455 §4.2.1.4: Connection includes the "Upgrade" token, case-insensitive      | _has_upgrade_connection → MISSING_CONNECTION          | "audit 10"               |
// |11 | 6455 §4.2.1.5: Sec-WebSocket-Key is base64 of 16 bytes                         | _is_valid_key → BAD_KEY                               | "audit 11"               |
// |12 | 6455 §11.3.1: Sec-WebSocket-Key not repeated                                   | repeated values join ("k,k") → BAD_KEY                | "audit 12"               |
// |13 | 6455 §4.2.1.6: Sec-WebSocket-Version is 13                                     | parse_client_request → BAD_VERSION                    | "audit 13"               |
// |14 | 6455 §4.2.2: a version mismatch is answered 426 with Sec-WebSocket-Version     | build_error_response(BAD_VERSION)                     | "audit 14"               |
// |15 | 6455 §11.3.5: Sec-WebSocket-Version not repeated                               | repeated values join ("13,13") → BAD_VERSION          | "audit 15"               |
// |16 | 6455 §4.2.1: a handshake that does not match MUST be answered with an HTTP     | build_error_response (400/414/426/431) + host; bytes  | "audit 16"               |
// |   |   error (e.g. 400); we also refuse at once bytes that cannot start a GET       |   that cannot start one: check_head_start             |                          |
// |17 | 7230 §3: whitespace before the first header line: reject or ignore            | field-name must be a token → BAD_HEADER_LINE          | "audit 17"               |
// |18 | 7230 §3.2.4: whitespace between field-name and colon → 400                     | field-name must be a token → BAD_HEADER_LINE          | "audit 18"               |
// |19 | 7230 §3.2.4: obs-fold → 400 (or unfold)                                        | continuation line's name is not a token → BAD_HEADER_LINE | "audit 19"           |
// |20 | 7230 §3.2: field-name is a token; field-value has no CTL but HTAB              | _parse_header_line → BAD_HEADER_LINE                  | "audit 20"               |
// |21 | 7230 §3.5 / 9112 §2.2: no bare CR or LF inside a line                          | _has_control → BAD_HEADER_LINE / BAD_REQUEST_LINE     | "audit 21"               |
// |22 | 7230 §3.2.2: a repeated list header is the joined list                         | _parse_header_line joins with ","                     | "audit 22"               |
// |23 | 7230 §3.2.5: a header section larger than we process → a 4xx (431)             | find_header_end → HEADER_TOO_LARGE → 431              | "audit 23"               |
// |24 | 7230 §3.3.3: Transfer-Encoding or a bad Content-Length → 400 (an upgrade has   | _has_body → HAS_BODY                                  | "audit 24"               |
// |   |   no body here: its next bytes are frames)                                     |                                                       |                          |
// |25 | 6455 §4.1 (client): status 101, else fail; not HTTP at all fails at once        | parse_server_response, check_head_start               | "audit 25"               |
// |26 | 6455 §4.1 (client): Upgrade exactly "websocket"; Connection has "Upgrade"      | parse_server_response → MISSING_UPGRADE / _CONNECTION | "audit 26"               |
// |27 | 6455 §4.1 (client): Sec-WebSocket-Accept = base64(SHA-1(key + GUID))            | parse_server_response → BAD_ACCEPT                    | "audit 27"               |
// |28 | 6455 §4.1 (client): no extension or protocol that was not requested             | parse_server_response → UNEXPECTED_EXTENSION / _PROTOCOL | "audit 28"            |
// |29 | 6455 §4.1 (client request): offered protocols unique                            | build_client_request drops repeats                    | "audit 29"               |
//
// Not enforced, on purpose (none is a MUST for a server): the Host value is not compared with our
// own address (behind names and proxies a server cannot know it); request-target characters are
// checked only for being visible ASCII, not against RFC 3986's grammar; Origin is not required
// (non-browser clients send none) nor restricted; leading empty lines before the request line
// (7230 §3.5, SHOULD ignore) are refused; a subprotocol name is not checked for being a token.
#include "check.h"
#include "gdws/handshake.h"
#include "handshake_heads.h"

#include <string>
#include <vector>

using namespace gdws::handshake;

static std::vector<std::string> headers_with(const std::vector<std::string> &p_more = {}, const std::string &p_drop = "") {
	std::vector<std::string> out;
	for (const std::string &line : { std::string("Host: example.com"), std::string("Upgrade: websocket"), std::string("Connection: Upgrade"),
				 std::string("Sec-WebSocket-Key: ") + KEY, std::string("Sec-WebSocket-Version: 13") }) {
		if (p_drop.empty() || line.rfind(p_drop, 0) != 0) {
			out.push_back(line);
		}
	}
	out.insert(out.end(), p_more.begin(), p_more.end());
	return out;
}

static Result request(const std::string &p_line, const std::vector<std::string> &p_more = {}, const std::string &p_drop = "") {
	return parse_client_request(head(p_line, headers_with(p_more, p_drop)), {}, nullptr);
}

static Result start(const std::string &p_bytes, HeadKind p_kind) {
	return check_head_start(reinterpret_cast<const uint8_t *>(p_bytes.data()), p_bytes.size(), p_kind);
}

static std::string status_of(Result p_result) {
	const std::string response = build_error_response(p_result);
	return response.substr(9, 3);
}

static std::vector<std::string> response_headers(const std::vector<std::string> &p_more = {}, const std::string &p_drop = "") {
	std::vector<std::string> out;
	for (const std::string &line : { std::string("Upgrade: websocket"), std::string("Connection: Upgrade"), std::string("Sec-WebSocket-Accept: ") + ACCEPT }) {
		if (p_drop.empty() || line.rfind(p_drop, 0) != 0) {
			out.push_back(line);
		}
	}
	out.insert(out.end(), p_more.begin(), p_more.end());
	return out;
}

static Result response(const std::string &p_status, const std::vector<std::string> &p_more = {}, const std::string &p_drop = "",
		const std::vector<std::string> &p_protocols = {}) {
	std::string selected;
	return parse_server_response(head(p_status, response_headers(p_more, p_drop)), KEY, p_protocols, &selected);
}

TEST("audit 1: the method is GET, case-sensitive") {
	CHECK_EQ(request("GET / HTTP/1.1"), Result::OK);
	for (const char *line : { "get / HTTP/1.1", "POST / HTTP/1.1", "HEAD / HTTP/1.1", "GETX / HTTP/1.1" }) {
		CHECK_EQ(request(line), Result::BAD_REQUEST_LINE);
	}
}

TEST("audit 2: the version is HTTP/1.1, case-sensitive") {
	for (const char *line : { "GET / HTTP/1.0", "GET / http/1.1", "GET / HTTP/2.0", "GET / HTTP/1.1 extra", "GET /" }) {
		CHECK_EQ(request(line), Result::BAD_REQUEST_LINE);
	}
}

TEST("audit 3: the target is a path or an absolute URI, in visible ASCII") {
	CHECK_EQ(request("GET /chat?room=1&x=%20 HTTP/1.1"), Result::OK);
	for (const char *line : { "GET * HTTP/1.1", "GET chat HTTP/1.1", "GET example.com:80 HTTP/1.1", "GET ftp://example.com/ HTTP/1.1",
			 "GET /caf\xc3\xa9 HTTP/1.1" }) {
		CHECK_EQ(request(line), Result::BAD_TARGET);
	}
	CHECK_EQ(request("GET /\x7f HTTP/1.1"), Result::BAD_REQUEST_LINE); // a control in the request line
}

TEST("audit 4: the absolute-form is accepted, its path reported") {
	RequestInfo info;
	CHECK_EQ(parse_client_request(head("GET ws://example.com:9080/chat?x=1 HTTP/1.1", headers_with()), {}, &info), Result::OK);
	CHECK_EQ(info.target, std::string("ws://example.com:9080/chat?x=1"));
	CHECK_EQ(info.path, std::string("/chat?x=1"));
	for (const char *target : { "http://example.com", "HTTPS://example.com/", "wss://[::1]:1/a", "WS://h?q" }) {
		CHECK_EQ(parse_client_request(head(std::string("GET ") + target + " HTTP/1.1", headers_with()), {}, &info), Result::OK);
		CHECK_EQ(info.path.rfind('/', 0), size_t(0));
	}
}

TEST("audit 5: an absolute URI with an empty host or userinfo is refused") {
	for (const char *line : { "GET http:///x HTTP/1.1", "GET ws://:80/ HTTP/1.1", "GET ws://user@host/ HTTP/1.1", "GET ws:// HTTP/1.1" }) {
		CHECK_EQ(request(line), Result::BAD_TARGET);
	}
}

TEST("audit 6: a fragment is refused") {
	CHECK_EQ(request("GET /chat#top HTTP/1.1"), Result::BAD_TARGET);
	CHECK_EQ(request("GET ws://h/#x HTTP/1.1"), Result::BAD_TARGET);
}

TEST("audit 7: a request line that does not end within 4096 bytes is 414") {
	const std::string line = "GET /" + std::string(MAX_HEADER_SIZE, 'a');
	CHECK_EQ(start(line, HeadKind::REQUEST), Result::TARGET_TOO_LONG);
	CHECK_EQ(start(line.substr(0, MAX_HEADER_SIZE - 1), HeadKind::REQUEST), Result::OK); // may still end
	CHECK_EQ(parse_client_request(line, {}, nullptr), Result::TARGET_TOO_LONG);
	CHECK_EQ(status_of(Result::TARGET_TOO_LONG), std::string("414"));
	// A long head whose request line ended is a header-size problem instead (431).
	CHECK_EQ(start("GET / HTTP/1.1\r\nX: " + std::string(MAX_HEADER_SIZE, 'x'), HeadKind::REQUEST), Result::OK);
}

TEST("audit 8: exactly one Host with a valid value") {
	CHECK_EQ(request("GET / HTTP/1.1", {}, "Host"), Result::BAD_HOST);
	CHECK_EQ(request("GET / HTTP/1.1", { "Host: example.com" }), Result::BAD_HOST);
	CHECK_EQ(request("GET / HTTP/1.1", { "Host: a b" }, "Host"), Result::BAD_HOST);
	CHECK_EQ(request("GET / HTTP/1.1", { "Host:" }, "Host"), Result::BAD_HOST);
	CHECK_EQ(request("GET / HTTP/1.1", { "host: [::1]:9080" }, "Host"), Result::OK);
	CHECK_EQ(status_of(Result::BAD_HOST), std::string("400"));
}

TEST("audit 9: Upgrade contains websocket, case-insensitive") {
	CHECK_EQ(request("GET / HTTP/1.1", { "Upgrade: WebSocket" }, "Upgrade"), Result::OK);
	CHECK_EQ(request("GET / HTTP/1.1", { "Upgrade: foo, websocket" }, "Upgrade"), Result::OK);
	CHECK_EQ(request("GET / HTTP/1.1", { "Upgrade: websocket2" }, "Upgrade"), Result::MISSING_UPGRADE);
	CHECK_EQ(request("GET / HTTP/1.1", {}, "Upgrade"), Result::MISSING_UPGRADE);
}

TEST("audit 10: Connection includes the upgrade token, case-insensitive") {
	CHECK_EQ(request("GET / HTTP/1.1", { "Connection: keep-alive, UPGRADE" }, "Connection"), Result::OK);
	CHECK_EQ(request("GET / HTTP/1.1", { "Connection: keep-alive" }, "Connection"), Result::MISSING_CONNECTION);
	CHECK_EQ(request("GET / HTTP/1.1", { "Connection: upgraded" }, "Connection"), Result::MISSING_CONNECTION);
}

TEST("audit 11: the key is base64 of 16 bytes") {
	for (const char *key : { "", "abc", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ==x", "dGhlIHNhbXBsZSBub25jZSE=", "!!!!!!!!!!!!!!!!!!!!!!==" }) {
		CHECK_EQ(request("GET / HTTP/1.1", { std::string("Sec-WebSocket-Key: ") + key }, "Sec-WebSocket-Key"), Result::BAD_KEY);
	}
}

TEST("audit 12: a repeated key is refused") {
	CHECK_EQ(request("GET / HTTP/1.1", { std::string("Sec-WebSocket-Key: ") + KEY }), Result::BAD_KEY);
}

TEST("audit 13: the version is 13") {
	for (const char *version : { "8", "12", "14", "13.0", "" }) {
		CHECK_EQ(request("GET / HTTP/1.1", { std::string("Sec-WebSocket-Version: ") + version }, "Sec-WebSocket-Version"), Result::BAD_VERSION);
	}
	CHECK_EQ(request("GET / HTTP/1.1", {}, "Sec-WebSocket-Version"), Result::BAD_VERSION);
}

TEST("audit 14: a version mismatch is answered 426 with the version we speak") {
	const std::string answer = build_error_response(Result::BAD_VERSION);
	CHECK_EQ(status_of(Result::BAD_VERSION), std::string("426"));
	CHECK(answer.find("\r\nSec-WebSocket-Version: 13\r\n") != std::string::npos);
}

TEST("audit 15: a repeated version is refused") {
	CHECK_EQ(request("GET / HTTP/1.1", { "Sec-WebSocket-Version: 13" }), Result::BAD_VERSION);
}

TEST("audit 16: bytes that cannot start a GET are refused at once, a TLS ClientHello by name") {
	const std::string client_hello("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
	CHECK_EQ(start(client_hello, HeadKind::REQUEST), Result::TLS_FROM_CLIENT);
	CHECK_EQ(start(client_hello.substr(0, 1), HeadKind::REQUEST), Result::TLS_FROM_CLIENT);
	CHECK_EQ(start("P", HeadKind::REQUEST), Result::BAD_REQUEST_LINE);
	CHECK_EQ(start("GEX", HeadKind::REQUEST), Result::BAD_REQUEST_LINE);
	CHECK_EQ(start(std::string("\0", 1), HeadKind::REQUEST), Result::BAD_REQUEST_LINE);
	CHECK_EQ(start("SSH-2.0-OpenSSH\r\n", HeadKind::REQUEST), Result::BAD_REQUEST_LINE);
	// Prefixes of a valid request wait for more.
	for (const char *prefix : { "", "G", "GE", "GET", "GET ", "  GET /x", "GET /" }) {
		CHECK_EQ(start(prefix, HeadKind::REQUEST), Result::OK);
	}
	// The full parse gives the same answer for the same bytes, whatever the chunking.
	CHECK_EQ(parse_client_request(client_hello + "\r\n\r\n", {}, nullptr), Result::TLS_FROM_CLIENT);
	for (Result refusal : { Result::TLS_FROM_CLIENT, Result::BAD_REQUEST_LINE, Result::BAD_TARGET, Result::HAS_BODY }) {
		CHECK_EQ(status_of(refusal), std::string("400"));
	}
}

TEST("audit 17: whitespace before the first header line is refused") {
	std::vector<std::string> lines = { " X: y" };
	for (const std::string &line : headers_with()) {
		lines.push_back(line);
	}
	CHECK_EQ(parse_client_request(head("GET / HTTP/1.1", lines), {}, nullptr), Result::BAD_HEADER_LINE);
}

TEST("audit 18: whitespace between a field name and its colon is refused") {
	CHECK_EQ(request("GET / HTTP/1.1", { "X-A : b" }), Result::BAD_HEADER_LINE);
	CHECK_EQ(request("GET / HTTP/1.1", { "X-A\t: b" }), Result::BAD_HEADER_LINE);
}

TEST("audit 19: obs-fold continuation lines are refused") {
	CHECK_EQ(request("GET / HTTP/1.1", { "X-A: b", " folded" }), Result::BAD_HEADER_LINE);
	CHECK_EQ(request("GET / HTTP/1.1", { "X-A: b", "\tfolded" }), Result::BAD_HEADER_LINE);
}

TEST("audit 20: field names are tokens, values have no control but HTAB") {
	CHECK_EQ(request("GET / HTTP/1.1", { "X(A): b" }), Result::BAD_HEADER_LINE);
	CHECK_EQ(request("GET / HTTP/1.1", { ": b" }), Result::BAD_HEADER_LINE);
	CHECK_EQ(request("GET / HTTP/1.1", { "no colon" }), Result::BAD_HEADER_LINE);
	CHECK_EQ(request("GET / HTTP/1.1", { std::string("X-A: a\0b", 8) }), Result::BAD_HEADER_LINE);
	CHECK_EQ(request("GET / HTTP/1.1", { "X-A: a\x7f" }), Result::BAD_HEADER_LINE);
	CHECK_EQ(request("GET / HTTP/1.1", { "X-A: a\tb \xc3\xa9" }), Result::OK); // HTAB and obs-text are allowed
}

TEST("audit 21: a bare CR or LF inside a line is refused") {
	CHECK_EQ(request("GET / HTTP/1.1", { "X-A: a\nX-Smuggled: 1" }), Result::BAD_HEADER_LINE);
	CHECK_EQ(request("GET / HTTP/1.1", { "X-A: a\rb" }), Result::BAD_HEADER_LINE);
	CHECK_EQ(request("GET /a\rb HTTP/1.1"), Result::BAD_REQUEST_LINE);
}

TEST("audit 22: a repeated list header is the joined list") {
	CHECK_EQ(request("GET / HTTP/1.1", { "Connection: keep-alive", "Connection: Upgrade" }, "Connection"), Result::OK);
	RequestInfo info;
	CHECK_EQ(parse_client_request(head("GET / HTTP/1.1", headers_with({ "Sec-WebSocket-Protocol: a", "Sec-WebSocket-Protocol: b" })), { "b" }, &info),
			Result::OK);
	CHECK_EQ(info.protocol, std::string("b"));
}

TEST("audit 23: a head over 4096 bytes is 431") {
	CHECK_EQ(request("GET / HTTP/1.1", { "X-Pad: " + std::string(MAX_HEADER_SIZE, 'p') }), Result::HEADER_TOO_LARGE);
	CHECK_EQ(status_of(Result::HEADER_TOO_LARGE), std::string("431"));
}

TEST("audit 24: a request with a body is refused") {
	CHECK_EQ(request("GET / HTTP/1.1", { "Content-Length: 0" }), Result::OK);
	for (const char *line : { "Content-Length: 5", "Content-Length: x", "Content-Length: -1", "Transfer-Encoding: chunked", "Transfer-Encoding: identity" }) {
		CHECK_EQ(request("GET / HTTP/1.1", { line }), Result::HAS_BODY);
	}
	CHECK_EQ(request("GET / HTTP/1.1", { "Content-Length: 0", "Content-Length: 7" }), Result::HAS_BODY);
}

TEST("audit 25: the client wants 101 and fails at once on bytes that are not an HTTP/1.1 response") {
	CHECK_EQ(response("HTTP/1.1 101 Switching Protocols"), Result::OK);
	CHECK_EQ(response("HTTP/1.1 200 OK"), Result::BAD_STATUS_LINE);
	CHECK_EQ(response("HTTP/1.0 101 Switching Protocols"), Result::BAD_STATUS_LINE);
	CHECK_EQ(start(std::string("\x15\x03\x03\x00\x02\x02\x46", 7), HeadKind::RESPONSE), Result::TLS_FROM_SERVER); // a TLS alert
	CHECK_EQ(start(std::string("\x16\x03\x03", 3), HeadKind::RESPONSE), Result::TLS_FROM_SERVER);
	CHECK_EQ(start("SSH-2.0", HeadKind::RESPONSE), Result::BAD_STATUS_LINE);
	CHECK_EQ(start("HTTP/1.0", HeadKind::RESPONSE), Result::BAD_STATUS_LINE);
	for (const char *prefix : { "", "H", "HTTP/1.", "HTTP/1.1", "HTTP/1.1 404" }) {
		CHECK_EQ(start(prefix, HeadKind::RESPONSE), Result::OK);
	}
}

TEST("audit 26: the client wants Upgrade: websocket exactly and the upgrade Connection token") {
	CHECK_EQ(response("HTTP/1.1 101 OK", { "Upgrade: websocket, h2c" }, "Upgrade"), Result::MISSING_UPGRADE);
	CHECK_EQ(response("HTTP/1.1 101 OK", { "Upgrade: WEBSOCKET" }, "Upgrade"), Result::OK);
	CHECK_EQ(response("HTTP/1.1 101 OK", { "X: y" }, "Connection"), Result::MISSING_CONNECTION);
}

TEST("audit 27: the client checks Sec-WebSocket-Accept exactly") {
	CHECK_EQ(response("HTTP/1.1 101 OK", { "Sec-WebSocket-Accept: S3PPLMBITXAQ9KYGZZHZRBK+XOO=" }, "Sec-WebSocket-Accept"), Result::BAD_ACCEPT);
	CHECK_EQ(response("HTTP/1.1 101 OK", { "X: y" }, "Sec-WebSocket-Accept"), Result::BAD_ACCEPT);
}

TEST("audit 28: the client refuses an extension or protocol it did not request") {
	CHECK_EQ(response("HTTP/1.1 101 OK", { "Sec-WebSocket-Extensions: permessage-deflate" }), Result::UNEXPECTED_EXTENSION);
	CHECK_EQ(response("HTTP/1.1 101 OK", { "Sec-WebSocket-Protocol: chat" }), Result::UNEXPECTED_PROTOCOL);
	CHECK_EQ(response("HTTP/1.1 101 OK", { "Sec-WebSocket-Protocol: other" }, "", { "chat" }), Result::UNEXPECTED_PROTOCOL);
}

TEST("audit 29: the client offers each protocol once") {
	ClientRequest request;
	request.url.host = "h";
	request.url.port = 80;
	request.url.path = "/";
	request.key = KEY;
	request.protocols = { "a", "b", "a", "c", "b" };
	CHECK(build_client_request(request).find("\r\nSec-WebSocket-Protocol: a,b,c\r\n") != std::string::npos);
}
