// The client side: build_client_request and parse_server_response (spec §5.3, §5.4, RFC 6455 §4.1).
#include "check.h"
#include "gdws/handshake.h"
#include "handshake_heads.h"

#include <string>
#include <vector>

using namespace gdws::handshake;

static std::vector<std::string> good_headers() {
	return { "Upgrade: websocket", "Connection: Upgrade", std::string("Sec-WebSocket-Accept: ") + ACCEPT };
}

static std::string good_response(const std::vector<std::string> &p_more = {}) {
	std::vector<std::string> headers = good_headers();
	headers.insert(headers.end(), p_more.begin(), p_more.end());
	return head("HTTP/1.1 101 Switching Protocols", headers);
}

static Result parse(const std::string &p_head, const std::vector<std::string> &p_protocols = {}, std::string *r_protocol = nullptr) {
	return parse_server_response(p_head, KEY, p_protocols, r_protocol);
}

static ClientRequest request_for(const std::string &p_url) {
	ClientRequest request;
	CHECK_EQ(parse_url(p_url, &request.url), Result::OK);
	request.key = KEY;
	return request;
}

///
/// build_client_request
///

TEST("request: exact bytes, in Godot's line order") {
	ClientRequest request = request_for("ws://Example.com/chat?room=1#top");
	CHECK_EQ(build_client_request(request), std::string("GET /chat?room=1 HTTP/1.1\r\n"
														 "Host: example.com\r\n"
														 "Upgrade: websocket\r\n"
														 "Connection: Upgrade\r\n"
														 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
														 "Sec-WebSocket-Version: 13\r\n"
														 "\r\n"));
}

TEST("request: port only when it is not the scheme's default") {
	CHECK(build_client_request(request_for("ws://h:80/")).find("\r\nHost: h\r\n") != std::string::npos);
	CHECK(build_client_request(request_for("wss://h:443/")).find("\r\nHost: h\r\n") != std::string::npos);
	CHECK(build_client_request(request_for("ws://h:443/")).find("\r\nHost: h:443\r\n") != std::string::npos);
	CHECK(build_client_request(request_for("wss://h:80/")).find("\r\nHost: h:80\r\n") != std::string::npos);
	CHECK(build_client_request(request_for("ws://h:9080/")).find("\r\nHost: h:9080\r\n") != std::string::npos);
}

TEST("request: IPv6 hosts are bracketed (deviation)") {
	CHECK(build_client_request(request_for("ws://[::1]:9000/")).find("\r\nHost: [::1]:9000\r\n") != std::string::npos);
	CHECK(build_client_request(request_for("wss://[fe80::1]/")).find("\r\nHost: [fe80::1]\r\n") != std::string::npos);
	CHECK(build_client_request(request_for("ws://127.0.0.1:9000/")).find("\r\nHost: 127.0.0.1:9000\r\n") != std::string::npos);
}

TEST("request: protocols joined with a bare comma, then extra headers verbatim, in order") {
	ClientRequest request = request_for("ws://h/");
	request.protocols = { "chat", "superchat", "v2.json" };
	request.extra_headers = { "X-Token: abc", "Cookie: a=b; c=d" };
	CHECK_EQ(build_client_request(request), std::string("GET / HTTP/1.1\r\n"
														 "Host: h\r\n"
														 "Upgrade: websocket\r\n"
														 "Connection: Upgrade\r\n"
														 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
														 "Sec-WebSocket-Version: 13\r\n"
														 "Sec-WebSocket-Protocol: chat,superchat,v2.json\r\n"
														 "X-Token: abc\r\n"
														 "Cookie: a=b; c=d\r\n"
														 "\r\n"));
}

TEST("request: an empty path in a hand-made Url is sent as /") {
	ClientRequest request;
	request.url.host = "h";
	request.url.port = 80;
	request.key = KEY;
	CHECK_EQ(build_client_request(request).rfind("GET / HTTP/1.1\r\n", 0), size_t(0));
}

