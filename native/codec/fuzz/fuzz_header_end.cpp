// find_header_end against a plain search for the first CRLFCRLF. Inputs run past
// MAX_HEADER_SIZE (the runner sets -max_len above it) so the size cap is exercised.
#include "fuzz_check.h"

#include <gdws/handshake.h>

#include <cstring>

using gdws::handshake::Result;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *p_data, size_t p_size) {
	size_t length = 12345;
	const Result result = gdws::handshake::find_header_end(p_data, p_size, &length);
	FUZZ_CHECK(gdws::handshake::find_header_end(p_data, p_size, nullptr) == result);

	size_t first_end = 0; // just past the first CRLFCRLF, 0 when there is none
	for (size_t i = 0; i + 4 <= p_size; i++) {
		if (std::memcmp(p_data + i, "\r\n\r\n", 4) == 0) {
			first_end = i + 4;
			break;
		}
	}
	if (first_end != 0 && first_end <= gdws::handshake::MAX_HEADER_SIZE) {
		FUZZ_CHECK(result == Result::OK);
		FUZZ_CHECK(length == first_end);
	} else if (p_size >= gdws::handshake::MAX_HEADER_SIZE) {
		FUZZ_CHECK(result == Result::HEADER_TOO_LARGE);
		FUZZ_CHECK(length == 0);
	} else {
		FUZZ_CHECK(result == Result::INCOMPLETE);
		FUZZ_CHECK(length == 0);
	}
	return 0;
}
