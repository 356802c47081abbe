// URI authority syntax shared by URL parsing (url.cpp) and request checking (handshake.cpp).
#pragma once

#include <string_view>

namespace gdws {
namespace handshake {

// RFC 7230 §5.4 Host / RFC 3986 §3.2: uri-host [":" port], without userinfo. uri-host is a
// reg-name (non-ASCII bytes pass, for internationalised names), a dotted IPv4 address or an
// IPv6 address in brackets; port is up to 5 digits. p_bare_ipv6 also takes an IPv6 address
// without brackets, with or without a ":port" after it: Godot 4 clients send "Host: ::1:9000".
bool is_valid_authority(std::string_view p_authority, bool p_bare_ipv6);

} // namespace handshake
} // namespace gdws
