// ws:// and wss:// URLs, following Godot's String::parse_url (spec websocketpeer.md §5.1) except
// where Godot would send a malformed request; each such difference is marked "Deviation".

#include "gdws/handshake.h"

#include "authority.h"

namespace gdws {
namespace handshake {

static bool _is_alnum(char p_char) {
	return (p_char >= 'a' && p_char <= 'z') || (p_char >= 'A' && p_char <= 'Z') || (p_char >= '0' && p_char <= '9');
}

static bool _is_hex(char p_char) {
	return (p_char >= '0' && p_char <= '9') || (p_char >= 'a' && p_char <= 'f') || (p_char >= 'A' && p_char <= 'F');
}

static char _to_lower(char p_char) {
	return (p_char >= 'A' && p_char <= 'Z') ? char(p_char - 'A' + 'a') : p_char;
}

static std::string _lower(std::string_view p_text) {
	std::string out(p_text);
	for (char &c : out) {
		c = _to_lower(c);
	}
	return out;
}

// RFC 3986 reg-name characters, plus bytes >= 0x80 so internationalised names pass through to the
// resolver as in Godot. Deviation: Godot accepts anything here; we refuse what would corrupt the
// Host line (controls, space) or could never be a host ('@', brackets, quotes, backslash, ...).
static bool _is_reg_name_char(char p_char) {
	const unsigned char c = static_cast<unsigned char>(p_char);
	if (c >= 0x80 || _is_alnum(p_char)) {
		return true;
	}
	switch (p_char) {
		case '-': case '.': case '_': case '~': case '%':
		case '!': case '$': case '&': case '\'': case '(': case ')':
		case '*': case '+': case ',': case ';': case '=':
			return true;
		default:
			return false;
	}
}

// Dotted-quad IPv4 (the tail of an IPv6 address like ::ffff:1.2.3.4).
static bool _is_ipv4(std::string_view p_text) {
	int parts = 0;
	size_t i = 0;
	while (true) {
		size_t digits = 0;
		int value = 0;
		while (i < p_text.size() && p_text[i] >= '0' && p_text[i] <= '9') {
			value = value * 10 + (p_text[i] - '0');
			digits++;
			i++;
			if (digits > 3) {
				return false;
			}
		}
		if (digits == 0 || value > 255) {
			return false;
		}
		parts++;
		if (i == p_text.size()) {
			return parts == 4;
		}
		if (p_text[i] != '.' || parts == 4) {
			return false;
		}
		i++;
	}
}

// RFC 4291 §2.2 text forms: eight 1-4 digit hex groups, one "::" standing for one or more zero
// groups, optionally ending in a dotted quad worth two groups. Zone ids ("%eth0") are not accepted.
static bool _is_ipv6(std::string_view p_text) {
	if (p_text.size() < 2) {
		return false;
	}
	int groups = 0;
	bool compressed = false;
	size_t i = 0;
	if (p_text[0] == ':') {
		if (p_text[1] != ':') {
			return false;
		}
		compressed = true;
		i = 2;
		if (i == p_text.size()) {
			return true; // "::"
		}
	}
	while (i < p_text.size()) {
		size_t end = i;
		while (end < p_text.size() && p_text[end] != ':') {
			end++;
		}
		const std::string_view group = p_text.substr(i, end - i);
		if (end == p_text.size() && group.find('.') != std::string_view::npos) {
			if (!_is_ipv4(group)) {
				return false;
			}
			groups += 2;
		} else {
			if (group.empty() || group.size() > 4) {
				return false;
			}
			for (char c : group) {
				if (!_is_hex(c)) {
					return false;
				}
			}
			groups++;
		}
		if (end == p_text.size()) {
			break;
		}
		i = end + 1; // past ':'
		if (i == p_text.size()) {
			return false; // trailing single ':'
		}
		if (p_text[i] == ':') {
			if (compressed) {
				return false; // a second "::"
			}
			compressed = true;
			i++;
			if (i == p_text.size()) {
				break; // trailing "::"
			}
		}
	}
	return compressed ? groups < 8 : groups == 8;
}

// Digits only (Godot's is_valid_int also takes a sign; a port never has one), value 1..65535.
static bool _parse_port(std::string_view p_text, uint16_t *r_port) {
	if (p_text.empty()) {
		return false;
	}
	uint32_t value = 0;
	for (char c : p_text) {
		if (c < '0' || c > '9') {
			return false;
		}
		value = value * 10 + uint32_t(c - '0');
		if (value > 65535) {
			return false; // also stops overflow on long digit strings
		}
	}
	if (value == 0) {
		return false;
	}
	*r_port = uint16_t(value);
	return true;
}

static bool _is_port_text(std::string_view p_text) {
	if (p_text.size() > 5) {
		return false;
	}
	for (char c : p_text) {
		if (c < '0' || c > '9') {
			return false;
		}
	}
	return true;
}

bool is_valid_authority(std::string_view p_authority, bool p_bare_ipv6) {
	if (p_authority.empty()) {
		return false;
	}
	if (p_authority[0] == '[') {
		const size_t close = p_authority.find(']');
		if (close == std::string_view::npos || !_is_ipv6(p_authority.substr(1, close - 1))) {
			return false;
		}
		const std::string_view after = p_authority.substr(close + 1);
		return after.empty() || (after[0] == ':' && _is_port_text(after.substr(1)));
	}
	const size_t colon = p_authority.find(':');
	if (colon != std::string_view::npos && p_authority.find(':', colon + 1) != std::string_view::npos) {
		if (!p_bare_ipv6) {
			return false;
		}
		// "::1" or "::1:9000": the address alone, or the address before a last ":port".
		const size_t last = p_authority.rfind(':');
		return _is_ipv6(p_authority) || (_is_port_text(p_authority.substr(last + 1)) && last > 0 && _is_ipv6(p_authority.substr(0, last)));
	}
	const std::string_view host = p_authority.substr(0, colon);
	if (host.empty()) {
		return false;
	}
	for (char c : host) {
		if (!_is_reg_name_char(c)) {
			return false;
		}
	}
	return colon == std::string_view::npos || _is_port_text(p_authority.substr(colon + 1));
}

// Deviation: Godot sends the path bytes raw, so a space or CR/LF in the URL breaks or injects into
// the request line. We percent-encode controls, space and non-ASCII bytes (as WHATWG URL and `ws`
// do); every other byte, '%' included, is kept so already-encoded paths pass unchanged.
static std::string _encode_path(std::string_view p_path) {
	static const char HEX[] = "0123456789ABCDEF";
	std::string out;
	out.reserve(p_path.size() + 1);
	if (p_path.empty() || p_path[0] != '/') {
		out += '/'; // "" -> "/", "?x=1" -> "/?x=1"
	}
	for (char c : p_path) {
		const unsigned char b = static_cast<unsigned char>(c);
		if (b <= 0x20 || b >= 0x7F) {
			out += '%';
			out += HEX[b >> 4];
			out += HEX[b & 15];
		} else {
			out += c;
		}
	}
	return out;
}

Result parse_url(std::string_view p_url, Url *r_url) {
	Url url;
	if (r_url) {
		*r_url = Url();
	}
	if (p_url.empty()) {
		return Result::URL_EMPTY;
	}
	std::string_view rest = p_url;

	// Scheme: the text before the first "://" when it is made of scheme characters; else none (ws://).
	const size_t scheme_end = rest.find("://");
	if (scheme_end != std::string_view::npos) {
		bool is_scheme = true;
		for (size_t i = 0; i < scheme_end; i++) {
			const char c = rest[i];
			if (!_is_alnum(c) && c != '+' && c != '-' && c != '.') {
				is_scheme = false;
				break;
			}
		}
		if (is_scheme) {
			const std::string scheme = _lower(rest.substr(0, scheme_end));
			if (scheme == "wss") {
				url.tls = true;
			} else if (scheme != "ws") {
				return Result::URL_BAD_SCHEME;
			}
			rest = rest.substr(scheme_end + 3);
		}
	}

	// The fragment never reaches the server.
	const size_t hash = rest.find('#');
	if (hash != std::string_view::npos) {
		rest = rest.substr(0, hash);
	}

	// Deviation: the authority also ends at '?', so "ws://host?x=1" is host "host", path "/?x=1"
	// (Godot only splits at '/' and would look up the host "host?x=1").
	const size_t authority_end = rest.find_first_of("/?");
	std::string_view authority = rest.substr(0, authority_end);
	const std::string_view path = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);

