#include "mask.h"

#include <cstring>

namespace gdws {

MaskKey mask_key_from_u32(uint32_t p_value) {
	MaskKey key;
	key.bytes[0] = uint8_t(p_value >> 24);
	key.bytes[1] = uint8_t(p_value >> 16);
	key.bytes[2] = uint8_t(p_value >> 8);
	key.bytes[3] = uint8_t(p_value);
	return key;
}

void mask_copy(uint8_t *r_dst, const uint8_t *p_src, size_t p_len, const MaskKey &p_key, uint64_t p_phase) {
	size_t phase = size_t(p_phase & 3);
	size_t i = 0;

	// Head: at most 7 bytes, until the destination is 8-byte aligned.
	size_t head = size_t(-reinterpret_cast<uintptr_t>(r_dst)) & 7;
	if (head > p_len) {
		head = p_len;
	}
	for (; i < head; i++) {
		r_dst[i] = p_src[i] ^ p_key.bytes[(phase + i) & 3];
	}
	phase = (phase + head) & 3;

	// Body: the key repeated twice, starting at the current phase, as one word in memory order
	// (byte order independent). 8 is a multiple of 4, so the phase is the same for every word.
	uint8_t key_bytes[8];
	for (size_t k = 0; k < 8; k++) {
		key_bytes[k] = p_key.bytes[(phase + k) & 3];
	}
	uint64_t key_word;
	std::memcpy(&key_word, key_bytes, 8);

	size_t body_end = i + ((p_len - i) & ~size_t(31));
	for (; i < body_end; i += 32) {
		uint64_t w[4];
		std::memcpy(w, p_src + i, 32);
		w[0] ^= key_word;
		w[1] ^= key_word;
		w[2] ^= key_word;
		w[3] ^= key_word;
		std::memcpy(r_dst + i, w, 32);
	}
	for (; i + 8 <= p_len; i += 8) {
		uint64_t w;
		std::memcpy(&w, p_src + i, 8);
		w ^= key_word;
		std::memcpy(r_dst + i, &w, 8);
	}

	// Tail: fewer than 8 bytes; i - head is a multiple of 8, so the phase still holds.
	for (size_t k = 0; i < p_len; i++, k++) {
		r_dst[i] = p_src[i] ^ key_bytes[k];
	}
}

} // namespace gdws
