// The server side: parse_client_request (spec §6.2, §6.3, RFC 6455 §4.2.1), build_server_response
// and build_error_response.
#include "check.h"
#include "gdws/handshake.h"
#include "handshake_heads.h"

#include <string>
#include <vector>

using namespace gdws::handshake;

static std::vector<std::string> good_headers() {
	return { "Host: example.com:9080", "Upgrade: websocket", "Connection: Upgrade", std::string("Sec-WebSocket-Key: ") + KEY,
		"Sec-WebSocket-Version: 13" };
}

static std::string good_request(const std::vector<std::string> &p_more = {}) {
	std::vector<std::string> headers = good_headers();
	headers.insert(headers.end(), p_more.begin(), p_more.end());
	return head("GET /chat?x=1 HTTP/1.1", headers);
}

// good_headers() without the header whose name starts with p_prefix.
static std::vector<std::string> without(const std::string &p_prefix, const std::vector<std::string> &p_more = {}) {
	std::vector<std::string> out;
	for (const std::string &line : good_headers()) {
		if (line.rfind(p_prefix, 0) != 0) {
			out.push_back(line);
		}
	}
	out.insert(out.end(), p_more.begin(), p_more.end());
	return out;
}

static Result parse(const std::string &p_head, const std::vector<std::string> &p_supported = {}, RequestInfo *r_info = nullptr) {
	return parse_client_request(p_head, p_supported, r_info);
}

///
/// parse_client_request
///

TEST("request: a valid request fills every field") {
	RequestInfo info;
	CHECK_EQ(parse(good_request({ "Origin: https://game.example" }), {}, &info), Result::OK);
	CHECK_EQ(info.target, std::string("/chat?x=1"));
	CHECK_EQ(info.host, std::string("example.com:9080"));
	CHECK_EQ(info.key, std::string(KEY));
	CHECK_EQ(info.protocol, std::string(""));
	CHECK_EQ(info.origin, std::string("https://game.example"));
	CHECK(info.offered_extensions.empty());
}

TEST("request: what a browser sends is accepted") {
	RequestInfo info;
	const std::string chromium = head("GET /socket HTTP/1.1", {
		"Host: 127.0.0.1:8080",
		"Connection: Upgrade",
		"Pragma: no-cache",
		"Cache-Control: no-cache",
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
		"Upgrade: websocket",
		"Origin: http://127.0.0.1:8080",
		"Sec-WebSocket-Version: 13",
		"Accept-Encoding: gzip, deflate, br",
		"Accept-Language: en-US,en;q=0.9",
		"Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==",
		"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits",
	});
	CHECK_EQ(parse(chromium, {}, &info), Result::OK);
	CHECK_EQ(info.offered_extensions.size(), size_t(1));
	CHECK_EQ(info.offered_extensions.at(0), std::string("permessage-deflate; client_max_window_bits"));
	// Firefox sends "Connection: keep-alive, Upgrade".
	CHECK_EQ(parse(good_request({}).replace(good_request().find("Connection: Upgrade"), 19, "Connection: keep-alive, Upgrade")), Result::OK);
}

TEST("request: names case-insensitive, values trimmed, Upgrade case-insensitive") {
	RequestInfo info;
	const std::string request = head("GET / HTTP/1.1", { "HOST:h", "upgrade: WebSocket ", "CONNECTION:\tupgrade", std::string("sec-websocket-key:  ") + KEY + "\t",
													 "SEC-WEBSOCKET-VERSION: 13" });
	CHECK_EQ(parse(request, {}, &info), Result::OK);
	CHECK_EQ(info.key, std::string(KEY));
	CHECK_EQ(info.host, std::string("h"));
}