	// Credentials are dropped, up to the first '@' as in Godot.
	const size_t at = authority.find('@');
	if (at != std::string_view::npos) {
		authority = authority.substr(at + 1);
	}

	std::string_view host;
	std::string_view port_text;
	bool has_port = false;
	if (!authority.empty() && authority[0] == '[') {
		const size_t close = authority.rfind(']');
		if (close == std::string_view::npos) {
			return Result::URL_BAD_HOST;
		}
		host = authority.substr(1, close - 1);
		if (!_is_ipv6(host)) {
			return Result::URL_BAD_HOST; // Deviation: Godot takes any text between the brackets.
		}
		const std::string_view after = authority.substr(close + 1);
		if (!after.empty()) {
			if (after[0] != ':') {
				return Result::URL_BAD_HOST; // Deviation: Godot ignores text after ']'.
			}
			has_port = true;
			port_text = after.substr(1);
		}
	} else {
		const size_t colon = authority.find(':');
		if (colon != std::string_view::npos && authority.find(':', colon + 1) != std::string_view::npos) {
			return Result::URL_BAD_HOST; // more than one ':' outside brackets: unbracketed IPv6
		}
		host = authority.substr(0, colon);
		if (colon != std::string_view::npos) {
			has_port = true;
			port_text = authority.substr(colon + 1);
		}
		for (char c : host) {
			if (!_is_reg_name_char(c)) {
				return Result::URL_BAD_HOST;
			}
		}
	}
	if (host.empty()) {
		return Result::URL_BAD_HOST;
	}
	if (has_port) {
		if (!_parse_port(port_text, &url.port)) {
			return Result::URL_BAD_PORT;
		}
	} else {
		url.port = url.tls ? 443 : 80;
	}
	url.host = _lower(host);
	url.path = _encode_path(path);
	if (r_url) {
		*r_url = std::move(url);
	}
	return Result::OK;
}

} // namespace handshake
} // namespace gdws
