// parse_server_response (the client reading the server's answer) for RFC 6455's sample key. The
// first input byte picks the subprotocols the client offered; the rest is the response head.
#include "fuzz_handshake.h"

#include <string>
#include <vector>

namespace hs = gdws::handshake;

static const char *const KEY = "dGhlIHNhbXBsZSBub25jZQ=="; // RFC 6455 §1.3

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *p_data, size_t p_size) {
	fuzz::Reader input(p_data, p_size);
	const std::vector<std::string> offered = fuzz::protocols(input.byte());
	const auto rest = input.bytes(p_size);
	const std::string_view head = fuzz::as_text(rest.data(), rest.size());

	std::string protocol;
	const hs::Result result = hs::parse_server_response(head, KEY, offered, &protocol);
	FUZZ_CHECK(hs::parse_server_response(head, KEY, offered, nullptr) == result);

	const size_t head_length = fuzz::check_head_contract(rest.data(), rest.size(), hs::HeadKind::RESPONSE, result,
			[&](std::string_view p_head) { return hs::parse_server_response(p_head, KEY, offered, nullptr); });
	if (head_length == 0 || result != hs::Result::OK) {
		return 0;
	}

	// Accepted: the answer carries the right accept value and one of the offered protocols, or
	// none when none was offered.
	FUZZ_CHECK(head.substr(0, head_length).find(hs::compute_accept(KEY)) != std::string_view::npos);
	if (offered.empty()) {
		FUZZ_CHECK(protocol.empty());
	} else {
		FUZZ_CHECK(fuzz::contains(offered, protocol));
	}
	return 0;
}
