// Incremental UTF-8 validation (RFC 3629, Unicode Table 3-7) as a small DFA.
// The state is one byte, so a message split across frames is validated piece by piece with no
// copying. The DFA rejects at the first byte that no valid continuation could follow, which lets
// the session fail a text message as soon as it goes wrong instead of at its end.
#pragma once

#include <cstddef>
#include <cstdint>

namespace gdws {
namespace utf8 {

// Between whole characters. The only state in which a complete message is valid.
constexpr uint8_t ACCEPT = 0;
// A byte that cannot occur here was seen; the state never leaves REJECT.
constexpr uint8_t REJECT = 1;

// Runs the validator over p_len more bytes starting in p_state and returns the new state
// (ACCEPT, REJECT, or an opaque "inside a character" state). Returns early on REJECT.
uint8_t advance(uint8_t p_state, const uint8_t *p_data, size_t p_len);

// Whole-buffer check: valid UTF-8 with no character cut off at the end.
inline bool is_valid(const uint8_t *p_data, size_t p_len) {
	return advance(ACCEPT, p_data, p_len) == ACCEPT;
}

} // namespace utf8
} // namespace gdws
