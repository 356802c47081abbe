// Every inbound framing rule: the violation is named, a close with the matching code is queued,
// reading stops, and what was accepted before the violation is kept.
#include "test_session_harness.h"

using namespace harness;

namespace {

// The close frame the session should have queued for p_failure (code only, no reason).
std::string expect_failure_close(const Outcome &p_out, Failure p_failure, bool p_client) {
	const std::vector<WireFrame> frames = decode_frames(p_out.output);
	if (frames.empty()) {
		return "no output";
	}
	const WireFrame &last = frames.back();
	const int code = gdws::failure_close_code(p_failure);
	if (last.first_byte != 0x88 || last.masked != p_client || last.payload != close_body(code)) {
		return "last frame is not close " + std::to_string(code) + ": " + hex(p_out.output);
	}
	return "";
}

// Runs p_stream (preceded by a valid message that must survive) and checks the failure, the close
// frame, that reading stopped, and that a valid message after the violation is not read.
void expect_violation(Role p_role, const Bytes &p_bad, Failure p_failure, Limits p_limits = Limits()) {
	const Bytes before = msg_to(p_role, Opcode::TEXT, "kept");
	const Bytes after = msg_to(p_role, Opcode::TEXT, "never read");
	const Bytes stream = cat({ before, p_bad, after });
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(p_role, nullptr, p_limits), stream);
	CHECK_EQ(std::string(gdws::failure_name(out.failure)), std::string(gdws::failure_name(p_failure)));
	CHECK_EQ(out.records.size(), size_t(1));
	if (!out.records.empty()) {
		CHECK(out.records[0] == (Rec{ Opcode::TEXT, "kept" }));
	}
	CHECK_EQ(expect_failure_close(out, p_failure, p_role == Role::CLIENT), std::string());
	CHECK(!out.wants_input);
	CHECK(out.close_sent);
	CHECK(!out.close_received);
	CHECK_EQ(out.close_code, -1);

	// Feeding more after the failure consumes nothing and queues nothing.
	CountingMask mask;
	Session session(make_config(p_role, &mask, p_limits));
	const size_t used = session.feed(stream.data(), stream.size());
	CHECK(used <= before.size() + p_bad.size());
	CHECK(session.is_failed());
	const size_t output_before = session.output_size();
	CHECK_EQ(session.feed(after.data(), after.size()), size_t(0));
	CHECK_EQ(session.output_size(), output_before);
}

void expect_both_roles(uint8_t p_first_byte, const Bytes &p_payload, Failure p_failure) {
	expect_violation(Role::SERVER, raw_frame(p_first_byte, p_payload, true), p_failure);
	expect_violation(Role::CLIENT, raw_frame(p_first_byte, p_payload, false), p_failure);
}

} // namespace

TEST("closes with 1002 if RSV1, RSV2 or RSV3 is set") {
	expect_both_roles(0x81 | 0x40, bytes("x"), Failure::RESERVED_BITS);
	expect_both_roles(0x81 | 0x20, bytes("x"), Failure::RESERVED_BITS);
	expect_both_roles(0x81 | 0x10, bytes("x"), Failure::RESERVED_BITS);
	expect_both_roles(0x89 | 0x40, bytes(""), Failure::RESERVED_BITS);
}

TEST("closes with 1002 on the unknown opcodes 0x3-0x7 and 0xB-0xF") {
	for (uint8_t opcode : { 0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF }) {
		expect_both_roles(uint8_t(0x80 | opcode), bytes("abc"), Failure::UNKNOWN_OPCODE);
	}
}

TEST("a server closes with 1002 on an unmasked frame") {
	expect_violation(Role::SERVER, raw_frame(0x82, bytes("abc"), false), Failure::UNMASKED_FRAME);
	expect_violation(Role::SERVER, raw_frame(0x89, bytes(""), false), Failure::UNMASKED_FRAME);
}

TEST("a client closes with 1002 on a masked frame") {
	expect_violation(Role::CLIENT, raw_frame(0x82, bytes("abc"), true), Failure::MASKED_FRAME);
	expect_violation(Role::CLIENT, raw_frame(0x8A, bytes(""), true), Failure::MASKED_FRAME);
}