TEST("request: Host is required once, as host[:port] (deviation: Godot needs none)") {
	RequestInfo info;
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Host")), {}, &info), Result::BAD_HOST);
	CHECK_EQ(info.host, std::string(""));
	CHECK_EQ(info.target, std::string("/")); // what was parsed stays, as in Godot
	CHECK_EQ(parse(good_request({ "Host: example.com:9080" })), Result::BAD_HOST);
	CHECK_EQ(parse(good_request({ "Host: other.example" })), Result::BAD_HOST);
	for (const char *host : { "", "a b", "a@b", "user@host:1", "[::1", "[zz]:80", "h:123456", "h:8a", ":80", "a/b", "[::1]x" }) {
		CHECK_EQ(parse(head("GET / HTTP/1.1", without("Host", { std::string("Host: ") + host }))), Result::BAD_HOST);
	}
	// Godot 4 clients write IPv6 hosts without brackets; those pass.
	for (const char *host : { "example.com", "h:", "127.0.0.1:9080", "[::1]:9080", "[::1]", "::1", "::1:9080", "xn--bcher-kva.example", "b\xc3\xbc" "cher.example" }) {
		CHECK_EQ(parse(head("GET / HTTP/1.1", without("Host", { std::string("Host: ") + host }))), Result::OK);
	}
}

TEST("request: offered extensions are captured item by item") {
	RequestInfo info;
	CHECK_EQ(parse(good_request({ "Sec-WebSocket-Extensions: permessage-deflate, x-webkit-deflate-frame", "Sec-WebSocket-Extensions: , foo; a=1 ," }), {}, &info),
			Result::OK);
	CHECK_EQ(info.offered_extensions.size(), size_t(3));
	if (info.offered_extensions.size() == 3) {
		CHECK_EQ(info.offered_extensions[0], std::string("permessage-deflate"));
		CHECK_EQ(info.offered_extensions[1], std::string("x-webkit-deflate-frame"));
		CHECK_EQ(info.offered_extensions[2], std::string("foo; a=1"));
	}
}

TEST("request: INCOMPLETE, HEADER_TOO_LARGE and TOO_FEW_LINES") {
	CHECK_EQ(parse(""), Result::INCOMPLETE);
	const std::string full = good_request();
	CHECK_EQ(parse(full.substr(0, full.size() - 2)), Result::INCOMPLETE);
	CHECK_EQ(parse(good_request({ "X-Pad: " + std::string(MAX_HEADER_SIZE, 'p') })), Result::HEADER_TOO_LARGE);
	CHECK_EQ(parse("\r\n\r\n"), Result::BAD_REQUEST_LINE); // cannot start "GET " (check_head_start)
	CHECK_EQ(parse(head("GET / HTTP/1.1", { "Upgrade: websocket", "Connection: Upgrade" })), Result::TOO_FEW_LINES);
}

TEST("request: exactly 4096 bytes is accepted, 4097 is not") {
	const size_t base = good_request({ "X-Pad: " }).size();
	const std::string exact = good_request({ "X-Pad: " + std::string(MAX_HEADER_SIZE - base, 'p') });
	CHECK_EQ(exact.size(), MAX_HEADER_SIZE);
	CHECK_EQ(parse(exact), Result::OK);
	CHECK_EQ(parse(good_request({ "X-Pad: " + std::string(MAX_HEADER_SIZE - base + 1, 'p') })), Result::HEADER_TOO_LARGE);
}

TEST("request: BAD_REQUEST_LINE") {
	const char *const lines[] = {
		"POST / HTTP/1.1",
		"get / HTTP/1.1",
		"GET / HTTP/1.0",
		"GET / http/1.1",
		"GET /",
		"GET / HTTP/1.1 extra",
		"GET /a b HTTP/1.1",
		"GET HTTP/1.1",
		"GET",
		"",
		"Host: h",
	};
	for (const char *line : lines) {
		CHECK_EQ(parse(head(line, good_headers())), Result::BAD_REQUEST_LINE);
	}
	CHECK_EQ(parse(head(std::string("GET /\0 HTTP/1.1", 15), good_headers())), Result::BAD_REQUEST_LINE);
	CHECK_EQ(parse(head("GET /\n HTTP/1.1", good_headers())), Result::BAD_REQUEST_LINE);
	CHECK_EQ(parse(head("GET /\t HTTP/1.1", good_headers())), Result::BAD_REQUEST_LINE);
	CHECK_EQ(parse("\r\n" + good_request()), Result::BAD_REQUEST_LINE);
}

