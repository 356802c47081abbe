// parse_url: every example of spec websocketpeer.md §5.1, then each rule and the deviations.
#include "check.h"
#include "gdws/handshake.h"

#include <string>

using namespace gdws::handshake;

static Url parse_ok(const std::string &p_text) {
	Url url;
	const Result result = parse_url(p_text, &url);
	if (result != Result::OK) {
		check::fail(__FILE__, __LINE__, "parse_url(\"" + p_text + "\") returned " + result_name(result));
	}
	return url;
}

static Result parse(const std::string &p_text) {
	Url url;
	return parse_url(p_text, &url);
}

// Spec §5.1 examples.

TEST("spec: a bare host means ws:// on port 80 with path /") {
	const Url url = parse_ok("example.com");
	CHECK(!url.tls);
	CHECK_EQ(url.host, std::string("example.com"));
	CHECK_EQ(url.port, 80);
	CHECK_EQ(url.path, std::string("/"));
}

TEST("spec: WSS://Example.COM:8443/a?b#c") {
	const Url url = parse_ok("WSS://Example.COM:8443/a?b#c");
	CHECK(url.tls);
	CHECK_EQ(url.host, std::string("example.com"));
	CHECK_EQ(url.port, 8443);
	CHECK_EQ(url.path, std::string("/a?b"));
}

TEST("spec: http://x is refused") {
	CHECK_EQ(parse("http://x"), Result::URL_BAD_SCHEME);
}

TEST("spec: ws://[::1]:9000/ is host ::1") {
	const Url url = parse_ok("ws://[::1]:9000/");
	CHECK_EQ(url.host, std::string("::1"));
	CHECK_EQ(url.port, 9000);
	CHECK_EQ(url.path, std::string("/"));
}

