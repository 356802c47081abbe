#include "base64.h"

namespace gdws {
namespace handshake {

static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// -1 for characters outside the alphabet ('=' included: padding is handled by position).
static int _sextet(char p_char) {
	if (p_char >= 'A' && p_char <= 'Z') {
		return p_char - 'A';
	}
	if (p_char >= 'a' && p_char <= 'z') {
		return p_char - 'a' + 26;
	}
	if (p_char >= '0' && p_char <= '9') {
		return p_char - '0' + 52;
	}
	if (p_char == '+') {
		return 62;
	}
	if (p_char == '/') {
		return 63;
	}
	return -1;
}

std::string base64_encode(const uint8_t *p_data, size_t p_len) {
	std::string out;
	out.reserve((p_len + 2) / 3 * 4);
	size_t i = 0;
	for (; i + 3 <= p_len; i += 3) {
		const uint32_t n = (uint32_t(p_data[i]) << 16) | (uint32_t(p_data[i + 1]) << 8) | p_data[i + 2];
		out += ALPHABET[(n >> 18) & 63];
		out += ALPHABET[(n >> 12) & 63];
		out += ALPHABET[(n >> 6) & 63];
		out += ALPHABET[n & 63];
	}
	const size_t rest = p_len - i;
	if (rest == 1) {
		const uint32_t n = uint32_t(p_data[i]) << 16;
		out += ALPHABET[(n >> 18) & 63];
		out += ALPHABET[(n >> 12) & 63];
		out += "==";
	} else if (rest == 2) {
		const uint32_t n = (uint32_t(p_data[i]) << 16) | (uint32_t(p_data[i + 1]) << 8);
		out += ALPHABET[(n >> 18) & 63];
		out += ALPHABET[(n >> 12) & 63];
		out += ALPHABET[(n >> 6) & 63];
		out += '=';
	}
	return out;
}

bool base64_decode(std::string_view p_text, std::vector<uint8_t> *r_bytes) {
	r_bytes->clear();
	if (p_text.size() % 4 != 0) {
		return false;
	}
	size_t padding = 0;
	if (!p_text.empty() && p_text.back() == '=') {
		padding = (p_text.size() >= 2 && p_text[p_text.size() - 2] == '=') ? 2 : 1;
	}
	const size_t data_chars = p_text.size() - padding;
	r_bytes->reserve(data_chars * 3 / 4);
	uint32_t bits = 0;
	int bit_count = 0;
	for (size_t i = 0; i < data_chars; i++) {
		const int sextet = _sextet(p_text[i]);
		if (sextet < 0) {
			r_bytes->clear();
			return false;
		}
		bits = (bits << 6) | uint32_t(sextet);
		bit_count += 6;
		if (bit_count >= 8) {
			bit_count -= 8;
			r_bytes->push_back(uint8_t(bits >> bit_count));
			bits &= (1u << bit_count) - 1;
		}
	}
	return true;
}

} // namespace handshake
} // namespace gdws
