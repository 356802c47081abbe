// The UTF-8 DFA against an independent decoder: exhaustive over short strings, fail-fast at the
// exact byte, state carried across arbitrary splits, and the ASCII word-at-a-time path.
#include "check.h"
#include "utf8.h"

#include <string>
#include <vector>

namespace utf8 = gdws::utf8;
using Bytes = std::vector<uint8_t>;

namespace {

// Decodes code point by code point with the definitions of RFC 3629 (no tables).
bool reference_valid(const uint8_t *p_data, size_t p_len) {
	size_t i = 0;
	while (i < p_len) {
		const uint8_t b = p_data[i];
		size_t len;
		uint32_t cp;
		if (b < 0x80) {
			i++;
			continue;
		} else if ((b & 0xE0) == 0xC0) {
			len = 2;
			cp = b & 0x1F;
		} else if ((b & 0xF0) == 0xE0) {
			len = 3;
			cp = b & 0x0F;
		} else if ((b & 0xF8) == 0xF0) {
			len = 4;
			cp = b & 0x07;
		} else {
			return false;
		}
		if (i + len > p_len) {
			return false;
		}
		for (size_t k = 1; k < len; k++) {
			if ((p_data[i + k] & 0xC0) != 0x80) {
				return false;
			}
			cp = (cp << 6) | (p_data[i + k] & 0x3F);
		}
		const uint32_t min_for_length[] = { 0, 0, 0x80, 0x800, 0x10000 };
		if (cp < min_for_length[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
			return false;
		}
		i += len;
	}
	return true;
}

// Can p_prefix still become valid UTF-8? Tries completions of up to 3 continuation bytes from
// the two extremes 80 and BF (a cut-off character only needs its own remaining bytes).
bool reference_extendable(const Bytes &p_prefix) {
	if (reference_valid(p_prefix.data(), p_prefix.size())) {
		return true;
	}
	for (size_t extra = 1; extra <= 3; extra++) {
		for (unsigned combo = 0; combo < (1u << extra); combo++) {
			Bytes s = p_prefix;
			for (size_t k = 0; k < extra; k++) {
				s.push_back((combo >> k) & 1 ? 0xBF : 0x80);
			}
			if (reference_valid(s.data(), s.size())) {
				return true;
			}
		}
	}
	return false;
}

bool dfa_valid(const Bytes &p_bytes) {
	return utf8::is_valid(p_bytes.data(), p_bytes.size());
}

// Index of the byte at which the DFA rejects, or -1.
int reject_index(const Bytes &p_bytes) {
	uint8_t state = utf8::ACCEPT;
	for (size_t i = 0; i < p_bytes.size(); i++) {
		state = utf8::advance(state, &p_bytes[i], 1);
		if (state == utf8::REJECT) {
			return int(i);
		}
	}
	return -1;
}

} // namespace

TEST("accepts ASCII, 2-, 3- and 4-byte characters and the range edges") {
	CHECK(dfa_valid({}));
	CHECK(dfa_valid({ 'H', 'e', 'l', 'l', 'o' }));
	CHECK(dfa_valid({ 0x00 }));
	CHECK(dfa_valid({ 0x7F }));
	CHECK(dfa_valid({ 0xC2, 0x80 })); // U+0080
	CHECK(dfa_valid({ 0xDF, 0xBF })); // U+07FF
	CHECK(dfa_valid({ 0xE0, 0xA0, 0x80 })); // U+0800
	CHECK(dfa_valid({ 0xED, 0x9F, 0xBF })); // U+D7FF
	CHECK(dfa_valid({ 0xEE, 0x80, 0x80 })); // U+E000
	CHECK(dfa_valid({ 0xEF, 0xBF, 0xBF })); // U+FFFF
	CHECK(dfa_valid({ 0xF0, 0x90, 0x80, 0x80 })); // U+10000
	CHECK(dfa_valid({ 0xF4, 0x8F, 0xBF, 0xBF })); // U+10FFFF
	CHECK(dfa_valid({ 0xE2, 0x82, 0xAC })); // €
	CHECK(dfa_valid({ 'b', 'y', 'e', 0x00 })); // Godot 3's close reason with its trailing NUL
}

TEST("rejects overlongs, surrogates, code points above U+10FFFF and stray bytes") {
	CHECK(!dfa_valid({ 0xC0, 0x80 }));
	CHECK(!dfa_valid({ 0xC1, 0xBF }));
	CHECK(!dfa_valid({ 0xE0, 0x80, 0x80 }));
	CHECK(!dfa_valid({ 0xE0, 0x9F, 0xBF }));
	CHECK(!dfa_valid({ 0xF0, 0x80, 0x80, 0x80 }));
	CHECK(!dfa_valid({ 0xF0, 0x8F, 0xBF, 0xBF }));
	CHECK(!dfa_valid({ 0xED, 0xA0, 0x80 })); // U+D800
	CHECK(!dfa_valid({ 0xED, 0xBF, 0xBF })); // U+DFFF
	CHECK(!dfa_valid({ 0xF4, 0x90, 0x80, 0x80 })); // U+110000
	CHECK(!dfa_valid({ 0xF5, 0x80, 0x80, 0x80 }));
	CHECK(!dfa_valid({ 0xFF }));
	CHECK(!dfa_valid({ 0x80 }));
	CHECK(!dfa_valid({ 0xE2, 0x82 })); // cut off
	CHECK(!dfa_valid({ 0xC2, 'A' }));
}

TEST("rejects at the first byte that cannot lead to valid text") {
	CHECK_EQ(reject_index({ 0xC0 }), 0);
	CHECK_EQ(reject_index({ 0xF5 }), 0);
	CHECK_EQ(reject_index({ 'a', 0x80 }), 1);
	CHECK_EQ(reject_index({ 0xE0, 0x80 }), 1);
	CHECK_EQ(reject_index({ 0xED, 0xA0 }), 1);
	CHECK_EQ(reject_index({ 0xF0, 0x8F }), 1);
	CHECK_EQ(reject_index({ 0xF4, 0x90 }), 1);
	CHECK_EQ(reject_index({ 0xE2, 0x82, 'x' }), 2);
	CHECK_EQ(reject_index({ 0xE2, 0x82 }), -1); // still completable
}

TEST("agrees with the reference decoder on every 1- and 2-byte string") {
	int wrong = 0;
	for (unsigned a = 0; a < 256; a++) {
		if (dfa_valid({ uint8_t(a) }) != reference_valid(Bytes{ uint8_t(a) }.data(), 1)) {
			wrong++;
		}
		for (unsigned b = 0; b < 256; b++) {
			const Bytes s = { uint8_t(a), uint8_t(b) };
			if (dfa_valid(s) != reference_valid(s.data(), 2)) {
				wrong++;
			}
		}
	}
	CHECK_EQ(wrong, 0);
}

TEST("agrees with the reference decoder on every 3-byte string starting with a lead byte") {
	int wrong = 0;
	for (unsigned a = 0xC0; a < 256; a++) {
		for (unsigned b = 0; b < 256; b++) {
			for (unsigned c = 0; c < 256; c++) {
				const uint8_t s[3] = { uint8_t(a), uint8_t(b), uint8_t(c) };
				if (utf8::is_valid(s, 3) != reference_valid(s, 3)) {
					wrong++;
				}
			}
		}
	}
	CHECK_EQ(wrong, 0);
}

TEST("agrees with the reference decoder on 4-byte strings around every boundary") {
	const uint8_t tails[] = { 0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF };
	int wrong = 0;
	for (unsigned a = 0xE0; a < 256; a++) {
		for (unsigned b = 0; b < 256; b++) {
			for (uint8_t c : tails) {
				for (uint8_t d : tails) {
					const uint8_t s[4] = { uint8_t(a), uint8_t(b), c, d };
					if (utf8::is_valid(s, 4) != reference_valid(s, 4)) {
						wrong++;
					}
				}
			}
		}
	}
	CHECK_EQ(wrong, 0);
}

TEST("rejects a prefix exactly when no continuation could make it valid") {
	int wrong = 0;
	for (unsigned a = 0; a < 256; a++) {
		for (unsigned b = 0; b < 256; b++) {
			const Bytes s = { uint8_t(a), uint8_t(b) };
			const bool rejected = utf8::advance(utf8::ACCEPT, s.data(), 2) == utf8::REJECT;
			if (rejected == reference_extendable(s)) {
				wrong++;
			}
		}
	}
	for (unsigned a = 0xF0; a < 0xF8; a++) {
		for (unsigned b = 0x80; b < 0xC0; b++) {
			for (unsigned c = 0; c < 256; c++) {
				const Bytes s = { uint8_t(a), uint8_t(b), uint8_t(c) };
				const bool rejected = utf8::advance(utf8::ACCEPT, s.data(), 3) == utf8::REJECT;
				if (rejected == reference_extendable(s)) {
					wrong++;
				}
			}
		}
	}
	CHECK_EQ(wrong, 0);
}

TEST("gives the same verdict when the text is split anywhere") {
	const std::string samples[] = {
		"h\xC3\xA9llo w\xC3\xB6rld \xE2\x82\xAC \xF0\x9F\x98\x80 done",
		"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xE2\x82\xAC\xE2\x82\xAC",
		"abc\xED\xA0\x80xyz",
		"abcdefgh\xE2\x82",
		"\xE0\xA0\x80\xF4\x8F\xBF\xBF" "0123456789abcdef\xC2",
	};
	int wrong = 0;
	for (const std::string &sample : samples) {
		const Bytes s(sample.begin(), sample.end());
		const bool whole = dfa_valid(s);
		if (whole != reference_valid(s.data(), s.size())) {
			wrong++;
		}
		for (size_t a = 0; a <= s.size(); a++) {
			for (size_t b = a; b <= s.size(); b++) {
				uint8_t state = utf8::advance(utf8::ACCEPT, s.data(), a);
				state = utf8::advance(state, s.data() + a, b - a);
				state = utf8::advance(state, s.data() + b, s.size() - b);
				if ((state == utf8::ACCEPT) != whole) {
					wrong++;
				}
			}
		}
	}
	CHECK_EQ(wrong, 0);
}

TEST("the ASCII fast path still sees a bad or multibyte byte at every position") {
	int wrong = 0;
	for (size_t len = 1; len <= 40; len++) {
		for (size_t at = 0; at < len; at++) {
			Bytes bad(len, 'a');
			bad[at] = 0xFF;
			if (dfa_valid(bad)) {
				wrong++;
			}
			Bytes good(len, 'a');
			good[at] = 0xC3;
			good.insert(good.begin() + ptrdiff_t(at) + 1, 0xA9);
			if (!dfa_valid(good)) {
				wrong++;
			}
			Bytes cut(len, 'a');
			cut[len - 1] = 0xC3;
			if (dfa_valid(cut)) {
				wrong++;
			}
		}
	}
	CHECK_EQ(wrong, 0);
}
