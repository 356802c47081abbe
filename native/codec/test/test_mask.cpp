// mask_copy against a plain byte loop: every length 0..70, every source and destination
// alignment, every phase, in place and not, and piecewise masking of a large payload.
#include "check.h"
#include "mask.h"

#include <cstring>
#include <vector>

using gdws::mask_copy;
using gdws::mask_key_from_u32;
using gdws::MaskKey;

namespace {

void reference_mask(uint8_t *r_dst, const uint8_t *p_src, size_t p_len, const MaskKey &p_key, uint64_t p_phase) {
	for (size_t i = 0; i < p_len; i++) {
		r_dst[i] = p_src[i] ^ p_key.bytes[(p_phase + i) % 4];
	}
}

uint8_t pattern(size_t p_index) {
	return uint8_t(p_index * 131 + 7);
}

const uint32_t KEYS[] = { 0x37fa213d, 0x01020304, 0xffffffff, 0x80000001 };

} // namespace

TEST("the key bytes go on the wire most significant first") {
	MaskKey key = mask_key_from_u32(0x37fa213d);
	CHECK_EQ(int(key.bytes[0]), 0x37);
	CHECK_EQ(int(key.bytes[1]), 0xfa);
	CHECK_EQ(int(key.bytes[2]), 0x21);
	CHECK_EQ(int(key.bytes[3]), 0x3d);
}

TEST("masks \"Hello\" with 37 fa 21 3d as in RFC 6455 §5.7") {
	const uint8_t hello[] = { 'H', 'e', 'l', 'l', 'o' };
	uint8_t out[5];
	mask_copy(out, hello, 5, mask_key_from_u32(0x37fa213d), 0);
	const uint8_t expected[] = { 0x7f, 0x9f, 0x4d, 0x51, 0x58 };
	CHECK(std::memcmp(out, expected, 5) == 0);
}

TEST("matches a byte loop at every length 0..70, alignment and phase") {
	std::vector<uint8_t> src(96), dst(96), want(96);
	int mismatches = 0;
	for (uint32_t key_value : KEYS) {
		const MaskKey key = mask_key_from_u32(key_value);
		for (size_t len = 0; len <= 70; len++) {
			for (size_t src_align = 0; src_align < 8; src_align++) {
				for (size_t dst_align = 0; dst_align < 8; dst_align++) {
					for (uint64_t phase = 0; phase < 8; phase++) {
						for (size_t i = 0; i < src.size(); i++) {
							src[i] = pattern(i + len);
						}
						std::fill(dst.begin(), dst.end(), 0xAA);
						std::fill(want.begin(), want.end(), 0xAA);
						mask_copy(dst.data() + dst_align, src.data() + src_align, len, key, phase);
						reference_mask(want.data() + dst_align, src.data() + src_align, len, key, phase);
						// Also checks nothing outside [dst_align, dst_align + len) was touched.
						if (dst != want) {
							mismatches++;
						}
					}
				}
			}
		}
	}
	CHECK_EQ(mismatches, 0);
}

TEST("masks in place at every length 0..70, alignment and phase") {
	std::vector<uint8_t> buf(96), want(96);
	int mismatches = 0;
	for (uint32_t key_value : KEYS) {
		const MaskKey key = mask_key_from_u32(key_value);
		for (size_t len = 0; len <= 70; len++) {
			for (size_t align = 0; align < 8; align++) {
				for (uint64_t phase = 0; phase < 4; phase++) {
					for (size_t i = 0; i < buf.size(); i++) {
						buf[i] = want[i] = pattern(i * 3 + len);
					}
					mask_copy(buf.data() + align, buf.data() + align, len, key, phase);
					reference_mask(want.data() + align, want.data() + align, len, key, phase);
					if (buf != want) {
						mismatches++;
					}
				}
			}
		}
	}
	CHECK_EQ(mismatches, 0);
}

TEST("masking twice restores the payload") {
	std::vector<uint8_t> src(1000), once(1000), twice(1000);
	for (size_t i = 0; i < src.size(); i++) {
		src[i] = pattern(i);
	}
	const MaskKey key = mask_key_from_u32(0xdeadbeef);
	mask_copy(once.data(), src.data(), src.size(), key, 0);
	mask_copy(twice.data(), once.data(), once.size(), key, 0);
	CHECK(once != src);
	CHECK(twice == src);
}

TEST("masking a large payload in uneven pieces equals masking it at once") {
	const size_t total = 100003;
	std::vector<uint8_t> src(total), whole(total), pieces(total);
	for (size_t i = 0; i < total; i++) {
		src[i] = pattern(i);
	}
	const MaskKey key = mask_key_from_u32(0x12345678);
	mask_copy(whole.data(), src.data(), total, key, 0);
	size_t pos = 0;
	size_t step = 1;
	while (pos < total) {
		const size_t n = std::min(step, total - pos);
		mask_copy(pieces.data() + pos, src.data() + pos, n, key, pos);
		pos += n;
		step = step * 7 % 1013 + 1;
	}
	CHECK(whole == pieces);
	std::vector<uint8_t> want(total);
	reference_mask(want.data(), src.data(), total, key, 0);
	CHECK(whole == want);
}