TEST("request: the request line tolerates extra spaces, as Godot's split does") {
	RequestInfo info;
	CHECK_EQ(parse(head("GET   /x   HTTP/1.1", good_headers()), {}, &info), Result::OK);
	CHECK_EQ(info.target, std::string("/x"));
}

TEST("request: BAD_HEADER_LINE") {
	const char *const lines[] = {
		"no colon",
		":value",
		" folded: x",
		"\tfolded",
		"Bad Name: x",
		"Host : h",
		"X\"y: z",
	};
	for (const char *line : lines) {
		CHECK_EQ(parse(good_request({ line })), Result::BAD_HEADER_LINE);
	}
	CHECK_EQ(parse(good_request({ std::string("X: \0", 4) })), Result::BAD_HEADER_LINE);
	CHECK_EQ(parse(good_request({ "X: a\nUpgrade: websocket" })), Result::BAD_HEADER_LINE);
	CHECK_EQ(parse(good_request({ "X: a\x01" })), Result::BAD_HEADER_LINE);
	CHECK_EQ(parse(good_request({ "X-Empty:", "X-Spaces:    " })), Result::OK); // deviation: empty values are valid
}

TEST("request: MISSING_UPGRADE") {
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Upgrade", { "X: y" }))), Result::MISSING_UPGRADE);
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Upgrade", { "Upgrade: h2c" }))), Result::MISSING_UPGRADE);
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Upgrade", { "Upgrade: websockets" }))), Result::MISSING_UPGRADE);
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Upgrade", { "Upgrade:" }))), Result::MISSING_UPGRADE);
	// Deviation: Upgrade is a list (RFC 7230 §6.7); it must contain "websocket" (Godot: be it).
	CHECK_EQ(parse(good_request({ "Upgrade: websocket" })), Result::OK); // repeated joins to "websocket,websocket"
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Upgrade", { "Upgrade: h2c, WebSocket" }))), Result::OK);
}

TEST("request: MISSING_CONNECTION (deviation: Godot accepts any Connection value)") {
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Connection"))), Result::MISSING_CONNECTION);
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Connection", { "Connection: keep-alive" }))), Result::MISSING_CONNECTION);
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Connection", { "Connection: close" }))), Result::MISSING_CONNECTION);
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Connection", { "Connection: keep-alive", "Connection: UPGRADE" }))), Result::OK);
}

TEST("request: BAD_VERSION (missing, other, repeated)") {
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Sec-WebSocket-Version", { "X: y" }))), Result::BAD_VERSION);
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Sec-WebSocket-Version", { "Sec-WebSocket-Version: 8" }))), Result::BAD_VERSION);
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Sec-WebSocket-Version", { "Sec-WebSocket-Version: 13, 8" }))), Result::BAD_VERSION);
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Sec-WebSocket-Version", { "Sec-WebSocket-Version: 013" }))), Result::BAD_VERSION);
	CHECK_EQ(parse(good_request({ "Sec-WebSocket-Version: 13" })), Result::BAD_VERSION);
}

