// The same byte stream must give the same records, failure, close state and output however the
// transport cuts it: every split into two pieces, one byte at a time, and (short streams) every
// split into three pieces.
#include "test_session_harness.h"

using namespace harness;

namespace {

void expect_chunking_invariant(Role p_role, const Bytes &p_stream, Limits p_limits = Limits()) {
	const std::string diff = check_every_chunking(make_config(p_role, nullptr, p_limits), p_stream);
	CHECK_EQ(diff, std::string());
}

Bytes rfc_examples_to(Role p_role) {
	return cat({ msg_to(p_role, Opcode::TEXT, "Hello"), frame_to(p_role, false, Opcode::TEXT, bytes("Hel")),
			frame_to(p_role, true, Opcode::CONTINUATION, bytes("lo")), msg_to(p_role, Opcode::PING, "Hello"),
			msg_to(p_role, Opcode::PONG, "Hello") });
}

} // namespace

TEST("the RFC 6455 examples give the same result in every chunking") {
	expect_chunking_invariant(Role::CLIENT, rfc_examples_to(Role::CLIENT));
	expect_chunking_invariant(Role::SERVER, rfc_examples_to(Role::SERVER));
}

TEST("16-bit and 64-bit lengths give the same result in every chunking") {
	Limits limits;
	limits.max_message_size = 70000;
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const Bytes medium(300, 'm');
		expect_chunking_invariant(role, frame_to(role, true, Opcode::BINARY, medium), limits);
		// Every split of a 64 KiB frame (one-byte-at-a-time included).
		Bytes big(65536);
		for (size_t i = 0; i < big.size(); i++) {
			big[i] = uint8_t(i * 13);
		}
		expect_chunking_invariant(role, frame_to(role, true, Opcode::BINARY, big), limits);
	}
}

TEST("fragments with interleaved pings, pongs and a close give the same result in every chunking") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const Bytes stream = cat({ frame_to(role, false, Opcode::TEXT, bytes("fr\xC3")), msg_to(role, Opcode::PING, "a"),
				frame_to(role, false, Opcode::CONTINUATION, bytes("\xA9")), msg_to(role, Opcode::PONG, ""),
				msg_to(role, Opcode::PING, "bc"), frame_to(role, true, Opcode::CONTINUATION, bytes("ag")),
				msg_to(role, Opcode::BINARY, ""), frame_to(role, false, Opcode::BINARY, bytes("x")),
				msg_to(role, Opcode::PING, "d"), frame_to(role, true, Opcode::CONTINUATION, Bytes{}),
				raw_frame(0x88, close_body(1000, "ok"), role == Role::SERVER) });
		expect_chunking_invariant(role, stream);
		const Outcome out = run_whole(make_config(role), stream);
		CHECK_EQ(out.records.size(), size_t(7));
		CHECK(out.close_received);
	}
}

TEST("a close while a fragmented message is open gives the same result in every chunking") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const Bytes stream = cat({ msg_to(role, Opcode::TEXT, "first"), frame_to(role, false, Opcode::BINARY, bytes("part")),
				msg_to(role, Opcode::PING, "p"), raw_frame(0x88, {}, role == Role::SERVER),
				msg_to(role, Opcode::TEXT, "unread") });
		expect_chunking_invariant(role, stream);
	}
}

TEST("each protocol violation is found identically in every chunking") {
	Limits limits;
	limits.max_message_size = 20;
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const bool to_server = role == Role::SERVER;
		const Bytes good = cat({ msg_to(role, Opcode::TEXT, "ok"), frame_to(role, false, Opcode::TEXT, bytes("a")),
				msg_to(role, Opcode::PING, "p") });
		const Bytes violations[] = {
			raw_frame(0xE1, bytes("x"), to_server),
			raw_frame(0x8B, bytes("x"), to_server),
			raw_frame(0x81, bytes("x"), !to_server),
			raw_frame(0x09, bytes("x"), to_server),
			raw_frame(0x89, Bytes(126, 'x'), to_server),
			raw_frame(0x80, bytes("b\xFF"), to_server),
			raw_frame(0x80, bytes("b\xE2\x82"), to_server),
			raw_frame(0x82, bytes("b"), to_server),
			raw_frame(0x80, Bytes(20, 'b'), to_server),
			raw_frame(0x80, Bytes(5, 'b'), to_server, 1, LengthForm::FORCE_16),
			raw_frame(0x80, Bytes(5, 'b'), to_server, 1, LengthForm::FORCE_64),
			raw_frame(0x88, Bytes{ 3 }, to_server),
			raw_frame(0x88, close_body(1005), to_server),
			raw_frame(0x88, close_body(1000, "\xC3("), to_server),
		};
		for (const Bytes &bad : violations) {
			const Bytes stream = cat({ good, bad, msg_to(role, Opcode::TEXT, "never") });
			expect_chunking_invariant(role, stream, limits);
			CHECK(run_whole(make_config(role, nullptr, limits), stream).failure != Failure::NONE);
		}
	}
}

TEST("a client's output (pongs, close echo) is identical in every chunking") {
	const Bytes stream = cat({ msg_to(Role::CLIENT, Opcode::PING, "one"), msg_to(Role::CLIENT, Opcode::PING, "two"),
			raw_frame(0x88, close_body(1001, "bye"), false) });
	expect_chunking_invariant(Role::CLIENT, stream);
	const Outcome out = run_whole(make_config(Role::CLIENT), stream);
	CHECK_EQ(decode_frames(out.output).size(), size_t(3));
}

TEST("many small messages survive pseudo-random chunkings") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		Bytes stream;
		for (int i = 0; i < 200; i++) {
			const std::string payload(size_t(i * 37 % 300), char('a' + i % 26));
			if (i % 7 == 0) {
				stream = cat({ stream, frame_to(role, false, Opcode::TEXT, bytes(payload)), msg_to(role, Opcode::PING, "x"),
						frame_to(role, true, Opcode::CONTINUATION, bytes("!")) });
			} else {
				stream = cat({ stream, msg_to(role, i % 2 ? Opcode::BINARY : Opcode::TEXT, payload) });
			}
		}
		const Config config = make_config(role);
		const Outcome reference = run_whole(config, stream);
		CHECK_EQ(reference.failure, Failure::NONE);
		CHECK_EQ(reference.records.size(), size_t(200 + 200 / 7 + 1));
		uint64_t seed = 99;
		for (int run = 0; run < 50; run++) {
			std::vector<size_t> cuts;
			size_t pos = 0;
			while (true) {
				seed = seed * 6364136223846793005ull + 1442695040888963407ull;
				pos += 1 + (seed >> 33) % 700;
				if (pos >= stream.size()) {
					break;
				}
				cuts.push_back(pos);
			}
			CHECK_EQ(run_cuts(config, stream, cuts).diff(reference), std::string());
		}
	}
}
