#include "sha1.h"

#include <cstring>

namespace gdws {

static inline uint32_t _rotl(uint32_t p_value, int p_bits) {
	return (p_value << p_bits) | (p_value >> (32 - p_bits));
}

Sha1::Sha1() {
	_reset();
}

void Sha1::_reset() {
	state[0] = 0x67452301u;
	state[1] = 0xEFCDAB89u;
	state[2] = 0x98BADCFEu;
	state[3] = 0x10325476u;
	state[4] = 0xC3D2E1F0u;
	total_bytes = 0;
	block_used = 0;
}

void Sha1::_compress(const uint8_t *p_block) {
	uint32_t w[80];
	for (int i = 0; i < 16; i++) {
		w[i] = (uint32_t(p_block[i * 4]) << 24) | (uint32_t(p_block[i * 4 + 1]) << 16) |
				(uint32_t(p_block[i * 4 + 2]) << 8) | uint32_t(p_block[i * 4 + 3]);
	}
	for (int i = 16; i < 80; i++) {
		w[i] = _rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	}
	uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
	for (int i = 0; i < 80; i++) {
		uint32_t f;
		uint32_t k;
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5A827999u;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ED9EBA1u;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8F1BBCDCu;
		} else {
			f = b ^ c ^ d;
			k = 0xCA62C1D6u;
		}
		const uint32_t t = _rotl(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = _rotl(b, 30);
		b = a;
		a = t;
	}
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
	state[4] += e;
}

void Sha1::update(const uint8_t *p_data, size_t p_len) {
	if (p_len == 0) {
		return; // p_data may be null for an empty message.
	}
	total_bytes += p_len;
	while (p_len > 0) {
		const size_t take = p_len < 64 - block_used ? p_len : 64 - block_used;
		std::memcpy(block + block_used, p_data, take);
		block_used += take;
		p_data += take;
		p_len -= take;
		if (block_used == 64) {
			_compress(block);
			block_used = 0;
		}
	}
}

void Sha1::finish(uint8_t r_digest[DIGEST_SIZE]) {
	const uint64_t bit_length = total_bytes * 8;
	// Padding: one 1 bit, zeros up to 56 mod 64, then the message length as 64-bit big endian.
	block[block_used++] = 0x80;
	if (block_used > 56) {
		std::memset(block + block_used, 0, 64 - block_used);
		_compress(block);
		block_used = 0;
	}
	std::memset(block + block_used, 0, 56 - block_used);
	for (int i = 0; i < 8; i++) {
		block[56 + i] = uint8_t(bit_length >> (56 - 8 * i));
	}
	_compress(block);
	for (int i = 0; i < 5; i++) {
		r_digest[i * 4] = uint8_t(state[i] >> 24);
		r_digest[i * 4 + 1] = uint8_t(state[i] >> 16);
		r_digest[i * 4 + 2] = uint8_t(state[i] >> 8);
		r_digest[i * 4 + 3] = uint8_t(state[i]);
	}
	_reset();
}

void Sha1::digest(const uint8_t *p_data, size_t p_len, uint8_t r_digest[DIGEST_SIZE]) {
	Sha1 sha;
	sha.update(p_data, p_len);
	sha.finish(r_digest);
}

} // namespace gdws