TEST("request: BAD_KEY (deviation: the key must be base64 of 16 bytes)") {
	const char *const keys[] = {
		"",
		"hello",
		"dGhlIHNhbXBsZSBub25jZQ", // padding missing
		"dGhlIHNhbXBsZSBub25jZQ=", // 23 characters
		"dGhlIHNhbXBsZSBub25jZQ===",
		"dGhlIHNhbXBsZSBub25jZSE=", // 17 bytes
		"dGhlIHNhbXBsZSBub25j", // 15 bytes
		"dGhlIHNhbXBsZSBub25jZQ-=",
		"dGhlIHNhbXBsZSBub2 5jZQ==",
		"dGhlIHNhbXBsZSBub25jZQ==dGhlIHNhbXBsZSBub25jZQ==",
	};
	for (const char *key : keys) {
		CHECK_EQ(parse(head("GET / HTTP/1.1", without("Sec-WebSocket-Key", { std::string("Sec-WebSocket-Key: ") + key }))), Result::BAD_KEY);
	}
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Sec-WebSocket-Key", { "X: y" }))), Result::BAD_KEY);
	CHECK_EQ(parse(good_request({ std::string("Sec-WebSocket-Key: ") + KEY })), Result::BAD_KEY); // repeated
}

TEST("request: any 16-byte key is accepted, including non-canonical padding bits") {
	for (const char *key : { "AAAAAAAAAAAAAAAAAAAAAA==", "/////////////////////w==", "+/+/+/+/+/+/+/+/+/+/+w==", "dGhlIHNhbXBsZSBub25jZR==" }) {
		RequestInfo info;
		CHECK_EQ(parse(head("GET / HTTP/1.1", without("Sec-WebSocket-Key", { std::string("Sec-WebSocket-Key: ") + key })), {}, &info), Result::OK);
		CHECK_EQ(info.key, std::string(key));
	}
}

TEST("request: a refused request keeps the target and host it parsed (as Godot), nothing else") {
	RequestInfo info;
	info.target = "stale";
	info.key = "stale";
	CHECK_EQ(parse(head("GET /x?y HTTP/1.1", without("Sec-WebSocket-Key", { "X: y" })), { "chat" }, &info), Result::BAD_KEY);
	CHECK_EQ(info.target, std::string("/x?y"));
	CHECK_EQ(info.path, std::string("/x?y"));
	CHECK_EQ(info.host, std::string("example.com:9080"));
	CHECK_EQ(info.key, std::string(""));
	CHECK_EQ(info.protocol, std::string(""));
	// Refused before the headers were read: nothing is kept.
	CHECK_EQ(parse(head("POST /x HTTP/1.1", good_headers()), {}, &info), Result::BAD_REQUEST_LINE);
	CHECK_EQ(info.target, std::string(""));
	CHECK_EQ(info.host, std::string(""));
}

///
/// Subprotocol selection (Godot's rule)
///

TEST("protocol: the client's first entry the server supports wins") {
	RequestInfo info;
	CHECK_EQ(parse(good_request({ "Sec-WebSocket-Protocol: a, b, c" }), { "c", "b" }, &info), Result::OK);
	CHECK_EQ(info.protocol, std::string("b"));
	CHECK_EQ(parse(good_request({ "Sec-WebSocket-Protocol: a", "Sec-WebSocket-Protocol: c" }), { "c", "b" }, &info), Result::OK);
	CHECK_EQ(info.protocol, std::string("c"));
}

TEST("protocol: matching is case-sensitive") {
	RequestInfo info;
	CHECK_EQ(parse(good_request({ "Sec-WebSocket-Protocol: Chat" }), { "chat" }, &info), Result::NO_COMMON_PROTOCOL);
	CHECK_EQ(info.protocol, std::string(""));
}

TEST("protocol: NO_COMMON_PROTOCOL when the offer has no match") {
	CHECK_EQ(parse(good_request({ "Sec-WebSocket-Protocol: a, b" }), { "c" }), Result::NO_COMMON_PROTOCOL);
}

TEST("protocol: NO_COMMON_PROTOCOL when the client offers some and the server supports none (Godot)") {
	CHECK_EQ(parse(good_request({ "Sec-WebSocket-Protocol: chat" }), {}), Result::NO_COMMON_PROTOCOL);
}

