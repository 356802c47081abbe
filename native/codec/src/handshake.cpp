// The RFC 6455 §4 opening handshake. Validation follows Godot's WSLPeer (spec websocketpeer.md
// §5.4, §6.2, §6.3) except where Godot is not RFC-correct; those places say "Deviation".
//
// Bounds: a head longer than MAX_HEADER_SIZE is refused before parsing, and parsing only keeps the
// values of the few headers it needs, so memory stays proportional to the (≤ 4 KiB) head.

#include "gdws/handshake.h"

#include "authority.h"
#include "base64.h"
#include "sha1.h"

namespace gdws {
namespace handshake {

///
/// Result text
///

const char *result_name(Result p_result) {
	switch (p_result) {
		case Result::OK: return "OK";
		case Result::INCOMPLETE: return "INCOMPLETE";
		case Result::HEADER_TOO_LARGE: return "HEADER_TOO_LARGE";
		case Result::URL_EMPTY: return "URL_EMPTY";
		case Result::URL_BAD_SCHEME: return "URL_BAD_SCHEME";
		case Result::URL_BAD_HOST: return "URL_BAD_HOST";
		case Result::URL_BAD_PORT: return "URL_BAD_PORT";
		case Result::TOO_FEW_LINES: return "TOO_FEW_LINES";
		case Result::BAD_HEADER_LINE: return "BAD_HEADER_LINE";
		case Result::MISSING_UPGRADE: return "MISSING_UPGRADE";
		case Result::MISSING_CONNECTION: return "MISSING_CONNECTION";
		case Result::BAD_STATUS_LINE: return "BAD_STATUS_LINE";
		case Result::BAD_ACCEPT: return "BAD_ACCEPT";
		case Result::UNEXPECTED_PROTOCOL: return "UNEXPECTED_PROTOCOL";
		case Result::MISSING_PROTOCOL: return "MISSING_PROTOCOL";
		case Result::UNEXPECTED_EXTENSION: return "UNEXPECTED_EXTENSION";
		case Result::BAD_REQUEST_LINE: return "BAD_REQUEST_LINE";
		case Result::BAD_VERSION: return "BAD_VERSION";
		case Result::BAD_KEY: return "BAD_KEY";
		case Result::NO_COMMON_PROTOCOL: return "NO_COMMON_PROTOCOL";
		case Result::TLS_FROM_CLIENT: return "TLS_FROM_CLIENT";
		case Result::TLS_FROM_SERVER: return "TLS_FROM_SERVER";
		case Result::BAD_HOST: return "BAD_HOST";
		case Result::BAD_TARGET: return "BAD_TARGET";
		case Result::TARGET_TOO_LONG: return "TARGET_TOO_LONG";
		case Result::HAS_BODY: return "HAS_BODY";
	}
	return "UNKNOWN";
}

namespace {

// Sentences that name the head cap, written from MAX_HEADER_SIZE itself.
const char *head_cap_message(Result p_result) {
	static const std::string head = "The HTTP head is larger than " + std::to_string(MAX_HEADER_SIZE) + " bytes.";
	static const std::string line = "The request line is longer than " + std::to_string(MAX_HEADER_SIZE) + " bytes.";
	return (p_result == Result::TARGET_TOO_LONG ? line : head).c_str();
}

} // namespace

const char *result_message(Result p_result) {
	switch (p_result) {
		case Result::OK: return "The handshake is valid.";
		case Result::INCOMPLETE: return "The HTTP head is not complete yet.";
		case Result::HEADER_TOO_LARGE: return head_cap_message(p_result);
		case Result::URL_EMPTY: return "The URL is empty.";
		case Result::URL_BAD_SCHEME: return "The URL scheme must be ws:// or wss://.";
		case Result::URL_BAD_HOST: return "The URL has no valid host (IPv6 addresses must be in brackets).";
		case Result::URL_BAD_PORT: return "The URL port must be a number from 1 to 65535.";
		case Result::TOO_FEW_LINES: return "The HTTP head has too few lines for a WebSocket handshake.";
		case Result::BAD_HEADER_LINE: return "An HTTP header line is malformed.";
		case Result::MISSING_UPGRADE: return "The Upgrade header is missing or is not \"websocket\".";
		case Result::MISSING_CONNECTION: return "The Connection header is missing or lacks the \"upgrade\" token.";
		case Result::BAD_STATUS_LINE: return "The server did not answer with \"HTTP/1.1 101\".";
		case Result::BAD_ACCEPT: return "The Sec-WebSocket-Accept header is missing or wrong.";
		case Result::UNEXPECTED_PROTOCOL: return "The server selected a subprotocol that was not offered.";
		case Result::MISSING_PROTOCOL: return "The server selected none of the offered subprotocols.";
		case Result::UNEXPECTED_EXTENSION: return "The server answered with an extension that was not offered.";
		case Result::BAD_REQUEST_LINE: return "The request line is not \"GET <target> HTTP/1.1\".";
		case Result::BAD_VERSION: return "The Sec-WebSocket-Version header is missing or is not 13.";
		case Result::BAD_KEY: return "The Sec-WebSocket-Key header is missing or is not base64 of 16 bytes.";
		case Result::NO_COMMON_PROTOCOL: return "The client and server have no subprotocol in common.";
		case Result::TLS_FROM_CLIENT: return "The client started a TLS handshake: it connected with wss:// to a ws:// server.";
		case Result::TLS_FROM_SERVER: return "The server answered with TLS: connect to it with wss://.";
		case Result::BAD_HOST: return "The Host header is missing, repeated or not a valid host[:port].";
		case Result::BAD_TARGET: return "The request target must be a path (/...) or an absolute http(s)/ws(s) URI, in visible ASCII, without a fragment.";
		case Result::TARGET_TOO_LONG: return head_cap_message(p_result);
		case Result::HAS_BODY: return "A WebSocket upgrade request must not have a body (Content-Length or Transfer-Encoding).";
	}
	return "Unknown handshake result.";
}

///
/// Keys
///

Result find_header_end(const uint8_t *p_data, size_t p_len, size_t *r_length) {
	if (r_length) {
		*r_length = 0;
	}
	// The terminator must end within the first MAX_HEADER_SIZE bytes.
	const size_t limit = p_len < MAX_HEADER_SIZE ? p_len : MAX_HEADER_SIZE;
	for (size_t i = 3; i < limit; i++) {
		if (p_data[i] == '\n' && p_data[i - 1] == '\r' && p_data[i - 2] == '\n' && p_data[i - 3] == '\r') {
			if (r_length) {
				*r_length = i + 1;
			}
			return Result::OK;
		}
	}
	return p_len >= MAX_HEADER_SIZE ? Result::HEADER_TOO_LARGE : Result::INCOMPLETE;
}

// TLS record content types (RFC 8446 §5.1): what a TLS peer sends first.
constexpr uint8_t TLS_ALERT = 0x15;
constexpr uint8_t TLS_HANDSHAKE = 0x16;

Result check_head_start(const uint8_t *p_data, size_t p_len, HeadKind p_kind) {
	const bool request = p_kind == HeadKind::REQUEST;
	if (p_len > 0 && (p_data[0] == TLS_HANDSHAKE || (!request && p_data[0] == TLS_ALERT))) {
		return request ? Result::TLS_FROM_CLIENT : Result::TLS_FROM_SERVER;
	}
	// Start lines are split on spaces with empty tokens dropped (Godot's rule, RFC 7230 §3.5 allows
	// it), so leading spaces are skipped; then the bytes must agree with the start of the line.
	size_t i = 0;
	while (i < p_len && p_data[i] == ' ') {
		i++;
	}
	const std::string_view expected = request ? "GET " : "HTTP/1.1 ";
	for (size_t j = 0; j < expected.size() && i + j < p_len; j++) {
		if (p_data[i + j] != static_cast<uint8_t>(expected[j])) {
			return request ? Result::BAD_REQUEST_LINE : Result::BAD_STATUS_LINE;
		}
	}
	if (request && p_len >= MAX_HEADER_SIZE) {
		const size_t limit = MAX_HEADER_SIZE;
		bool line_end = false;
		for (size_t k = 1; k < limit && !line_end; k++) {
			line_end = p_data[k] == '\n' && p_data[k - 1] == '\r';
		}
		if (!line_end) {
			return Result::TARGET_TOO_LONG;
		}
	}
	return Result::OK;
}

std::string compute_accept(std::string_view p_key) {
	Sha1 sha;
	sha.update(reinterpret_cast<const uint8_t *>(p_key.data()), p_key.size());
	const std::string_view guid(GUID);
	sha.update(reinterpret_cast<const uint8_t *>(guid.data()), guid.size());
	uint8_t digest[Sha1::DIGEST_SIZE];
	sha.finish(digest);
	return base64_encode(digest, sizeof(digest));
}

std::string make_key(const uint8_t p_random[16]) {
	return base64_encode(p_random, 16);
}

///
/// Head parsing shared by both directions
///

static char _to_lower(char p_char) {
	return (p_char >= 'A' && p_char <= 'Z') ? char(p_char - 'A' + 'a') : p_char;
}

static bool _equals_ignore_case(std::string_view p_a, std::string_view p_b) {
	if (p_a.size() != p_b.size()) {
		return false;
	}
	for (size_t i = 0; i < p_a.size(); i++) {
		if (_to_lower(p_a[i]) != _to_lower(p_b[i])) {
			return false;
		}
	}
	return true;
}

static bool _is_ows(char p_char) {
	return p_char == ' ' || p_char == '\t';
}

static std::string_view _trim(std::string_view p_text) {
	while (!p_text.empty() && _is_ows(p_text.front())) {
		p_text.remove_prefix(1);
	}
	while (!p_text.empty() && _is_ows(p_text.back())) {
		p_text.remove_suffix(1);
	}
	return p_text;
}

// RFC 7230 tchar: the only characters allowed in a header name.
static bool _is_token_char(char p_char) {
	if ((p_char >= 'a' && p_char <= 'z') || (p_char >= 'A' && p_char <= 'Z') || (p_char >= '0' && p_char <= '9')) {
		return true;
	}
	switch (p_char) {
		case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
		case '-': case '.': case '^': case '_': case '`': case '|': case '~':
			return true;
		default:
			return false;
	}
}

// Controls (NUL, a bare CR or LF, ...) are never valid in a start line or a header value; letting
// a bare LF through is how header smuggling starts. HTAB is allowed in values and reason phrases.
static bool _has_control(std::string_view p_text, bool p_allow_tab = true) {
	for (char c : p_text) {
		const unsigned char b = static_cast<unsigned char>(c);
		if ((b < 0x20 && !(c == '\t' && p_allow_tab)) || b == 0x7F) {
			return true;
		}
	}
	return false;
}

// Splits on CRLF; the head's final empty line is not part of the result.
static std::vector<std::string_view> _split_lines(std::string_view p_head) {
	std::vector<std::string_view> lines;
	size_t start = 0;
	while (start < p_head.size()) {
		const size_t end = p_head.find("\r\n", start);
		if (end == std::string_view::npos) {
			lines.push_back(p_head.substr(start));
			break;
		}
		lines.push_back(p_head.substr(start, end - start));
		start = end + 2;
	}
	return lines;
}

// Space-separated tokens with empty ones dropped, as Godot splits start lines.
static std::vector<std::string_view> _split_spaces(std::string_view p_line) {
	std::vector<std::string_view> tokens;
	size_t i = 0;
	while (i < p_line.size()) {
		while (i < p_line.size() && p_line[i] == ' ') {
			i++;
		}
		const size_t start = i;
		while (i < p_line.size() && p_line[i] != ' ') {
			i++;
		}
		if (i > start) {
			tokens.push_back(p_line.substr(start, i - start));
		}
	}
	return tokens;
}

// Calls p_item for each non-empty, trimmed element of a comma-separated header value.
template <typename F>
static void _for_each_list_item(std::string_view p_value, F p_item) {
	size_t start = 0;
	while (start <= p_value.size()) {
		size_t end = p_value.find(',', start);
		if (end == std::string_view::npos) {
			end = p_value.size();
		}
		const std::string_view item = _trim(p_value.substr(start, end - start));
		if (!item.empty() && !p_item(item)) {
			return;
		}
		start = end + 1;
	}
}

static bool _list_has_token(std::string_view p_value, std::string_view p_token) {
	bool found = false;
	_for_each_list_item(p_value, [&](std::string_view p_item) {
		found = _equals_ignore_case(p_item, p_token);
		return !found;
	});
	return found;
}

static bool _list_is_empty(std::string_view p_value) {
	bool empty = true;
	_for_each_list_item(p_value, [&](std::string_view) {
		empty = false;
		return false;
	});
	return empty;
}

// The headers the handshake looks at. Names match case-insensitively; a repeated header's values
// are joined with "," (RFC 7230 §3.2.2, and what Godot does); every other header is only checked
// for syntax.
enum HeaderId {
	H_HOST,
	H_ORIGIN,
	H_UPGRADE,
	H_CONNECTION,
	H_KEY,
	H_VERSION,
	H_ACCEPT,
	H_PROTOCOL,
	H_EXTENSIONS,
	H_CONTENT_LENGTH,
	H_TRANSFER_ENCODING,
	H_MAX,
};

static const char *const HEADER_NAMES[H_MAX] = {
	"host",
	"origin",
	"upgrade",
	"connection",
	"sec-websocket-key",
	"sec-websocket-version",
	"sec-websocket-accept",
	"sec-websocket-protocol",
	"sec-websocket-extensions",
	"content-length",
	"transfer-encoding",
};

struct Headers {
	bool present[H_MAX] = {};
	uint8_t count[H_MAX] = {}; // how many lines carried the header (saturates at 255)
	std::string value[H_MAX];
};

static Result _parse_header_line(std::string_view p_line, Headers *r_headers) {
	const size_t colon = p_line.find(':');
	if (colon == std::string_view::npos || colon == 0) {
		return Result::BAD_HEADER_LINE;
	}
	const std::string_view name = p_line.substr(0, colon);
	// Token characters only. This also refuses "Name : value" and obs-fold continuation lines
	// (RFC 7230 §3.2.4), which start with whitespace; Godot would read those as oddly named headers.
	for (char c : name) {
		if (!_is_token_char(c)) {
			return Result::BAD_HEADER_LINE;
		}
	}
	// Deviation: an empty value is valid HTTP (Godot refuses "X-A:"); controls are not.
	const std::string_view value = _trim(p_line.substr(colon + 1));
	if (_has_control(value)) {
		return Result::BAD_HEADER_LINE;
	}
	for (int id = 0; id < H_MAX; id++) {
		if (_equals_ignore_case(name, HEADER_NAMES[id])) {
			if (r_headers->present[id]) {
				r_headers->value[id] += ',';
			}
			r_headers->present[id] = true;
			if (r_headers->count[id] < 255) {
				r_headers->count[id]++;
			}
			r_headers->value[id].append(value.data(), value.size());
			break;
		}
	}
	return Result::OK;
}

// Checks the size and terminator of p_head, then splits it into the start line and header lines
// (Godot's order of checks: line count, start line by the caller, then header syntax).
static Result _split_head(std::string_view p_head, std::vector<std::string_view> *r_lines) {
	size_t head_length = 0;
	const Result end = find_header_end(reinterpret_cast<const uint8_t *>(p_head.data()), p_head.size(), &head_length);
	if (end != Result::OK) {
		return end;
	}
	// Anything after the first CRLFCRLF is not part of the head (it would be frame data).
	*r_lines = _split_lines(p_head.substr(0, head_length - 4));
	// A start line plus at least the three headers every handshake needs.
	if (r_lines->size() < 4) {
		return Result::TOO_FEW_LINES;
	}
	return Result::OK;
}

static Result _parse_headers(const std::vector<std::string_view> &p_lines, Headers *r_headers) {
	for (size_t i = 1; i < p_lines.size(); i++) {
		const Result result = _parse_header_line(p_lines[i], r_headers);
		if (result != Result::OK) {
			return result;
		}
	}
	return Result::OK;
}

// Deviation: Connection is a token list (RFC 7230 §6.1), so "Upgrade, keep-alive" passes; Godot
// wants the whole value to equal "upgrade".
static bool _has_upgrade_connection(const Headers &p_headers) {
	return p_headers.present[H_CONNECTION] && _list_has_token(p_headers.value[H_CONNECTION], "upgrade");
}

// The client requires exactly "websocket" (RFC 6455 §4.1, "not an ASCII case-insensitive match
// ... MUST _Fail_"). Deviation, server: Upgrade is a list (RFC 7230 §6.7) and RFC 6455 §4.2.1 asks
// only that it contain "websocket", so "websocket, h2c" passes; Godot wants the whole value.
static bool _has_websocket_upgrade(const Headers &p_headers, bool p_as_list) {
	if (!p_headers.present[H_UPGRADE]) {
		return false;
	}
	const std::string &value = p_headers.value[H_UPGRADE];
	return p_as_list ? _list_has_token(value, "websocket") : _equals_ignore_case(value, "websocket");
}

static void _append_line(std::string *r_out, std::string_view p_name, std::string_view p_value) {
	r_out->append(p_name.data(), p_name.size());
	r_out->append(": ");
	r_out->append(p_value.data(), p_value.size());
	r_out->append("\r\n");
}

///
/// Client
///

std::string build_client_request(const ClientRequest &p_request) {
	const Url &url = p_request.url;
	std::string out;
	out.reserve(256);
	out += "GET ";
	out += url.path.empty() ? "/" : url.path;
	out += " HTTP/1.1\r\n";

	// Deviation: IPv6 literals are bracketed (RFC 3986 §3.2.2); Godot writes "Host: ::1:9000".
	const bool ipv6 = url.host.find(':') != std::string::npos;
	std::string host = ipv6 ? "[" + url.host + "]" : url.host;
	if (url.port != (url.tls ? 443 : 80)) {
		host += ':';
		host += std::to_string(url.port);
	}
	_append_line(&out, "Host", host);
	_append_line(&out, "Upgrade", "websocket");
	_append_line(&out, "Connection", "Upgrade");
	_append_line(&out, "Sec-WebSocket-Key", p_request.key);
	_append_line(&out, "Sec-WebSocket-Version", "13");
	if (!p_request.protocols.empty()) {
		std::string joined;
		for (size_t i = 0; i < p_request.protocols.size(); i++) {
			const std::string &protocol = p_request.protocols[i];
			bool repeated = false;
			for (size_t j = 0; j < i && !repeated; j++) {
				repeated = p_request.protocols[j] == protocol;
			}
			if (repeated) {
				continue; // RFC 6455 §4.1: the offered protocols MUST be unique
			}
			if (!joined.empty()) {
				joined += ',';
			}
			joined += protocol;
		}
		_append_line(&out, "Sec-WebSocket-Protocol", joined);
	}
	for (const std::string &line : p_request.extra_headers) {
		out += line;
		out += "\r\n";
	}
	out += "\r\n";
	return out;
}

Result parse_server_response(std::string_view p_head, std::string_view p_key,
		const std::vector<std::string> &p_requested_protocols, std::string *r_protocol) {
	if (r_protocol) {
		r_protocol->clear();
	}
	Result result = check_head_start(reinterpret_cast<const uint8_t *>(p_head.data()), p_head.size(), HeadKind::RESPONSE);
	if (result != Result::OK) {
		return result;
	}
	std::vector<std::string_view> lines;
	result = _split_head(p_head, &lines);
	if (result != Result::OK) {
		return result;
	}

	// "HTTP/1.1 101 <any reason>"; Godot's split on spaces, so extra spaces are tolerated.
	const std::vector<std::string_view> status = _split_spaces(lines[0]);
	if (status.size() < 2 || status[0] != "HTTP/1.1" || status[1] != "101" || _has_control(lines[0])) {
		return Result::BAD_STATUS_LINE;
	}

	Headers headers;
	result = _parse_headers(lines, &headers);
	if (result != Result::OK) {
		return result;
	}
	if (!_has_upgrade_connection(headers)) {
		return Result::MISSING_CONNECTION;
	}
	if (!_has_websocket_upgrade(headers, false)) {
		return Result::MISSING_UPGRADE;
	}
	// Exact comparison: base64 is case-sensitive. A repeated header joins to "a,a" and fails.
	if (!headers.present[H_ACCEPT] || headers.value[H_ACCEPT] != compute_accept(p_key)) {
		return Result::BAD_ACCEPT;
	}

	const std::string &selected = headers.value[H_PROTOCOL];
	if (p_requested_protocols.empty()) {
		if (headers.present[H_PROTOCOL]) {
			return Result::UNEXPECTED_PROTOCOL;
		}
	} else {
		if (!headers.present[H_PROTOCOL]) {
			return Result::MISSING_PROTOCOL;
		}
		// What Godot reports as the selected protocol from here on, even when it is refused.
		if (r_protocol) {
			*r_protocol = selected;
		}
		bool offered = false;
		for (const std::string &protocol : p_requested_protocols) {
			if (protocol == selected) {
				offered = true;
				break;
			}
		}
		if (!offered) {
			return Result::UNEXPECTED_PROTOCOL;
		}
	}

	// Deviation: Godot ignores this header. We offer no extension, so accepting one would mean
	// frames with RSV bits we cannot read (RFC 6455 §4.1, client step 5).
	if (headers.present[H_EXTENSIONS] && !_list_is_empty(headers.value[H_EXTENSIONS])) {
		return Result::UNEXPECTED_EXTENSION;
	}

	if (r_protocol) {
		*r_protocol = selected;
	}
	return Result::OK;
}

///
/// Server
///

// Deviation: RFC 6455 §4.2.1 requires the key to be base64 of 16 bytes; Godot accepts any value.
static bool _is_valid_key(std::string_view p_key) {
	if (p_key.size() != 24) {
		return false; // 16 bytes always encode to 24 characters; this also bounds the decode
	}
	std::vector<uint8_t> bytes;
	return base64_decode(p_key, &bytes) && bytes.size() == 16;
}

// RFC 7230 §5.3 allows a GET the origin-form ("/path?query") and the absolute-form
// ("ws://host/path", which a server MUST accept, §5.3.2); RFC 6455 §3: never a fragment. Bytes are
// visible ASCII. Deviation: Godot takes any token. Returns false when the target is none of these;
// r_path receives its path and query ("/" when an absolute URI has no path).
static bool _request_path(std::string_view p_target, std::string *r_path) {
	for (char c : p_target) {
		const unsigned char b = static_cast<unsigned char>(c);
		if (b <= 0x20 || b >= 0x7F || c == '#') {
			return false;
		}
	}
	if (!p_target.empty() && p_target[0] == '/') {
		*r_path = std::string(p_target);
		return true;
	}
	const size_t scheme_end = p_target.find("://");
	if (scheme_end == std::string_view::npos) {
		return false;
	}
	const std::string_view scheme = p_target.substr(0, scheme_end);
	if (!_equals_ignore_case(scheme, "ws") && !_equals_ignore_case(scheme, "wss") && !_equals_ignore_case(scheme, "http") &&
			!_equals_ignore_case(scheme, "https")) {
		return false;
	}
	const std::string_view rest = p_target.substr(scheme_end + 3);
	const size_t authority_end = rest.find_first_of("/?");
	// RFC 7230 §2.7.1: an http URI with an empty host MUST be rejected; userinfo is refused too.
	if (!is_valid_authority(rest.substr(0, authority_end), false)) {
		return false;
	}
	const std::string_view path = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
	*r_path = (path.empty() || path[0] != '/') ? "/" + std::string(path) : std::string(path);
	return true;
}

// RFC 7230 §3.3.3: a body's framing must be certain or the request refused; an upgrade request's
// following bytes are WebSocket frames, so any body is refused. Deviation: Godot ignores both headers.
static bool _has_body(const Headers &p_headers) {
	return p_headers.present[H_TRANSFER_ENCODING] || (p_headers.present[H_CONTENT_LENGTH] && p_headers.value[H_CONTENT_LENGTH] != "0");
}

Result parse_client_request(std::string_view p_head, const std::vector<std::string> &p_supported_protocols,
		RequestInfo *r_info) {
	RequestInfo info;
	if (r_info) {
		*r_info = RequestInfo();
	}
	// What was parsed goes back with the result, as Godot keeps what it parsed.
	const auto finish = [&](Result p_result) {
		if (r_info) {
			*r_info = std::move(info);
		}
		return p_result;
	};
	Result result = check_head_start(reinterpret_cast<const uint8_t *>(p_head.data()), p_head.size(), HeadKind::REQUEST);
	if (result != Result::OK) {
		return result;
	}
	std::vector<std::string_view> lines;
	result = _split_head(p_head, &lines);
	if (result != Result::OK) {
		return result;
	}

	// Exactly "GET <target> HTTP/1.1" (Godot also takes a fourth token and crashes on two).
	const std::vector<std::string_view> request = _split_spaces(lines[0]);
	if (request.size() != 3 || request[0] != "GET" || request[2] != "HTTP/1.1" || _has_control(lines[0], false)) {
		return Result::BAD_REQUEST_LINE;
	}
	std::string path;
	if (!_request_path(request[1], &path)) {
		return Result::BAD_TARGET;
	}

	Headers headers;
	result = _parse_headers(lines, &headers);
	if (result != Result::OK) {
		return result;
	}
	info.target = std::string(request[1]);
	info.path = std::move(path);
	info.host = headers.value[H_HOST];

	// Deviation: RFC 7230 §5.4 — exactly one Host with a valid value, else 400; Godot needs none.
	// Godot 4 clients write an IPv6 host without brackets ("::1:9000"); that is let through.
	if (headers.count[H_HOST] != 1 || !is_valid_authority(headers.value[H_HOST], true)) {
		return finish(Result::BAD_HOST);
	}
	if (_has_body(headers)) {
		return finish(Result::HAS_BODY);
	}
	if (!_has_websocket_upgrade(headers, true)) {
		return finish(Result::MISSING_UPGRADE);
	}
	// Deviation: Godot accepts any Connection value; RFC 6455 §4.2.1 wants the "upgrade" token.
	if (!_has_upgrade_connection(headers)) {
		return finish(Result::MISSING_CONNECTION);
	}
	// A repeated Sec-WebSocket-Version or -Key (RFC 6455 §11.3: MUST NOT appear twice) joins to
	// "13,13" / "k,k" and fails these checks.
	if (!headers.present[H_VERSION] || headers.value[H_VERSION] != "13") {
		return finish(Result::BAD_VERSION);
	}
	if (!headers.present[H_KEY] || !_is_valid_key(headers.value[H_KEY])) {
		return finish(Result::BAD_KEY);
	}
	info.key = headers.value[H_KEY];
	info.origin = headers.value[H_ORIGIN];
	_for_each_list_item(headers.value[H_EXTENSIONS], [&](std::string_view p_item) {
		info.offered_extensions.emplace_back(p_item);
		return true;
	});

	// Godot's rule: the first offered protocol, in the client's order, that the server supports.
	// An offer made only of empty items counts as no offer.
	bool offered = false;
	bool selected = false;
	_for_each_list_item(headers.value[H_PROTOCOL], [&](std::string_view p_item) {
		offered = true;
		for (const std::string &supported : p_supported_protocols) {
			if (p_item == supported) {
				info.protocol = std::string(p_item);
				selected = true;
				return false;
			}
		}
		return true;
	});
	if ((offered && !selected) || (!offered && !p_supported_protocols.empty())) {
		return finish(Result::NO_COMMON_PROTOCOL);
	}
	return finish(Result::OK);
}

std::string build_server_response(std::string_view p_key, std::string_view p_protocol,
		const std::vector<std::string> &p_extra_headers) {
	std::string out;
	out.reserve(192);
	out += "HTTP/1.1 101 Switching Protocols\r\n";
	_append_line(&out, "Upgrade", "websocket");
	_append_line(&out, "Connection", "Upgrade");
	_append_line(&out, "Sec-WebSocket-Accept", compute_accept(p_key));
	if (!p_protocol.empty()) {
		_append_line(&out, "Sec-WebSocket-Protocol", p_protocol);
	}
	for (const std::string &line : p_extra_headers) {
		out += line;
		out += "\r\n";
	}
	out += "\r\n";
	return out;
}

std::string build_error_response(Result p_reason) {
	// Deviation: Godot drops the TCP connection without an answer; RFC 6455 §4.2.2 asks for an
	// HTTP error, and 426 with the supported version for a version mismatch.
	const bool version = p_reason == Result::BAD_VERSION;
	const std::string body = std::string(result_message(p_reason)) + "\n";
	std::string out;
	switch (p_reason) {
		case Result::BAD_VERSION: out = "HTTP/1.1 426 Upgrade Required\r\n"; break;
		case Result::TARGET_TOO_LONG: out = "HTTP/1.1 414 URI Too Long\r\n"; break; // RFC 7230 §3.1.1 MUST
		case Result::HEADER_TOO_LARGE: out = "HTTP/1.1 431 Request Header Fields Too Large\r\n"; break; // RFC 6585 §5
		default: out = "HTTP/1.1 400 Bad Request\r\n"; break;
	}
	if (version) {
		_append_line(&out, "Sec-WebSocket-Version", "13");
	}
	_append_line(&out, "Connection", "close");
	_append_line(&out, "Content-Type", "text/plain; charset=utf-8");
	_append_line(&out, "Content-Length", std::to_string(body.size()));
	out += "\r\n";
	out += body;
	return out;
}

} // namespace handshake
} // namespace gdws
