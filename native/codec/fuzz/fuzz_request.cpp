// parse_client_request (the server reading a client's opening handshake). The first input byte
// picks the server's supported subprotocols; the rest is the request head. An accepted request
// must yield a key and subprotocol from which our own response passes our own client's checks.
#include "fuzz_handshake.h"

#include <string>
#include <vector>

namespace hs = gdws::handshake;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *p_data, size_t p_size) {
	fuzz::Reader input(p_data, p_size);
	const std::vector<std::string> supported = fuzz::protocols(input.byte());
	const auto rest = input.bytes(p_size);
	const std::string_view head = fuzz::as_text(rest.data(), rest.size());

	hs::RequestInfo info;
	const hs::Result result = hs::parse_client_request(head, supported, &info);
	FUZZ_CHECK(hs::parse_client_request(head, supported, nullptr) == result);

	const size_t head_length = fuzz::check_head_contract(rest.data(), rest.size(), hs::HeadKind::REQUEST, result,
			[&](std::string_view p_head) { return hs::parse_client_request(p_head, supported, nullptr); });
	if (head_length == 0 || result != hs::Result::OK) {
		return 0;
	}

	FUZZ_CHECK(info.key.size() == 24);
	FUZZ_CHECK(!info.target.empty());
	if (info.protocol.empty()) {
		FUZZ_CHECK(supported.empty());
	} else {
		FUZZ_CHECK(fuzz::contains(supported, info.protocol));
	}

	const std::string response = hs::build_server_response(info.key, info.protocol, {});
	std::vector<std::string> offered;
	if (!info.protocol.empty()) {
		offered.push_back(info.protocol);
	}
	std::string chosen;
	FUZZ_CHECK(hs::parse_server_response(response, info.key, offered, &chosen) == hs::Result::OK);
	FUZZ_CHECK(chosen == info.protocol);
	return 0;
}
