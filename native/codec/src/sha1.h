// SHA-1 (FIPS 180-4), only for the Sec-WebSocket-Accept value: RFC 6455 fixes the hash, and the
// codec may not depend on a crypto library. Not for anything that needs collision resistance.
#pragma once

#include <cstddef>
#include <cstdint>

namespace gdws {

class Sha1 {
public:
	static constexpr size_t DIGEST_SIZE = 20;

	Sha1();
	void update(const uint8_t *p_data, size_t p_len);
	// Pads, writes the digest and leaves the object reset for a new message.
	void finish(uint8_t r_digest[DIGEST_SIZE]);

	static void digest(const uint8_t *p_data, size_t p_len, uint8_t r_digest[DIGEST_SIZE]);

private:
	uint32_t state[5];
	uint64_t total_bytes = 0;
	uint8_t block[64];
	size_t block_used = 0;

	void _reset();
	void _compress(const uint8_t *p_block);
};

} // namespace gdws