TEST("closes with 1002 on a control frame longer than 125 bytes") {
	for (uint8_t opcode : { 0x88, 0x89, 0x8A }) {
		expect_both_roles(opcode, Bytes(126, 'p'), Failure::CONTROL_TOO_LONG);
	}
	// 125 is fine.
	const Outcome ok = RUN_ALL_CHUNKINGS(make_config(Role::SERVER), raw_frame(0x89, Bytes(125, 'p'), true));
	CHECK_EQ(ok.failure, Failure::NONE);
	CHECK_EQ(ok.records.size(), size_t(1));
}

TEST("fails a control frame as soon as its length byte says > 125") {
	Session session(make_config(Role::SERVER));
	const Bytes header = { 0x89, 0x80 | 126 };
	session.feed(header.data(), header.size());
	CHECK_EQ(session.failure(), Failure::CONTROL_TOO_LONG);
}

TEST("closes with 1002 on a fragmented control frame") {
	for (uint8_t opcode : { 0x08, 0x09, 0x0A }) {
		expect_both_roles(opcode, bytes("ab"), Failure::FRAGMENTED_CONTROL);
	}
}

TEST("closes with 1002 on a 16-bit length below 126") {
	for (size_t len : { 0, 1, 125 }) {
		expect_violation(Role::SERVER, raw_frame(0x82, Bytes(len, 'z'), true, 1, LengthForm::FORCE_16),
				Failure::NON_MINIMAL_LENGTH);
		expect_violation(Role::CLIENT, raw_frame(0x82, Bytes(len, 'z'), false, 1, LengthForm::FORCE_16),
				Failure::NON_MINIMAL_LENGTH);
	}
	const Outcome ok = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT), raw_frame(0x82, Bytes(126, 'z'), false));
	CHECK_EQ(ok.failure, Failure::NONE);
}

TEST("closes with 1002 on a 64-bit length below 65536") {
	for (size_t len : { 0, 125, 126, 65535 }) {
		expect_violation(Role::CLIENT, raw_frame(0x82, Bytes(len, 'z'), false, 1, LengthForm::FORCE_64),
				Failure::NON_MINIMAL_LENGTH);
	}
}

TEST("closes with 1002 on a 64-bit length with the most significant bit set") {
	const Bytes header = { 0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0 };
	expect_violation(Role::CLIENT, header, Failure::LENGTH_HIGH_BIT);
	const Bytes masked_header = { 0x82, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4 };
	expect_violation(Role::SERVER, masked_header, Failure::LENGTH_HIGH_BIT);
}

TEST("closes with 1002 on a continuation frame with no message in progress") {
	expect_both_roles(0x80, bytes("lo"), Failure::UNEXPECTED_CONTINUATION);
	expect_both_roles(0x00, bytes("lo"), Failure::UNEXPECTED_CONTINUATION);
}

TEST("closes with 1002 on a new data frame during a fragmented message") {
	for (Role role : { Role::SERVER, Role::CLIENT }) {
		const Bytes start = frame_to(role, false, Opcode::TEXT, bytes("Hel"));
		expect_violation(role, cat({ start, frame_to(role, true, Opcode::TEXT, bytes("lo")) }),
				Failure::EXPECTED_CONTINUATION);
		expect_violation(role, cat({ start, frame_to(role, false, Opcode::BINARY, bytes("lo")) }),
				Failure::EXPECTED_CONTINUATION);
	}
}

TEST("closes with 1002 on a close frame with a 1-byte body") {
	expect_both_roles(0x88, Bytes{ 0x03 }, Failure::INVALID_CLOSE_PAYLOAD);
}

TEST("closes with 1002 on a close code that may not be sent") {
	for (int code : { 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535 }) {
		expect_both_roles(0x88, close_body(code, "r"), Failure::INVALID_CLOSE_CODE);
	}
}

TEST("accepts every close code allowed on the wire") {
	for (int code : { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999 }) {
		const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::SERVER), raw_frame(0x88, close_body(code), true));
		CHECK_EQ(out.failure, Failure::NONE);
		CHECK_EQ(out.close_code, code);
	}
}

TEST("closes with 1007 on a close reason that is not UTF-8") {
	Bytes body = close_body(1000, "ok");
	body.push_back(0xC0);
	body.push_back(0x80);
	expect_both_roles(0x88, body, Failure::INVALID_CLOSE_REASON);
	Bytes cut = close_body(1000, "\xE2\x82");
	expect_both_roles(0x88, cut, Failure::INVALID_CLOSE_REASON);
}

