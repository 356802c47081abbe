// RFC 6455 §5.3 masking: byte i of a payload is XORed with key[i % 4]. Masking and unmasking are
// the same operation. Works a 64-bit word at a time with the key rotated to the current phase, so
// only the few bytes before the destination is 8-byte aligned and the last < 8 bytes go one by one.
#pragma once

#include <cstddef>
#include <cstdint>

namespace gdws {

// The 4 key bytes in wire order.
struct MaskKey {
	uint8_t bytes[4];
};

// The key bytes for a 32-bit value from a MaskSource: most significant byte first, so the key
// 0x37fa213d goes on the wire as 37 fa 21 3d.
MaskKey mask_key_from_u32(uint32_t p_value);

// Writes p_src XOR key to r_dst. p_phase is the position of p_src[0] in the payload (only its
// value mod 4 matters), so a payload can be masked in pieces. r_dst may equal p_src (in place);
// other overlaps are not allowed.
void mask_copy(uint8_t *r_dst, const uint8_t *p_src, size_t p_len, const MaskKey &p_key, uint64_t p_phase);

} // namespace gdws
