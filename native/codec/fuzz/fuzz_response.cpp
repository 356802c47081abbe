// parse_server_response (the client reading the server's answer) for RFC 6455's sample key. The
// first input byte picks the subprotocols the client offered; the rest is the response head.
#include "fuzz_check.h"

#include <gdws/handshake.h>

#include <string>
#include <vector>

namespace hs = gdws::handshake;

static const char *const KEY = "dGhlIHNhbXBsZSBub25jZQ=="; // RFC 6455 §1.3
static const char *const PROTOCOLS[] = { "chat", "superchat", "v2.json", "x" };

// check_head_start on the whole input, checked against some of its prefixes: a prefix is either
// still acceptable or refused with the same answer.
static hs::Result check_start(const uint8_t *p_data, size_t p_size) {
	const hs::Result whole = hs::check_head_start(p_data, p_size, hs::HeadKind::RESPONSE);
	const size_t prefixes[] = { 0, 1, 2, 3, 4, 5, 9, p_size / 2, hs::MAX_HEADER_SIZE - 1, hs::MAX_HEADER_SIZE, p_size - 1 };
	for (size_t prefix : prefixes) {
		if (prefix < p_size) {
			const hs::Result part = hs::check_head_start(p_data, prefix, hs::HeadKind::RESPONSE);
			FUZZ_CHECK(part == hs::Result::OK || part == whole);
		}
	}
	return whole;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *p_data, size_t p_size) {
	fuzz::Reader input(p_data, p_size);
	const uint8_t choice = input.byte();
	std::vector<std::string> offered;
	for (int i = 0; i < 4; i++) {
		if (choice & (1 << i)) {
			offered.emplace_back(PROTOCOLS[i]);
		}
	}
	const auto rest = input.bytes(p_size);
	const std::string_view head = fuzz::as_text(rest.data(), rest.size());

	std::string protocol;
	const hs::Result result = hs::parse_server_response(head, KEY, offered, &protocol);
	FUZZ_CHECK(hs::parse_server_response(head, KEY, offered, nullptr) == result);

	// Bytes that cannot start a response are refused at once, for good: every longer input gets the
	// same answer. Otherwise the answer is find_header_end's for an unfinished or oversized head,
	// and bytes after the first CRLFCRLF are not part of the head.
	const hs::Result start = check_start(rest.data(), rest.size());
	if (start != hs::Result::OK) {
		FUZZ_CHECK(result == start);
		return 0;
	}
	size_t head_length = 0;
	const hs::Result end = hs::find_header_end(rest.data(), rest.size(), &head_length);
	if (end != hs::Result::OK) {
		FUZZ_CHECK(result == end);
		return 0;
	}
	FUZZ_CHECK(result != hs::Result::INCOMPLETE && result != hs::Result::HEADER_TOO_LARGE);
	FUZZ_CHECK(hs::parse_server_response(head.substr(0, head_length), KEY, offered, nullptr) == result);
	if (result != hs::Result::OK) {
		return 0;
	}

	// Accepted: the answer carries the right accept value and one of the offered protocols, or
	// none when none was offered.
	FUZZ_CHECK(head.substr(0, head_length).find(hs::compute_accept(KEY)) != std::string_view::npos);
	if (offered.empty()) {
		FUZZ_CHECK(protocol.empty());
	} else {
		bool known = false;
		for (const std::string &candidate : offered) {
			known = known || candidate == protocol;
		}
		FUZZ_CHECK(known);
	}
	return 0;
}