TEST("accepts a close reason with Godot 3's trailing NUL and keeps the bytes") {
	Bytes body = close_body(1001, "bye from godot");
	body.push_back(0x00);
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT), raw_frame(0x88, body, false));
	CHECK_EQ(out.failure, Failure::NONE);
	CHECK_EQ(out.close_code, 1001);
	CHECK_EQ(out.close_reason, std::string("bye from godot\0", 15));
}

TEST("closes with 1007 on a text message that is not UTF-8") {
	expect_both_roles(0x81, Bytes{ 'a', 0xFF, 'b' }, Failure::INVALID_UTF8);
	expect_both_roles(0x81, Bytes{ 0xED, 0xA0, 0x80 }, Failure::INVALID_UTF8); // surrogate
	expect_both_roles(0x81, Bytes{ 0xC0, 0xAF }, Failure::INVALID_UTF8); // overlong '/'
	expect_both_roles(0x81, Bytes{ 0xF4, 0x90, 0x80, 0x80 }, Failure::INVALID_UTF8); // > U+10FFFF
	expect_both_roles(0x81, Bytes{ 'a', 0xE2, 0x82 }, Failure::INVALID_UTF8); // cut off at the end
}

TEST("does not validate binary messages as UTF-8") {
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT), raw_frame(0x82, Bytes{ 0xFF, 0xC0 }, false));
	CHECK_EQ(out.failure, Failure::NONE);
	CHECK_EQ(out.records.size(), size_t(1));
}

TEST("fails invalid UTF-8 as soon as the bad byte arrives, not at the end of the message") {
	for (Role role : { Role::SERVER, Role::CLIENT }) {
		Bytes payload(100, 'a');
		payload[2] = 0xFF;
		const Bytes wire = frame_to(role, true, Opcode::TEXT, payload);
		const size_t header = role == Role::SERVER ? 6 : 2;
		Session session(make_config(role));
		session.feed(wire.data(), header + 2);
		CHECK_EQ(session.failure(), Failure::NONE);
		session.feed(wire.data() + header + 2, 1);
		CHECK_EQ(session.failure(), Failure::INVALID_UTF8);
	}
}

TEST("validates UTF-8 across fragment boundaries") {
	// "€" = E2 82 AC split over three fragments is valid.
	const Bytes good = cat({ frame_to(Role::CLIENT, false, Opcode::TEXT, Bytes{ 'x', 0xE2 }),
			frame_to(Role::CLIENT, false, Opcode::CONTINUATION, Bytes{ 0x82 }),
			frame_to(Role::CLIENT, true, Opcode::CONTINUATION, Bytes{ 0xAC, 'y' }) });
	const Outcome ok = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT), good);
	CHECK_EQ(ok.failure, Failure::NONE);
	CHECK_EQ(ok.records.size(), size_t(1));
	if (!ok.records.empty()) {
		CHECK_EQ(ok.records[0].payload, std::string("x\xE2\x82\xACy"));
	}

	// The second fragment cannot continue the character: fails when that fragment arrives,
	// although the message is not finished.
	const Bytes first = frame_to(Role::CLIENT, false, Opcode::TEXT, Bytes{ 'x', 0xE2 });
	const Bytes second = frame_to(Role::CLIENT, false, Opcode::CONTINUATION, Bytes{ 'A' });
	Session session(make_config(Role::CLIENT));
	session.feed(first.data(), first.size());
	CHECK_EQ(session.failure(), Failure::NONE);
	session.feed(second.data(), second.size());
	CHECK_EQ(session.failure(), Failure::INVALID_UTF8);

	// A character left incomplete by the final fragment fails.
	const Bytes cut = cat({ frame_to(Role::CLIENT, false, Opcode::TEXT, Bytes{ 'x', 0xE2 }),
			frame_to(Role::CLIENT, true, Opcode::CONTINUATION, Bytes{ 0x82 }) });
	CHECK_EQ(RUN_ALL_CHUNKINGS(make_config(Role::CLIENT), cut).failure, Failure::INVALID_UTF8);
	const Bytes empty_end = cat({ frame_to(Role::CLIENT, false, Opcode::TEXT, Bytes{ 0xE2 }),
			frame_to(Role::CLIENT, true, Opcode::CONTINUATION, Bytes{}) });
	CHECK_EQ(RUN_ALL_CHUNKINGS(make_config(Role::CLIENT), empty_end).failure, Failure::INVALID_UTF8);
}

