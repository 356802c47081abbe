#include "utf8.h"

#include <array>
#include <cstring>

namespace gdws {
namespace utf8 {

namespace {

// States besides ACCEPT and REJECT: how many continuation bytes are still owed, and whether the
// next one has a narrowed range (the rows of Unicode Table 3-7 that exclude overlongs,
// surrogates and code points above U+10FFFF).
enum State : uint8_t {
	S_ACCEPT = ACCEPT,
	S_REJECT = REJECT,
	S_NEED1, // one more 80..BF
	S_NEED2, // two more 80..BF
	S_NEED3, // three more 80..BF
	S_AFTER_E0, // A0..BF, then one more (excludes 3-byte overlongs)
	S_AFTER_ED, // 80..9F, then one more (excludes surrogates D800..DFFF)
	S_AFTER_F0, // 90..BF, then two more (excludes 4-byte overlongs)
	S_AFTER_F4, // 80..8F, then two more (excludes > U+10FFFF)
	STATE_COUNT,
};

// Byte classes: bytes that every state treats alike.
enum Class : uint8_t {
	C_ASCII, // 00..7F
	C_CONT_80, // 80..8F
	C_CONT_90, // 90..9F
	C_CONT_A0, // A0..BF
	C_INVALID, // C0, C1 (always overlong), F5..FF (beyond U+10FFFF)
	C_LEAD2, // C2..DF
	C_LEAD_E0, // E0
	C_LEAD3, // E1..EC, EE, EF
	C_LEAD_ED, // ED
	C_LEAD_F0, // F0
	C_LEAD4, // F1..F3
	C_LEAD_F4, // F4
	CLASS_COUNT,
};

constexpr uint8_t class_of(unsigned p_byte) {
	if (p_byte < 0x80) {
		return C_ASCII;
	} else if (p_byte < 0x90) {
		return C_CONT_80;
	} else if (p_byte < 0xA0) {
		return C_CONT_90;
	} else if (p_byte < 0xC0) {
		return C_CONT_A0;
	} else if (p_byte < 0xC2) {
		return C_INVALID;
	} else if (p_byte < 0xE0) {
		return C_LEAD2;
	} else if (p_byte == 0xE0) {
		return C_LEAD_E0;
	} else if (p_byte == 0xED) {
		return C_LEAD_ED;
	} else if (p_byte < 0xF0) {
		return C_LEAD3;
	} else if (p_byte == 0xF0) {
		return C_LEAD_F0;
	} else if (p_byte < 0xF4) {
		return C_LEAD4;
	} else if (p_byte == 0xF4) {
		return C_LEAD_F4;
	}
	return C_INVALID;
}

constexpr uint8_t next_state(uint8_t p_state, uint8_t p_class) {
	const bool cont = p_class == C_CONT_80 || p_class == C_CONT_90 || p_class == C_CONT_A0;
	switch (p_state) {
		case S_ACCEPT:
			switch (p_class) {
				case C_ASCII:
					return S_ACCEPT;
				case C_LEAD2:
					return S_NEED1;
				case C_LEAD_E0:
					return S_AFTER_E0;
				case C_LEAD3:
					return S_NEED2;
				case C_LEAD_ED:
					return S_AFTER_ED;
				case C_LEAD_F0:
					return S_AFTER_F0;
				case C_LEAD4:
					return S_NEED3;
				case C_LEAD_F4:
					return S_AFTER_F4;
				default:
					return S_REJECT;
			}
		case S_NEED1:
			return cont ? S_ACCEPT : S_REJECT;
		case S_NEED2:
			return cont ? S_NEED1 : S_REJECT;
		case S_NEED3:
			return cont ? S_NEED2 : S_REJECT;
		case S_AFTER_E0:
			return p_class == C_CONT_A0 ? S_NEED1 : S_REJECT;
		case S_AFTER_ED:
			return (p_class == C_CONT_80 || p_class == C_CONT_90) ? S_NEED1 : S_REJECT;
		case S_AFTER_F0:
			return (p_class == C_CONT_90 || p_class == C_CONT_A0) ? S_NEED2 : S_REJECT;
		case S_AFTER_F4:
			return p_class == C_CONT_80 ? S_NEED2 : S_REJECT;
		default:
			return S_REJECT;
	}
}

struct Tables {
	std::array<uint8_t, 256> classes{};
	std::array<uint8_t, STATE_COUNT * CLASS_COUNT> transitions{};
};

constexpr Tables make_tables() {
	Tables t;
	for (unsigned b = 0; b < 256; b++) {
		t.classes[b] = class_of(b);
	}
	for (uint8_t s = 0; s < STATE_COUNT; s++) {
		for (uint8_t c = 0; c < CLASS_COUNT; c++) {
			t.transitions[s * CLASS_COUNT + c] = next_state(s, c);
		}
	}
	return t;
}

constexpr Tables TABLES = make_tables();
constexpr uint64_t HIGH_BITS = 0x8080808080808080ull;

} // namespace

uint8_t advance(uint8_t p_state, const uint8_t *p_data, size_t p_len) {
	uint8_t state = p_state;
	size_t i = 0;
	while (i < p_len) {
		if (state == S_ACCEPT && p_data[i] < 0x80) {
			// ASCII fast path: skip 8 bytes at a time while none has its high bit set.
			while (i + 8 <= p_len) {
				uint64_t word;
				std::memcpy(&word, p_data + i, 8);
				if (word & HIGH_BITS) {
					break;
				}
				i += 8;
			}
			while (i < p_len && p_data[i] < 0x80) {
				i++;
			}
			if (i == p_len) {
				break;
			}
		}
		state = TABLES.transitions[state * CLASS_COUNT + TABLES.classes[p_data[i]]];
		if (state == S_REJECT) {
			return S_REJECT;
		}
		i++;
	}
	return state;
}

} // namespace utf8
} // namespace gdws