TEST("request: what we build, our server accepts") {
	ClientRequest request = request_for("ws://[::1]:8080/p?q");
	request.protocols = { "a", "b" };
	RequestInfo info;
	CHECK_EQ(parse_client_request(build_client_request(request), { "b" }, &info), Result::OK);
	CHECK_EQ(info.target, std::string("/p?q"));
	CHECK_EQ(info.host, std::string("[::1]:8080"));
	CHECK_EQ(info.protocol, std::string("b"));
	std::string selected;
	CHECK_EQ(parse(build_server_response(info.key, info.protocol, {}), request.protocols, &selected), Result::OK);
	CHECK_EQ(selected, std::string("b"));
}

///
/// parse_server_response
///

TEST("response: a minimal valid answer") {
	std::string protocol = "stale";
	CHECK_EQ(parse(good_response(), {}, &protocol), Result::OK);
	CHECK_EQ(protocol, std::string(""));
	CHECK_EQ(parse(head("HTTP/1.1 101", good_headers())), Result::OK); // reason phrase is optional
	CHECK_EQ(parse(head("HTTP/1.1   101   Whatever you like", good_headers())), Result::OK);
}

TEST("response: header names are case-insensitive, values trimmed, case-insensitive where RFC says") {
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "UPGRADE:WebSocket", "connection: \tUPGRADE \t", std::string("sec-websocket-ACCEPT:   ") + ACCEPT + "  " })),
			Result::OK);
}

TEST("response: other headers, also with empty values, are ignored (deviation: empty values)") {
	CHECK_EQ(parse(good_response({ "Set-Cookie: a=b", "X-Empty:", "Server: x", "Date:  " })), Result::OK);
}

TEST("response: Connection is a token list (deviation)") {
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket", "Connection: keep-alive, Upgrade", std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::OK);
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket", "Connection: Upgrade, keep-alive", std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::OK);
	// Repeated headers join with ",", so the token may come in a second Connection line.
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket", "Connection: keep-alive", "Connection: upgrade", std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::OK);
}

TEST("response: MISSING_CONNECTION") {
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket", "X: y", std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::MISSING_CONNECTION);
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket", "Connection: keep-alive", std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::MISSING_CONNECTION);
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket", "Connection: upgraded", std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::MISSING_CONNECTION);
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket", "Connection: up grade", std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::MISSING_CONNECTION);
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket", "Connection:", std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::MISSING_CONNECTION);
}

TEST("response: MISSING_UPGRADE") {
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "X: y", "Connection: Upgrade", std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::MISSING_UPGRADE);
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: h2c", "Connection: Upgrade", std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::MISSING_UPGRADE);
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket, h2c", "Connection: Upgrade", std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::MISSING_UPGRADE);
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket", "Upgrade: websocket", "Connection: Upgrade", std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::MISSING_UPGRADE);
}

