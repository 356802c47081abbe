// Base64 (RFC 4648 §4, standard alphabet, padded). The encoder is public in gdws/handshake.h;
// the decoder is internal: the server uses it to check that Sec-WebSocket-Key carries 16 bytes.
#pragma once

#include "gdws/handshake.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace gdws {
namespace handshake {

// Strict: only the standard alphabet, length a multiple of 4, '=' only as the last one or two
// characters; no whitespace, no URL-safe alphabet. The unused low bits of the last character
// before padding are ignored (RFC 4648 §3.5 allows either; `ws` accepts such keys too).
// Returns false and leaves r_bytes empty on bad input.
bool base64_decode(std::string_view p_text, std::vector<uint8_t> *r_bytes);

} // namespace handshake
} // namespace gdws
