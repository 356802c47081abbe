// parse_url on any bytes. A URL that parses must give a host, a port and a path that can go into
// a request line as they are, must parse to the same result when written back as a URL, and the
// request built from it must pass our own server's request parser.
#include "fuzz_check.h"

#include <gdws/handshake.h>

#include <string>

namespace hs = gdws::handshake;

static bool same(const hs::Url &p_a, const hs::Url &p_b) {
	return p_a.tls == p_b.tls && p_a.host == p_b.host && p_a.port == p_b.port && p_a.path == p_b.path;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *p_data, size_t p_size) {
	const std::string_view text = fuzz::as_text(p_data, p_size);
	hs::Url url;
	const hs::Result result = hs::parse_url(text, &url);
	FUZZ_CHECK(hs::parse_url(text, nullptr) == result);
	if (result != hs::Result::OK) {
		FUZZ_CHECK(same(url, hs::Url())); // a refused URL leaves nothing half-filled
		return 0;
	}

	FUZZ_CHECK(!url.host.empty());
	FUZZ_CHECK(url.port != 0);
	FUZZ_CHECK(!url.path.empty() && url.path[0] == '/');
	for (char c : url.path) {
		const unsigned char b = static_cast<unsigned char>(c);
		FUZZ_CHECK(b > 0x20 && b < 0x7F); // nothing that could break or extend the request line
		FUZZ_CHECK(c != '#');
	}
	for (char c : url.host) {
		FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
		const unsigned char b = static_cast<unsigned char>(c);
		FUZZ_CHECK(b > 0x20 && b != 0x7F && c != '/' && c != '?' && c != '#' && c != '@');
	}

	const bool ipv6 = url.host.find(':') != std::string::npos;
	const std::string again = std::string(url.tls ? "wss://" : "ws://") + (ipv6 ? "[" + url.host + "]" : url.host) + ":" +
			std::to_string(url.port) + url.path;
	hs::Url reparsed;
	FUZZ_CHECK(hs::parse_url(again, &reparsed) == hs::Result::OK);
	FUZZ_CHECK(same(reparsed, url));

	hs::ClientRequest request;
	request.url = url;
	const uint8_t random[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	request.key = hs::make_key(random);
	const std::string head = hs::build_client_request(request);
	hs::RequestInfo info;
	const hs::Result served = hs::parse_client_request(head, {}, &info);
	if (head.size() > hs::MAX_HEADER_SIZE) {
		// Too long for any server of ours: 414 when the request line alone passes the cap.
		const bool line_too_long = head.find("\r\n") + 2 > hs::MAX_HEADER_SIZE;
		FUZZ_CHECK(served == (line_too_long ? hs::Result::TARGET_TOO_LONG : hs::Result::HEADER_TOO_LARGE));
		return 0;
	}
	FUZZ_CHECK(served == hs::Result::OK);
	FUZZ_CHECK(info.target == url.path);
	FUZZ_CHECK(info.key == request.key);
	return 0;
}