TEST("response: BAD_ACCEPT (missing, wrong, wrong case, repeated)") {
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket", "Connection: Upgrade", "X: y" })), Result::BAD_ACCEPT);
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo" })), Result::BAD_ACCEPT);
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: S3PPLMBITXAQ9KYGZZHZRBK+XOO=" })), Result::BAD_ACCEPT);
	CHECK_EQ(parse(good_response({ std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::BAD_ACCEPT);
	CHECK_EQ(parse_server_response(good_response(), "x3JJHMbDL1EzLkh9GBhXDw==", {}, nullptr), Result::BAD_ACCEPT);
}

TEST("response: BAD_STATUS_LINE") {
	const char *const lines[] = {
		"HTTP/1.1 200 OK",
		"HTTP/1.0 101 Switching Protocols",
		"http/1.1 101 Switching Protocols",
		"HTTP/1.1 1010",
		"HTTP/1.1",
		"HTTP/1.1101",
		"HTTP/2 101",
		"",
		"X: y",
	};
	for (const char *line : lines) {
		CHECK_EQ(parse(head(line, good_headers())), Result::BAD_STATUS_LINE);
	}
	CHECK_EQ(parse(head(std::string("HTTP/1.1 101 A\0B", 16), good_headers())), Result::BAD_STATUS_LINE);
	CHECK_EQ(parse(head("HTTP/1.1 101 A\nX-Evil: 1", good_headers())), Result::BAD_STATUS_LINE);
}

TEST("response: TOO_FEW_LINES") {
	CHECK_EQ(parse("\r\n\r\n"), Result::BAD_STATUS_LINE); // cannot start "HTTP/1.1 " (check_head_start)
	CHECK_EQ(parse("HTTP/1.1 101 OK\r\n\r\n"), Result::TOO_FEW_LINES);
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade: websocket", std::string("Sec-WebSocket-Accept: ") + ACCEPT })), Result::TOO_FEW_LINES);
}

TEST("response: INCOMPLETE and HEADER_TOO_LARGE") {
	CHECK_EQ(parse(""), Result::INCOMPLETE);
	const std::string full = good_response();
	CHECK_EQ(parse(full.substr(0, full.size() - 1)), Result::INCOMPLETE);
	const std::string pad = "X-Pad: " + std::string(MAX_HEADER_SIZE, 'p');
	CHECK_EQ(parse(good_response({ pad })), Result::HEADER_TOO_LARGE);
}

TEST("response: exactly 4096 bytes is accepted, 4097 is not") {
	const size_t base = good_response({ "X-Pad: " }).size();
	const std::string exact = good_response({ "X-Pad: " + std::string(MAX_HEADER_SIZE - base, 'p') });
	CHECK_EQ(exact.size(), MAX_HEADER_SIZE);
	CHECK_EQ(parse(exact), Result::OK);
	const std::string over = good_response({ "X-Pad: " + std::string(MAX_HEADER_SIZE - base + 1, 'p') });
	CHECK_EQ(parse(over), Result::HEADER_TOO_LARGE);
}

TEST("response: bytes after the head are not read as headers") {
	CHECK_EQ(parse(good_response() + "\x81\x05hello"), Result::OK);
	CHECK_EQ(parse(good_response() + "Sec-WebSocket-Extensions: x\r\n\r\n"), Result::OK);
}

TEST("response: BAD_HEADER_LINE") {
	const char *const lines[] = {
		"no colon here",
		": empty name",
		"Bad Name: x",
		"Name : x", // whitespace before the colon (RFC 7230 §3.2.4)
		" folded: x",
		"\tfolded: x",
		"N\xC3\xA4me: x",
		"(name): x",
	};
	for (const char *line : lines) {
		CHECK_EQ(parse(good_response({ line })), Result::BAD_HEADER_LINE);
	}
	CHECK_EQ(parse(good_response({ std::string("X-Nul: a\0b", 10) })), Result::BAD_HEADER_LINE);
	CHECK_EQ(parse(good_response({ std::string("X-N\0l: ab", 9) })), Result::BAD_HEADER_LINE);
	CHECK_EQ(parse(good_response({ "X-Lf: a\nInjected: b" })), Result::BAD_HEADER_LINE);
	CHECK_EQ(parse(good_response({ "X-Cr: a\rb" })), Result::BAD_HEADER_LINE);
	CHECK_EQ(parse(good_response({ "X-Del: a\x7F" })), Result::BAD_HEADER_LINE);
	// Obs-fold continuing a needed header is refused, not merged.
	CHECK_EQ(parse(head("HTTP/1.1 101 OK", { "Upgrade:", " websocket", "Connection: Upgrade", std::string("Sec-WebSocket-Accept: ") + ACCEPT })),
			Result::BAD_HEADER_LINE);
	// Godot's order: the status line is judged before the headers.
	CHECK_EQ(parse(head("HTTP/1.1 200 OK", { "no colon", "a: b", "c: d" })), Result::BAD_STATUS_LINE);
}

TEST("response: header values keep tabs and high bytes") {
	CHECK_EQ(parse(good_response({ "X-Tab: a\tb", "X-Utf8: \xC3\xA9" })), Result::OK);
}

TEST("response: no protocol offered, none chosen; one chosen is UNEXPECTED_PROTOCOL") {
	CHECK_EQ(parse(good_response({ "Sec-WebSocket-Protocol: chat" })), Result::UNEXPECTED_PROTOCOL);
	CHECK_EQ(parse(good_response({ "Sec-WebSocket-Protocol:" })), Result::UNEXPECTED_PROTOCOL);
}

TEST("response: the chosen protocol must be one offered, exactly") {
	std::string selected;
	CHECK_EQ(parse(good_response({ "Sec-WebSocket-Protocol: superchat" }), { "chat", "superchat" }, &selected), Result::OK);
	CHECK_EQ(selected, std::string("superchat"));
	CHECK_EQ(parse(good_response({ "sec-websocket-protocol:  chat " }), { "chat", "superchat" }, &selected), Result::OK);
	CHECK_EQ(selected, std::string("chat"));

	// Refused, yet reported as Godot does (get_selected_protocol() shows what the server chose).
	CHECK_EQ(parse(good_response({ "Sec-WebSocket-Protocol: Chat" }), { "chat" }, &selected), Result::UNEXPECTED_PROTOCOL);
	CHECK_EQ(selected, std::string("Chat"));
	// Refused before the protocol is looked at: nothing is reported.
	CHECK_EQ(parse(good_response({ "Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Accept: x" }), { "chat" }, &selected), Result::BAD_ACCEPT);
	CHECK_EQ(selected, std::string(""));
	CHECK_EQ(parse(good_response({ "Sec-WebSocket-Protocol: other" }), { "chat" }), Result::UNEXPECTED_PROTOCOL);
	CHECK_EQ(parse(good_response({ "Sec-WebSocket-Protocol: chat,superchat" }), { "chat", "superchat" }), Result::UNEXPECTED_PROTOCOL);
	CHECK_EQ(parse(good_response({ "Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: chat" }), { "chat" }), Result::UNEXPECTED_PROTOCOL);
}

TEST("response: protocols offered and none chosen is MISSING_PROTOCOL") {
	CHECK_EQ(parse(good_response(), { "chat" }), Result::MISSING_PROTOCOL);
}

TEST("response: any Sec-WebSocket-Extensions is UNEXPECTED_EXTENSION (deviation)") {
	CHECK_EQ(parse(good_response({ "Sec-WebSocket-Extensions: permessage-deflate" })), Result::UNEXPECTED_EXTENSION);
	CHECK_EQ(parse(good_response({ "sec-websocket-extensions: x; a=1", "Sec-WebSocket-Protocol: p" }), { "p" }), Result::UNEXPECTED_EXTENSION);
	// An empty list names no extension.
	CHECK_EQ(parse(good_response({ "Sec-WebSocket-Extensions: , ," })), Result::OK);
	CHECK_EQ(parse(good_response({ "Sec-WebSocket-Extensions:" })), Result::OK);
}

TEST("response: hundreds of repeated headers and thousands of commas stay within the limit and are judged") {
	std::vector<std::string> many;
	for (int i = 0; i < 400; i++) {
		many.push_back("A:");
	}
	CHECK_EQ(parse(good_response(many)), Result::OK);
	std::vector<std::string> commas(1, "Sec-WebSocket-Protocol: " + std::string(3000, ','));
	CHECK_EQ(parse(good_response(commas), { "chat" }), Result::UNEXPECTED_PROTOCOL);
}

TEST("response: arbitrary bytes never crash and are refused") {
	std::string noise;
	uint32_t state = 12345;
	for (int round = 0; round < 2000; round++) {
		noise.clear();
		const size_t len = state % 300;
		for (size_t i = 0; i < len; i++) {
			state = state * 1103515245u + 12345u;
			noise += "HTTP/1.1 101\r\n:aU \0\t,"[(state >> 16) % 21];
		}
		noise += "\r\n\r\n";
		CHECK(parse(noise) != Result::OK);
	}
}