TEST("protocol: NO_COMMON_PROTOCOL when the server supports some and the client offers none") {
	CHECK_EQ(parse(good_request(), { "chat" }), Result::NO_COMMON_PROTOCOL);
	CHECK_EQ(parse(good_request({ "Sec-WebSocket-Protocol:" }), { "chat" }), Result::NO_COMMON_PROTOCOL);
}

TEST("protocol: an offer of only empty items is no offer") {
	RequestInfo info;
	CHECK_EQ(parse(good_request({ "Sec-WebSocket-Protocol: , ,," }), {}, &info), Result::OK);
	CHECK_EQ(info.protocol, std::string(""));
	// An empty supported entry never matches an (always non-empty) offered item.
	CHECK_EQ(parse(good_request({ "Sec-WebSocket-Protocol: ,a" }), { "" }), Result::NO_COMMON_PROTOCOL);
}

TEST("protocol: thousands of commas around the match") {
	RequestInfo info;
	const std::string offer = "Sec-WebSocket-Protocol: " + std::string(1500, ',') + " x ," + std::string(1500, ',') + "chat,";
	CHECK_EQ(parse(good_request({ offer }), { "chat", "x" }, &info), Result::OK);
	CHECK_EQ(info.protocol, std::string("x"));
	CHECK_EQ(parse(good_request({ "Sec-WebSocket-Protocol: " + std::string(3800, ',') }), { "chat" }), Result::NO_COMMON_PROTOCOL);
	CHECK_EQ(parse(good_request({ "Sec-WebSocket-Extensions: " + std::string(3800, ',') }), {}, &info), Result::OK);
	CHECK(info.offered_extensions.empty());
}

TEST("protocol: a long offer list against a long supported list") {
	std::string offer = "Sec-WebSocket-Protocol: ";
	std::vector<std::string> supported;
	for (int i = 0; i < 500; i++) {
		offer += "p" + std::to_string(i) + ",";
		supported.push_back("q" + std::to_string(i));
	}
	supported.push_back("p499");
	RequestInfo info;
	CHECK_EQ(parse(good_request({ offer }), supported, &info), Result::OK);
	CHECK_EQ(info.protocol, std::string("p499"));
}

///
/// Check order and hostile input
///