TEST("spec: unbracketed IPv6 ws://::1/ is refused") {
	CHECK_EQ(parse("ws://::1/"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://fe80::1:80/"), Result::URL_BAD_HOST);
}

TEST("spec: ports 0 and 70000 are refused") {
	CHECK_EQ(parse("ws://h:0"), Result::URL_BAD_PORT);
	CHECK_EQ(parse("ws://h:70000"), Result::URL_BAD_PORT);
}

// Scheme.

TEST("scheme: default ports and case-insensitive scheme") {
	CHECK_EQ(parse_ok("ws://h").port, 80);
	CHECK_EQ(parse_ok("wss://h").port, 443);
	CHECK(parse_ok("wSs://h").tls);
	CHECK(!parse_ok("Ws://h").tls);
}

TEST("scheme: other schemes, an empty scheme and junk before :// are refused") {
	CHECK_EQ(parse("https://x"), Result::URL_BAD_SCHEME);
	CHECK_EQ(parse("wsx://x"), Result::URL_BAD_SCHEME);
	CHECK_EQ(parse("://x"), Result::URL_BAD_SCHEME);
	CHECK_EQ(parse("a+b-c.d://x"), Result::URL_BAD_SCHEME); // scheme characters, but not ws
}

TEST("scheme: :// after non-scheme characters is part of the path, not a scheme") {
	const Url url = parse_ok("example.com/p?u=http://x");
	CHECK(!url.tls);
	CHECK_EQ(url.host, std::string("example.com"));
	CHECK_EQ(url.path, std::string("/p?u=http://x"));
}

TEST("empty URL") {
	CHECK_EQ(parse(""), Result::URL_EMPTY);
}

// Path, query, fragment.

TEST("path: query is kept, fragment is removed") {
	CHECK_EQ(parse_ok("ws://h/a/b?c=d&e").path, std::string("/a/b?c=d&e"));
	CHECK_EQ(parse_ok("ws://h/a#frag?x").path, std::string("/a"));
	CHECK_EQ(parse_ok("ws://h#frag/x").path, std::string("/"));
	CHECK_EQ(parse_ok("ws://h#frag/x").host, std::string("h"));
	CHECK_EQ(parse_ok("ws://h/").path, std::string("/"));
	CHECK_EQ(parse_ok("ws://h//x").path, std::string("//x"));
}

TEST("path: query without a path (deviation: host stays 'host')") {
	const Url url = parse_ok("ws://host?x=1");
	CHECK_EQ(url.host, std::string("host"));
	CHECK_EQ(url.path, std::string("/?x=1"));
	const Url with_port = parse_ok("ws://host:81?x=1");
	CHECK_EQ(with_port.port, 81);
	CHECK_EQ(with_port.path, std::string("/?x=1"));
}

TEST("path: spaces, controls and non-ASCII are percent-encoded; % is kept") {
	CHECK_EQ(parse_ok("ws://h/a b").path, std::string("/a%20b"));
	CHECK_EQ(parse_ok("ws://h/a\r\nX-Evil: 1").path, std::string("/a%0D%0AX-Evil:%201"));
	CHECK_EQ(parse_ok(std::string("ws://h/a\0b", 10)).path, std::string("/a%00b"));
	CHECK_EQ(parse_ok("ws://h/\xC3\xA9\x7F").path, std::string("/%C3%A9%7F"));
	CHECK_EQ(parse_ok("ws://h/%41?q=%20").path, std::string("/%41?q=%20"));
}

TEST("path: case is preserved") {
	CHECK_EQ(parse_ok("ws://H/CaSe?Q=V").path, std::string("/CaSe?Q=V"));
}

// Userinfo.

TEST("userinfo: dropped, up to the first @") {
	const Url url = parse_ok("ws://user:pass@Host:8080/p");
	CHECK_EQ(url.host, std::string("host"));
	CHECK_EQ(url.port, 8080);
	CHECK_EQ(url.path, std::string("/p"));
	CHECK_EQ(parse_ok("ws://@h").host, std::string("h"));
	// Godot cuts at the first '@', leaving "b@h", which cannot be a host.
	CHECK_EQ(parse("ws://a@b@h/"), Result::URL_BAD_HOST);
}

TEST("userinfo: an @ in the path or query is not userinfo") {
	const Url url = parse_ok("ws://h/a@b?c@d");
	CHECK_EQ(url.host, std::string("h"));
	CHECK_EQ(url.path, std::string("/a@b?c@d"));
	CHECK_EQ(parse_ok("ws://h?c@d").host, std::string("h"));
}

TEST("userinfo: nothing left after it is an empty host") {
	CHECK_EQ(parse("ws://user@"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://user@:80/"), Result::URL_BAD_HOST);
}

// Host.

TEST("host: lower-cased, IPv4 and names with allowed punctuation") {
	CHECK_EQ(parse_ok("ws://EXAMPLE.Com").host, std::string("example.com"));
	CHECK_EQ(parse_ok("ws://127.0.0.1:9080").host, std::string("127.0.0.1"));
	CHECK_EQ(parse_ok("ws://my_host-1.local~").host, std::string("my_host-1.local~"));
	CHECK_EQ(parse_ok("ws://b\xC3\xBC" "cher.example").host, std::string("b\xC3\xBC" "cher.example"));
}

TEST("host: empty is refused") {
	CHECK_EQ(parse("ws://"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws:///path"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://:80"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://?x"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[]:80"), Result::URL_BAD_HOST);
}

TEST("host: characters that would corrupt the Host line are refused (deviation)") {
	CHECK_EQ(parse("ws://ho st/"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://h\r\nX-Evil: 1/"), Result::URL_BAD_HOST);
	CHECK_EQ(parse(std::string("ws://h\0x/", 9)), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://h\tx/"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://h\\x/"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://h<x>/"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("  example.com"), Result::URL_BAD_HOST);
}

TEST("host: bracketed IPv6 forms") {
	CHECK_EQ(parse_ok("ws://[::]").host, std::string("::"));
	CHECK_EQ(parse_ok("ws://[::1]").port, 80);
	CHECK_EQ(parse_ok("wss://[::1]").port, 443);
	CHECK_EQ(parse_ok("ws://[FE80::A:b]/x").host, std::string("fe80::a:b"));
	CHECK_EQ(parse_ok("ws://[1:2:3:4:5:6:7:8]").host, std::string("1:2:3:4:5:6:7:8"));
	CHECK_EQ(parse_ok("ws://[1:2:3:4:5:6:7::]").host, std::string("1:2:3:4:5:6:7::"));
	CHECK_EQ(parse_ok("ws://[::ffff:192.0.2.1]:1").host, std::string("::ffff:192.0.2.1"));
	CHECK_EQ(parse_ok("ws://[1:2:3:4:5:6:1.2.3.4]").host, std::string("1:2:3:4:5:6:1.2.3.4"));
	CHECK_EQ(parse_ok("ws://u@[::1]:2/p?q").path, std::string("/p?q"));
}

TEST("host: missing ] is refused") {
	CHECK_EQ(parse("ws://[::1"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[::1:80/x"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://["), Result::URL_BAD_HOST);
}

TEST("host: brackets must hold an IPv6 address (deviation)") {
	CHECK_EQ(parse("ws://[example.com]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[1.2.3.4]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[:1]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[1:]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[1:::2]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[1::2::3]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[1:2:3:4:5:6:7:8:9]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[1:2:3:4:5:6:7]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[1:2:3:4:5:6:7:8::]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[12345::1]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[::g]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[::1.2.3.256]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[::1.2.3]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[1.2.3.4::]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[fe80::1%eth0]"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[::1]]"), Result::URL_BAD_HOST);
}

TEST("host: text after ] other than :port is refused (deviation)") {
	CHECK_EQ(parse("ws://[::1]x/"), Result::URL_BAD_HOST);
	CHECK_EQ(parse("ws://[::1]x:80/"), Result::URL_BAD_HOST);
}

// Port.

TEST("port: 1 and 65535 are the limits; leading zeros are fine") {
	CHECK_EQ(parse_ok("ws://h:1").port, 1);
	CHECK_EQ(parse_ok("ws://h:65535").port, 65535);
	CHECK_EQ(parse_ok("ws://h:080").port, 80);
	CHECK_EQ(parse_ok("wss://h:80").port, 80);
	CHECK_EQ(parse_ok("ws://[::1]:65535").port, 65535);
}

TEST("port: empty, signed, non-numeric, overflowing or out of range is refused") {
	CHECK_EQ(parse("ws://h:"), Result::URL_BAD_PORT);
	CHECK_EQ(parse("ws://h:/x"), Result::URL_BAD_PORT);
	CHECK_EQ(parse("ws://h:65536"), Result::URL_BAD_PORT);
	CHECK_EQ(parse("ws://h:-1"), Result::URL_BAD_PORT);
	CHECK_EQ(parse("ws://h:+80"), Result::URL_BAD_PORT);
	CHECK_EQ(parse("ws://h:8o"), Result::URL_BAD_PORT);
	CHECK_EQ(parse("ws://h: 80"), Result::URL_BAD_PORT);
	CHECK_EQ(parse("ws://h:00000"), Result::URL_BAD_PORT);
	CHECK_EQ(parse("ws://h:99999999999999999999999"), Result::URL_BAD_PORT);
	CHECK_EQ(parse("ws://[::1]:"), Result::URL_BAD_PORT);
	CHECK_EQ(parse("ws://[::1]:0"), Result::URL_BAD_PORT);
}

TEST("failed parses leave the output cleared") {
	Url url;
	url.host = "stale";
	url.port = 1;
	CHECK_EQ(parse_url("ws://h:0", &url), Result::URL_BAD_PORT);
	CHECK_EQ(url.host, std::string(""));
	CHECK_EQ(url.port, 0);
	CHECK_EQ(parse_url("ws://h", nullptr), Result::OK); // a null output is allowed
}

TEST("a very long URL is parsed in full") {
	const std::string path(100000, 'p');
	const Url url = parse_ok("ws://h/" + path);
	CHECK_EQ(url.path.size(), path.size() + 1);
}
