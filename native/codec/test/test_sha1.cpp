// SHA-1 against FIPS 180 examples and lengths around the 55/56/64-byte padding boundaries
// (reference digests from Python's hashlib).
#include "check.h"
#include "sha1.h"

#include <string>
#include <vector>

using gdws::Sha1;

static std::string hex(const uint8_t *p_data, size_t p_len) {
	static const char HEX[] = "0123456789abcdef";
	std::string out;
	for (size_t i = 0; i < p_len; i++) {
		out += HEX[p_data[i] >> 4];
		out += HEX[p_data[i] & 15];
	}
	return out;
}

static std::string sha1_hex(const std::string &p_text) {
	uint8_t digest[Sha1::DIGEST_SIZE];
	Sha1::digest(reinterpret_cast<const uint8_t *>(p_text.data()), p_text.size(), digest);
	return hex(digest, sizeof(digest));
}

// Feeds p_text in pieces of p_chunk bytes.
static std::string sha1_hex_chunked(const std::string &p_text, size_t p_chunk) {
	Sha1 sha;
	for (size_t i = 0; i < p_text.size(); i += p_chunk) {
		const size_t n = p_text.size() - i < p_chunk ? p_text.size() - i : p_chunk;
		sha.update(reinterpret_cast<const uint8_t *>(p_text.data()) + i, n);
	}
	uint8_t digest[Sha1::DIGEST_SIZE];
	sha.finish(digest);
	return hex(digest, sizeof(digest));
}

TEST("FIPS 180: abc") {
	CHECK_EQ(sha1_hex("abc"), std::string("a9993e364706816aba3e25717850c26c9cd0d89d"));
}

TEST("FIPS 180: empty message") {
	CHECK_EQ(sha1_hex(""), std::string("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
	uint8_t digest[Sha1::DIGEST_SIZE];
	Sha1::digest(nullptr, 0, digest); // a null pointer with length 0 is allowed
	CHECK_EQ(hex(digest, sizeof(digest)), std::string("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
}

TEST("FIPS 180: 448-bit message (two blocks of padding)") {
	CHECK_EQ(sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
			std::string("84983e441c3bd26ebaae4aa1f95129e5e54670f1"));
}

TEST("FIPS 180: 896-bit message") {
	CHECK_EQ(sha1_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
			std::string("a49b2446a02c645bf419f995b67091253a04a259"));
}

TEST("FIPS 180: one million 'a'") {
	const std::string million(1000000, 'a');
	CHECK_EQ(sha1_hex(million), std::string("34aa973cd4c4daa4f61eeb2bdbad27316534016f"));
	CHECK_EQ(sha1_hex_chunked(million, 997), std::string("34aa973cd4c4daa4f61eeb2bdbad27316534016f"));
}

TEST("lengths around the padding boundaries") {
	struct Vector {
		size_t length;
		const char *digest;
	};
	const Vector vectors[] = {
		{ 55, "c1c8bbdc22796e28c0e15163d20899b65621d65a" },
		{ 56, "c2db330f6083854c99d4b5bfb6e8f29f201be699" },
		{ 57, "f08f24908d682555111be7ff6f004e78283d989a" },
		{ 63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5" },
		{ 64, "0098ba824b5c16427bd7a1122a5a442a25ec644d" },
		{ 65, "11655326c708d70319be2610e8a57d9a5b959d3b" },
		{ 119, "ee971065aaa017e0632a8ca6c77bb3bf8b1dfc56" },
		{ 120, "f34c1488385346a55709ba056ddd08280dd4c6d6" },
		{ 128, "ad5b3fdbcb526778c2839d2f151ea753995e26a0" },
	};
	for (const Vector &v : vectors) {
		CHECK_EQ(sha1_hex(std::string(v.length, 'a')), std::string(v.digest));
	}
}

TEST("every byte value, fed in chunks of 1, 3, 63, 64 and 65 bytes") {
	std::string data;
	for (int round = 0; round < 3; round++) {
		for (int b = 0; b < 256; b++) {
			data += char(b);
		}
	}
	const std::string expected = "ac2a264c8ec1f4232a40854e8239bc3a697ab1d2";
	CHECK_EQ(sha1_hex(data), expected);
	for (size_t chunk : { 1, 3, 63, 64, 65 }) {
		CHECK_EQ(sha1_hex_chunked(data, chunk), expected);
	}
}

TEST("finish resets the object for the next message") {
	Sha1 sha;
	uint8_t digest[Sha1::DIGEST_SIZE];
	sha.update(reinterpret_cast<const uint8_t *>("xyz"), 3);
	sha.finish(digest);
	sha.update(reinterpret_cast<const uint8_t *>("abc"), 3);
	sha.finish(digest);
	CHECK_EQ(hex(digest, sizeof(digest)), std::string("a9993e364706816aba3e25717850c26c9cd0d89d"));
}
