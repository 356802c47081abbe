// Shared by the two handshake-head targets (request: the server reading a client's request,
// response: the client reading the server's answer): the subprotocols an input byte picks, and
// the contract both parsers keep with check_head_start and find_header_end.
#pragma once

#include "fuzz_check.h"

#include <gdws/handshake.h>

#include <string>
#include <string_view>
#include <vector>

namespace fuzz {

namespace hs = gdws::handshake;

// The subprotocols whose bits are set in p_choice: a server's supported ones or a client's offer.
inline std::vector<std::string> protocols(uint8_t p_choice) {
	static const char *const NAMES[] = { "chat", "superchat", "v2.json", "x" };
	std::vector<std::string> result;
	for (int i = 0; i < 4; i++) {
		if (p_choice & (1 << i)) {
			result.emplace_back(NAMES[i]);
		}
	}
	return result;
}

inline bool contains(const std::vector<std::string> &p_list, const std::string &p_item) {
	for (const std::string &item : p_list) {
		if (item == p_item) {
			return true;
		}
	}
	return false;
}

// check_head_start on the whole input, checked against some of its prefixes: a prefix is either
// still acceptable or refused with the same answer.
inline hs::Result checked_head_start(const uint8_t *p_data, size_t p_size, hs::HeadKind p_kind) {
	const hs::Result whole = hs::check_head_start(p_data, p_size, p_kind);
	const size_t prefixes[] = { 0, 1, 2, 3, 4, 5, 9, p_size / 2, hs::MAX_HEADER_SIZE - 1, hs::MAX_HEADER_SIZE, p_size - 1 };
	for (size_t prefix : prefixes) {
		if (prefix < p_size) {
			const hs::Result part = hs::check_head_start(p_data, prefix, p_kind);
			FUZZ_CHECK(part == hs::Result::OK || part == whole);
		}
	}
	return whole;
}

// p_result is the parser's answer for the whole input. Bytes that cannot start a head are refused
// at once, for good: every longer input gets the same answer. Otherwise the answer is
// find_header_end's for an unfinished or oversized head, and bytes after the first CRLFCRLF are
// not part of the head (p_reparse, the same parser on the head alone, answers the same). Returns
// the head's length when the parser judged a complete head (p_result is then its verdict), else 0.
template <typename Reparse>
size_t check_head_contract(const uint8_t *p_data, size_t p_size, hs::HeadKind p_kind, hs::Result p_result, Reparse p_reparse) {
	const hs::Result start = checked_head_start(p_data, p_size, p_kind);
	if (start != hs::Result::OK) {
		FUZZ_CHECK(p_result == start);
		return 0;
	}
	size_t head_length = 0;
	const hs::Result end = hs::find_header_end(p_data, p_size, &head_length);
	if (end != hs::Result::OK) {
		FUZZ_CHECK(p_result == end);
		return 0;
	}
	FUZZ_CHECK(p_result != hs::Result::INCOMPLETE && p_result != hs::Result::HEADER_TOO_LARGE);
	FUZZ_CHECK(p_reparse(as_text(p_data, head_length)) == p_result);
	return head_length;
}

} // namespace fuzz