TEST("request: checks run in a fixed order") {
	// No Host and no Upgrade: Host is reported first (RFC 7230 before RFC 6455).
	CHECK_EQ(parse(head("GET / HTTP/1.1", { "A: b", "C: d", "E: f" })), Result::BAD_HOST);
	// No Upgrade and no Connection: Upgrade is reported first.
	CHECK_EQ(parse(head("GET / HTTP/1.1", { "Host: h", "A: b", "C: d", "E: f" })), Result::MISSING_UPGRADE);
	// Wrong version and bad key: the version wins, so the host can answer 426.
	CHECK_EQ(parse(head("GET / HTTP/1.1", { "Host: h", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 8", "Sec-WebSocket-Key: x" })), Result::BAD_VERSION);
	// Bad key and no common protocol: the key wins.
	CHECK_EQ(parse(head("GET / HTTP/1.1", without("Sec-WebSocket-Key", { "Sec-WebSocket-Key: x" })), { "chat" }), Result::BAD_KEY);
}

TEST("request: arbitrary bytes never crash and are refused") {
	uint32_t state = 99;
	std::string noise;
	for (int round = 0; round < 2000; round++) {
		noise.clear();
		const size_t len = state % 400;
		for (size_t i = 0; i < len; i++) {
			state = state * 1103515245u + 12345u;
			noise += "GET / HTTP/1.1\r\n:Uw \0\t,="[(state >> 16) % 24];
		}
		noise += "\r\n\r\n";
		CHECK(parse(noise, { "chat" }) != Result::OK);
	}
}

TEST("request: every prefix of a valid request is INCOMPLETE") {
	const std::string full = good_request();
	for (size_t i = 0; i < full.size(); i++) {
		CHECK_EQ(parse(full.substr(0, i)), Result::INCOMPLETE);
	}
	CHECK_EQ(parse(full), Result::OK);
}

///
/// Responses
///

TEST("build_server_response: exact bytes without a protocol") {
	CHECK_EQ(build_server_response(KEY, "", {}), std::string("HTTP/1.1 101 Switching Protocols\r\n"
															 "Upgrade: websocket\r\n"
															 "Connection: Upgrade\r\n"
															 "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
															 "\r\n"));
}

TEST("build_server_response: protocol and extra headers in order") {
	CHECK_EQ(build_server_response(KEY, "chat", { "X-A: 1", "Set-Cookie: s=t" }),
			std::string("HTTP/1.1 101 Switching Protocols\r\n"
						"Upgrade: websocket\r\n"
						"Connection: Upgrade\r\n"
						"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
						"Sec-WebSocket-Protocol: chat\r\n"
						"X-A: 1\r\n"
						"Set-Cookie: s=t\r\n"
						"\r\n"));
}

TEST("build_server_response: our client accepts it, extensions never echoed") {
	RequestInfo info;
	CHECK_EQ(parse(good_request({ "Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Extensions: permessage-deflate" }), { "chat" }, &info), Result::OK);
	const std::string response = build_server_response(info.key, info.protocol, {});
	CHECK(response.find("Extensions") == std::string::npos);
	std::string selected;
	CHECK_EQ(parse_server_response(response, KEY, { "chat" }, &selected), Result::OK);
	CHECK_EQ(selected, std::string("chat"));
}

TEST("build_error_response: 426 with the supported version for BAD_VERSION") {
	const std::string body = "The Sec-WebSocket-Version header is missing or is not 13.\n";
	CHECK_EQ(build_error_response(Result::BAD_VERSION), std::string("HTTP/1.1 426 Upgrade Required\r\n"
																	 "Sec-WebSocket-Version: 13\r\n"
																	 "Connection: close\r\n"
																	 "Content-Type: text/plain; charset=utf-8\r\n"
																	 "Content-Length: ") +
					std::to_string(body.size()) + "\r\n\r\n" + body);
}

TEST("build_error_response: 414 for a request line too long, 431 for a head too large") {
	CHECK_EQ(build_error_response(Result::TARGET_TOO_LONG).rfind("HTTP/1.1 414 URI Too Long\r\n", 0), size_t(0));
	CHECK_EQ(build_error_response(Result::HEADER_TOO_LARGE).rfind("HTTP/1.1 431 Request Header Fields Too Large\r\n", 0), size_t(0));
}

TEST("build_error_response: 400 for every other refusal, with a matching Content-Length") {
	const Result reasons[] = { Result::TOO_FEW_LINES, Result::BAD_REQUEST_LINE, Result::BAD_HEADER_LINE, Result::MISSING_UPGRADE,
		Result::MISSING_CONNECTION, Result::BAD_KEY, Result::NO_COMMON_PROTOCOL, Result::TLS_FROM_CLIENT, Result::BAD_HOST,
		Result::BAD_TARGET, Result::HAS_BODY };
	for (Result reason : reasons) {
		const std::string response = build_error_response(reason);
		CHECK_EQ(response.rfind("HTTP/1.1 400 Bad Request\r\n", 0), size_t(0));
		CHECK(response.find("\r\nConnection: close\r\n") != std::string::npos);
		CHECK(response.find("Sec-WebSocket-Version") == std::string::npos);
		const size_t end = response.find("\r\n\r\n");
		CHECK(end != std::string::npos);
		const std::string body = response.substr(end + 4);
		CHECK_EQ(body, std::string(result_message(reason)) + "\n");
		CHECK(response.find("Content-Length: " + std::to_string(body.size()) + "\r\n") != std::string::npos);
	}
}