TEST("closes with 1009 on a single frame over max_message_size") {
	Limits limits;
	limits.max_message_size = 10;
	expect_violation(Role::SERVER, frame_to(Role::SERVER, true, Opcode::BINARY, Bytes(11, 'b')),
			Failure::MESSAGE_TOO_BIG, limits);
	expect_violation(Role::CLIENT, frame_to(Role::CLIENT, true, Opcode::TEXT, Bytes(11, 'b')),
			Failure::MESSAGE_TOO_BIG, limits);
	const Outcome ok = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT, nullptr, limits),
			frame_to(Role::CLIENT, true, Opcode::TEXT, Bytes(10, 'b')));
	CHECK_EQ(ok.failure, Failure::NONE);
	CHECK_EQ(ok.records.size(), size_t(1));
}

TEST("closes with 1009 when the fragments together exceed max_message_size") {
	Limits limits;
	limits.max_message_size = 10;
	const Bytes fragments = cat({ frame_to(Role::SERVER, false, Opcode::BINARY, Bytes(8, 'a')),
			frame_to(Role::SERVER, true, Opcode::CONTINUATION, Bytes(8, 'b')) });
	expect_violation(Role::SERVER, fragments, Failure::MESSAGE_TOO_BIG, limits);
	const Bytes fits = cat({ frame_to(Role::SERVER, false, Opcode::BINARY, Bytes(4, 'a')),
			frame_to(Role::SERVER, false, Opcode::CONTINUATION, Bytes(4, 'b')),
			frame_to(Role::SERVER, true, Opcode::CONTINUATION, Bytes(2, 'c')) });
	const Outcome ok = RUN_ALL_CHUNKINGS(make_config(Role::SERVER, nullptr, limits), fits);
	CHECK_EQ(ok.failure, Failure::NONE);
	CHECK_EQ(ok.records.size(), size_t(1));
}

TEST("fails an oversized message at its header, before any payload arrives") {
	Limits limits;
	limits.max_message_size = 1000;
	Session session(make_config(Role::CLIENT, nullptr, limits));
	const Bytes header = { 0x82, 0x7F, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00 };
	CHECK_EQ(session.feed(header.data(), header.size()), header.size());
	CHECK_EQ(session.failure(), Failure::MESSAGE_TOO_BIG);
	CHECK(session.inbound_bytes().empty());
}

TEST("max_message_size 0 means no limit") {
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT, nullptr, unlimited()),
			frame_to(Role::CLIENT, true, Opcode::BINARY, Bytes(200000, 'q')));
	CHECK_EQ(out.failure, Failure::NONE);
	CHECK_EQ(out.records.size(), size_t(1));
}

TEST("control frames do not count against max_message_size") {
	Limits limits;
	limits.max_message_size = 4;
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT, nullptr, limits),
			cat({ frame_to(Role::CLIENT, false, Opcode::TEXT, bytes("ab")), msg_to(Role::CLIENT, Opcode::PING, "0123456789"),
					frame_to(Role::CLIENT, true, Opcode::CONTINUATION, bytes("cd")) }));
	CHECK_EQ(out.failure, Failure::NONE);
	CHECK_EQ(out.records.size(), size_t(2));
}

TEST("a ping between fragments is answered and its payload never leaks into the message") {
	for (Role role : { Role::SERVER, Role::CLIENT }) {
		const Bytes stream = cat({ frame_to(role, false, Opcode::TEXT, bytes("Hel")), msg_to(role, Opcode::PING, "PING!"),
				frame_to(role, false, Opcode::CONTINUATION, bytes("l")), msg_to(role, Opcode::PONG, "pong"),
				frame_to(role, true, Opcode::CONTINUATION, bytes("o")), msg_to(role, Opcode::BINARY, "after") });
		const Outcome out = RUN_ALL_CHUNKINGS(make_config(role), stream);
		CHECK_EQ(out.failure, Failure::NONE);
		CHECK_EQ(out.records.size(), size_t(4));
		if (out.records.size() == 4) {
			CHECK(out.records[0] == (Rec{ Opcode::PING, "PING!" }));
			CHECK(out.records[1] == (Rec{ Opcode::PONG, "pong" }));
			CHECK(out.records[2] == (Rec{ Opcode::TEXT, "Hello" }));
			CHECK(out.records[3] == (Rec{ Opcode::BINARY, "after" }));
		}
		const std::vector<WireFrame> sent = decode_frames(out.output);
		CHECK_EQ(sent.size(), size_t(1));
		if (!sent.empty()) {
			CHECK_EQ(int(sent[0].first_byte), 0x8A);
			CHECK(sent[0].payload == bytes("PING!"));
		}
	}
}

