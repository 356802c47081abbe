// Base64 against RFC 4648 §10, both directions, and the strictness of the decoder that checks
// Sec-WebSocket-Key.
#include "base64.h"
#include "check.h"

#include <string>
#include <vector>

using namespace gdws::handshake;

static std::string encode(const std::string &p_text) {
	return base64_encode(reinterpret_cast<const uint8_t *>(p_text.data()), p_text.size());
}

static bool decode(const std::string &p_text, std::string *r_out) {
	std::vector<uint8_t> bytes;
	const bool ok = base64_decode(p_text, &bytes);
	r_out->assign(bytes.begin(), bytes.end());
	return ok;
}

struct Vector {
	const char *plain;
	const char *encoded;
};

static const Vector RFC4648[] = {
	{ "", "" },
	{ "f", "Zg==" },
	{ "fo", "Zm8=" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" },
	{ "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" },
};

TEST("RFC 4648 §10 vectors encode") {
	for (const Vector &v : RFC4648) {
		CHECK_EQ(encode(v.plain), std::string(v.encoded));
	}
}

TEST("RFC 4648 §10 vectors decode") {
	for (const Vector &v : RFC4648) {
		std::string out = "stale";
		CHECK(decode(v.encoded, &out));
		CHECK_EQ(out, std::string(v.plain));
	}
}

TEST("the last two alphabet characters and high bytes") {
	const uint8_t bytes[] = { 0xFB, 0xFF, 0xBF };
	CHECK_EQ(base64_encode(bytes, 3), std::string("+/+/"));
	const uint8_t zeros[] = { 0, 0, 0, 0 };
	CHECK_EQ(base64_encode(zeros, 4), std::string("AAAAAA=="));
	std::string out;
	CHECK(decode("+/+/", &out));
	CHECK_EQ(out, std::string("\xFB\xFF\xBF"));
}

TEST("every byte value round-trips at every length remainder") {
	std::vector<uint8_t> data;
	for (int b = 0; b < 256; b++) {
		data.push_back(uint8_t(b));
	}
	for (size_t len : { size_t(254), size_t(255), size_t(256) }) {
		const std::string text = base64_encode(data.data(), len);
		CHECK_EQ(text.size(), (len + 2) / 3 * 4);
		std::vector<uint8_t> back;
		CHECK(base64_decode(text, &back));
		CHECK(back == std::vector<uint8_t>(data.begin(), data.begin() + len));
	}
}

TEST("decoder rejects lengths that are not a multiple of 4") {
	std::string out;
	CHECK(!decode("Z", &out));
	CHECK(!decode("Zm9", &out));
	CHECK(!decode("Zm9vY", &out));
	CHECK(!decode("Zg=", &out));
	CHECK(out.empty());
}

TEST("decoder rejects characters outside the standard alphabet") {
	std::string out;
	CHECK(!decode("Zm9-", &out)); // URL-safe alphabet
	CHECK(!decode("Zm9_", &out));
	CHECK(!decode("Zm 9", &out)); // whitespace
	CHECK(!decode("Zm9v\r\n==", &out));
	CHECK(!decode(std::string("Zm\0v", 4), &out)); // NUL
	CHECK(!decode("Zm9\xC3", &out)); // non-ASCII
}

TEST("decoder rejects misplaced padding") {
	std::string out;
	CHECK(!decode("====", &out));
	CHECK(!decode("Z===", &out));
	CHECK(!decode("=Zm9", &out));
	CHECK(!decode("Zg=a", &out));
	CHECK(!decode("Zg==Zg==", &out)); // padding in the middle
	CHECK(!decode("Zm=v", &out));
}

TEST("decoder ignores non-zero bits after the last byte") {
	// "Zh==" carries 'f' plus four set bits that a canonical encoder would have cleared.
	std::string out;
	CHECK(decode("Zh==", &out));
	CHECK_EQ(out, std::string("f"));
	CHECK(decode("Zm9=", &out));
	CHECK_EQ(out, std::string("fo"));
}
