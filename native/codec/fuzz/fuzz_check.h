// Shared by the libFuzzer targets: a broken invariant must look like a crash to libFuzzer, so it
// prints what failed and aborts (the input is then saved as an artifact and the run fails).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(p_condition) \
	do { \
		if (!(p_condition)) { \
			std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #p_condition); \
			std::abort(); \
		} \
	} while (0)

namespace fuzz {

// Reads an input front to back; past the end it yields zeros and empty spans, so every input,
// however short, is a complete program.
class Reader {
public:
	Reader(const uint8_t *p_data, size_t p_size) :
			_data(p_data), _size(p_size) {}

	bool done() const { return _at >= _size; }
	uint8_t byte() { return _at < _size ? _data[_at++] : 0; }
	uint16_t u16() { return uint16_t(byte() << 8 | byte()); }
	// Up to p_len bytes (fewer at the end of the input).
	std::basic_string_view<uint8_t> bytes(size_t p_len) {
		const size_t n = p_len < _size - _at ? p_len : _size - _at;
		const uint8_t *start = _data + _at;
		_at += n;
		return { start, n };
	}

private:
	const uint8_t *_data;
	size_t _size;
	size_t _at = 0;
};

inline std::string_view as_text(const uint8_t *p_data, size_t p_size) {
	return { reinterpret_cast<const char *>(p_data), p_size };
}

} // namespace fuzz