TEST("records of pings inside a message split over many feeds point at the right bytes") {
	// Each feed ends inside the message with new pings, so their payloads are moved in front of it.
	const Role role = Role::SERVER;
	std::vector<Bytes> pieces = { frame_to(role, false, Opcode::BINARY, bytes("AAAA")), msg_to(role, Opcode::PING, "p1"),
		msg_to(role, Opcode::PING, ""), frame_to(role, false, Opcode::CONTINUATION, bytes("BBBB")),
		msg_to(role, Opcode::PONG, "p3"), frame_to(role, true, Opcode::CONTINUATION, bytes("CC")) };
	Session session(make_config(role));
	std::vector<Rec> records;
	for (const Bytes &piece : pieces) {
		CHECK_EQ(session.feed(piece.data(), piece.size()), piece.size());
		// Without clearing: records accumulate across calls and must stay valid.
	}
	collect(session, records);
	CHECK_EQ(records.size(), size_t(4));
	if (records.size() == 4) {
		CHECK(records[0] == (Rec{ Opcode::PING, "p1" }));
		CHECK(records[1] == (Rec{ Opcode::PING, "" }));
		CHECK(records[2] == (Rec{ Opcode::PONG, "p3" }));
		CHECK(records[3] == (Rec{ Opcode::BINARY, "AAAABBBBCC" }));
	}
	CHECK(session.inbound_bytes().empty());
}

TEST("a close between fragments ends the connection and drops the unfinished message") {
	const Bytes stream = cat({ frame_to(Role::CLIENT, false, Opcode::TEXT, bytes("Hel")),
			raw_frame(0x88, close_body(1000, "bye"), false), frame_to(Role::CLIENT, true, Opcode::CONTINUATION, bytes("lo")) });
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT), stream);
	CHECK_EQ(out.failure, Failure::NONE);
	CHECK(out.records.empty());
	CHECK(out.close_received);
	CHECK_EQ(out.close_code, 1000);
	CHECK_EQ(out.close_reason, std::string("bye"));
	CHECK(!out.wants_input);
}

TEST("after a failure the failure close is the only close sent, even if one was queued") {
	Session session(make_config(Role::SERVER));
	CHECK_EQ(session.queue_close(1000, nullptr, 0), gdws::Status::OK);
	const size_t before = session.output_size();
	const Bytes bad = raw_frame(0xC1, bytes("x"), true);
	session.feed(bad.data(), bad.size());
	CHECK_EQ(session.failure(), Failure::RESERVED_BITS);
	CHECK_EQ(session.output_size(), before); // no second close frame
	CHECK(!session.wants_input());
}

TEST("an empty text message is valid") {
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT), msg_to(Role::CLIENT, Opcode::TEXT, ""));
	CHECK_EQ(out.failure, Failure::NONE);
	CHECK_EQ(out.records.size(), size_t(1));
	if (!out.records.empty()) {
		CHECK(out.records[0] == (Rec{ Opcode::TEXT, "" }));
	}
}

TEST("reports the kind of the first fragment for the whole message") {
	const Bytes stream = cat({ frame_to(Role::CLIENT, false, Opcode::BINARY, Bytes{ 0xFF }),
			frame_to(Role::CLIENT, true, Opcode::CONTINUATION, Bytes{ 0xFE }) });
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT), stream);
	CHECK_EQ(out.records.size(), size_t(1));
	if (!out.records.empty()) {
		CHECK_EQ(out.records[0].kind, Opcode::BINARY);
	}
}

TEST("set_limits applies to the next frame header") {
	Session session(make_config(Role::CLIENT));
	const Bytes small = msg_to(Role::CLIENT, Opcode::BINARY, "12345");
	CHECK_EQ(session.feed(small.data(), small.size()), small.size());
	Limits limits;
	limits.max_message_size = 4;
	session.set_limits(limits);
	session.feed(small.data(), small.size());
	CHECK_EQ(session.failure(), Failure::MESSAGE_TOO_BIG);
	CHECK_EQ(session.inbound_records().size(), size_t(1));
}
