// find_header_end, the accept key, make_key and the Result texts.
#include "check.h"
#include "gdws/handshake.h"

#include <cstring>
#include <set>
#include <string>

using namespace gdws::handshake;

static Result find_end(const std::string &p_data, size_t *r_length) {
	return find_header_end(reinterpret_cast<const uint8_t *>(p_data.data()), p_data.size(), r_length);
}

TEST("find_header_end: finds the first CRLFCRLF and counts it in") {
	size_t length = 99;
	CHECK_EQ(find_end("GET / HTTP/1.1\r\nA: b\r\n\r\nframe bytes\r\n\r\n", &length), Result::OK);
	CHECK_EQ(length, size_t(24));
	CHECK_EQ(find_end("\r\n\r\n", &length), Result::OK);
	CHECK_EQ(length, size_t(4));
}

TEST("find_header_end: incomplete heads") {
	size_t length = 99;
	CHECK_EQ(find_header_end(nullptr, 0, &length), Result::INCOMPLETE);
	CHECK_EQ(length, size_t(0));
	CHECK_EQ(find_end("GET / HTTP/1.1\r\n", &length), Result::INCOMPLETE);
	CHECK_EQ(find_end("\r\n\r", &length), Result::INCOMPLETE);
	CHECK_EQ(find_end("\n\n\n\n\r\r\r\r\n\n\r\r\n", &length), Result::INCOMPLETE); // bare LF/CR do not end a head
	CHECK_EQ(find_end(std::string("\r\n\0\r\n", 5), &length), Result::INCOMPLETE);
}

TEST("find_header_end: a head of exactly 4096 bytes is accepted") {
	std::string head(MAX_HEADER_SIZE - 4, 'x');
	head += "\r\n\r\n";
	size_t length = 0;
	CHECK_EQ(find_end(head, &length), Result::OK);
	CHECK_EQ(length, MAX_HEADER_SIZE);
	CHECK_EQ(find_end(head + "more", &length), Result::OK);
	CHECK_EQ(length, MAX_HEADER_SIZE);
}

TEST("find_header_end: 4096 bytes without a terminator is too large") {
	size_t length = 99;
	const std::string almost(MAX_HEADER_SIZE - 1, 'x');
	CHECK_EQ(find_end(almost, &length), Result::INCOMPLETE);
	CHECK_EQ(find_end(almost + "x", &length), Result::HEADER_TOO_LARGE);
	CHECK_EQ(length, size_t(0));
	// A terminator that ends at byte 4097 is one byte too late.
	std::string late(MAX_HEADER_SIZE - 3, 'x');
	late += "\r\n\r\n";
	CHECK_EQ(find_end(late, &length), Result::HEADER_TOO_LARGE);
	CHECK_EQ(find_end(std::string(100000, '\n'), &length), Result::HEADER_TOO_LARGE);
}

TEST("find_header_end: a null length pointer is allowed") {
	CHECK_EQ(find_end("\r\n\r\n", nullptr), Result::OK);
}

TEST("compute_accept: RFC 6455 §1.3 example") {
	CHECK_EQ(compute_accept("dGhlIHNhbXBsZSBub25jZQ=="), std::string("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

TEST("compute_accept: a second known pair and the empty key") {
	// The hybi-draft / Wikipedia example pair (checked with Python's hashlib and base64).
	CHECK_EQ(compute_accept("x3JJHMbDL1EzLkh9GBhXDw=="), std::string("HSmrc0sMlYUkAGmm5OPpG2HaGWk="));
	CHECK_EQ(compute_accept("").size(), size_t(28));
	CHECK(compute_accept("a") != compute_accept("b"));
}

TEST("make_key: 24 characters of base64 of the given bytes") {
	const uint8_t sample[16] = { 't', 'h', 'e', ' ', 's', 'a', 'm', 'p', 'l', 'e', ' ', 'n', 'o', 'n', 'c', 'e' };
	CHECK_EQ(make_key(sample), std::string("dGhlIHNhbXBsZSBub25jZQ=="));
	uint8_t ff[16];
	std::memset(ff, 0xFF, sizeof(ff));
	CHECK_EQ(make_key(ff), std::string("/////////////////////w=="));
}

static const char *const NAMES[] = {
	"OK", "INCOMPLETE", "HEADER_TOO_LARGE", "URL_EMPTY", "URL_BAD_SCHEME", "URL_BAD_HOST", "URL_BAD_PORT",
	"TOO_FEW_LINES", "BAD_HEADER_LINE", "MISSING_UPGRADE", "MISSING_CONNECTION", "BAD_STATUS_LINE", "BAD_ACCEPT",
	"UNEXPECTED_PROTOCOL", "MISSING_PROTOCOL", "UNEXPECTED_EXTENSION", "BAD_REQUEST_LINE", "BAD_VERSION", "BAD_KEY",
	"NO_COMMON_PROTOCOL", "TLS_FROM_CLIENT", "TLS_FROM_SERVER", "BAD_HOST", "BAD_TARGET", "TARGET_TOO_LONG", "HAS_BODY",
};
static const int RESULT_COUNT = int(sizeof(NAMES) / sizeof(NAMES[0]));

TEST("result_name: the enumerator's name for every value") {
	for (int i = 0; i < RESULT_COUNT; i++) {
		CHECK_EQ(std::string(result_name(Result(i))), std::string(NAMES[i]));
	}
	CHECK_EQ(std::string(result_name(Result(RESULT_COUNT))), std::string("UNKNOWN"));
	CHECK_EQ(std::string(result_name(Result(255))), std::string("UNKNOWN"));
}

TEST("result_message: one distinct sentence for every value") {
	std::set<std::string> seen;
	for (int i = 0; i < RESULT_COUNT; i++) {
		const std::string message = result_message(Result(i));
		CHECK(message.size() > 10);
		CHECK_EQ(message.back(), '.');
		CHECK(message.find('\n') == std::string::npos);
		CHECK(seen.insert(message).second);
	}
	CHECK_EQ(std::string(result_message(Result(200))), std::string("Unknown handshake result."));
	CHECK_EQ(std::string(result_message(Result::BAD_ACCEPT)), std::string("The Sec-WebSocket-Accept header is missing or wrong."));
}
