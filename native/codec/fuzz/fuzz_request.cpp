// parse_client_request (the server reading a client's opening handshake). The first input byte
// picks the server's supported subprotocols; the rest is the request head. An accepted request
// must yield a key and subprotocol from which our own response passes our own client's checks.
#include "fuzz_check.h"

#include <gdws/handshake.h>

#include <string>
#include <vector>

namespace hs = gdws::handshake;

static const char *const PROTOCOLS[] = { "chat", "superchat", "v2.json", "x" };

// check_head_start on the whole input, checked against some of its prefixes: a prefix is either
// still acceptable or refused with the same answer.
static hs::Result check_start(const uint8_t *p_data, size_t p_size) {
	const hs::Result whole = hs::check_head_start(p_data, p_size, hs::HeadKind::REQUEST);
	const size_t prefixes[] = { 0, 1, 2, 3, 4, 5, 9, p_size / 2, hs::MAX_HEADER_SIZE - 1, hs::MAX_HEADER_SIZE, p_size - 1 };
	for (size_t prefix : prefixes) {
		if (prefix < p_size) {
			const hs::Result part = hs::check_head_start(p_data, prefix, hs::HeadKind::REQUEST);
			FUZZ_CHECK(part == hs::Result::OK || part == whole);
		}
	}
	return whole;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *p_data, size_t p_size) {
	fuzz::Reader input(p_data, p_size);
	const uint8_t choice = input.byte();
	std::vector<std::string> supported;
	for (int i = 0; i < 4; i++) {
		if (choice & (1 << i)) {
			supported.emplace_back(PROTOCOLS[i]);
		}
	}
	const auto rest = input.bytes(p_size);
	const std::string_view head = fuzz::as_text(rest.data(), rest.size());

	hs::RequestInfo info;
	const hs::Result result = hs::parse_client_request(head, supported, &info);
	FUZZ_CHECK(hs::parse_client_request(head, supported, nullptr) == result);

	// Bytes that cannot start a request are refused at once, for good: every longer input gets the
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
	FUZZ_CHECK(hs::parse_client_request(head.substr(0, head_length), supported, nullptr) == result);
	if (result != hs::Result::OK) {
		return 0;
	}

	FUZZ_CHECK(info.key.size() == 24);
	FUZZ_CHECK(!info.target.empty());
	if (info.protocol.empty()) {
		FUZZ_CHECK(supported.empty());
	} else {
		bool known = false;
		for (const std::string &protocol : supported) {
			known = known || protocol == info.protocol;
		}
		FUZZ_CHECK(known);
	}

	const std::string response = hs::build_server_response(info.key, info.protocol, {});
	std::vector<std::string> offered;
	if (!info.protocol.empty()) {
		offered.push_back(info.protocol);
	}
	std::string chosen;
	FUZZ_CHECK(hs::parse_server_response(response, info.key, offered, &chosen) == hs::Result::OK);
	FUZZ_CHECK(chosen == info.protocol);
	return 0;
}
