// What the handshake tests share: RFC 6455 §1.3's sample key with its accept value, and an HTTP
// head written from its lines.
#pragma once

#include <string>
#include <vector>

inline const char *const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
inline const char *const ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

// The start line and each header line ended by CRLF, then the empty line that ends the head.
inline std::string head(const std::string &p_start, const std::vector<std::string> &p_headers) {
	std::string out = p_start + "\r\n";
	for (const std::string &line : p_headers) {
		out += line + "\r\n";
	}
	return out + "\r\n";
}
