// The closing handshake and automatic control replies: close echo, received code and reason,
// state flags, pongs, and what is refused once a close is queued.
#include "test_session_harness.h"

using namespace harness;
using gdws::Status;

namespace {

void feed_all(Session &p_session, const Bytes &p_bytes) {
	CHECK_EQ(p_session.feed(p_bytes.data(), p_bytes.size()), p_bytes.size());
}

} // namespace

TEST("an empty close is reported as 1005 and echoed with an empty body") {
	Session session(make_config(Role::SERVER));
	feed_all(session, raw_frame(0x88, {}, true));
	CHECK(session.close_received());
	CHECK_EQ(session.received_close_code(), 1005);
	CHECK_EQ(session.received_close_reason(), std::string());
	CHECK(take_all(session) == (Bytes{ 0x88, 0x00 }));
	CHECK(session.close_sent());
	CHECK(session.is_closed());
	CHECK(!session.is_failed());
}

TEST("echoes the peer's close code and reason byte for byte") {
	Session session(make_config(Role::SERVER));
	Bytes body = close_body(4321, "see you \xE2\x82\xAC");
	body.push_back(0);
	feed_all(session, raw_frame(0x88, body, true));
	CHECK_EQ(session.received_close_code(), 4321);
	CHECK_EQ(session.received_close_reason(), std::string("see you \xE2\x82\xAC\0", 12));
	const Bytes expected = cat({ Bytes{ 0x88, uint8_t(body.size()) }, body });
	CHECK(take_all(session) == expected);
}

TEST("a client masks its close echo with one fresh key") {
	CountingMask mask;
	Session session(make_config(Role::CLIENT, &mask));
	feed_all(session, raw_frame(0x88, close_body(1001, "away"), false));
	CHECK_EQ(mask.calls, 1);
	const std::vector<WireFrame> frames = decode_frames(take_all(session));
	CHECK_EQ(frames.size(), size_t(1));
	if (!frames.empty()) {
		CHECK(frames[0].masked);
		CHECK(frames[0].payload == close_body(1001, "away"));
	}
}

TEST("does not echo when we closed first, and is closed once the reply arrives") {
	Session session(make_config(Role::SERVER));
	const Bytes reason = bytes("done");
	CHECK_EQ(session.queue_close(1000, reason.data(), reason.size()), Status::OK);
	CHECK(session.close_sent());
	CHECK(!session.is_closed());
	CHECK(take_all(session) == cat({ Bytes{ 0x88, 0x06, 0x03, 0xE8 }, reason }));
	CHECK(session.wants_input()); // still waiting for the peer's close
	feed_all(session, raw_frame(0x88, close_body(1001), true));
	CHECK(session.is_closed());
	CHECK_EQ(session.received_close_code(), 1001);
	CHECK_EQ(session.output_size(), size_t(0));
}

TEST("data arriving after our close is still read until the peer's close") {
	Session session(make_config(Role::SERVER));
	CHECK_EQ(session.queue_close(1000, nullptr, 0), Status::OK);
	feed_all(session, msg_to(Role::SERVER, Opcode::TEXT, "late"));
	CHECK_EQ(session.inbound_records().size(), size_t(1));
}

TEST("stops reading at the peer's close: nothing after it is consumed") {
	Session session(make_config(Role::SERVER));
	const Bytes close = raw_frame(0x88, close_body(1000), true);
	const Bytes stream = cat({ close, msg_to(Role::SERVER, Opcode::TEXT, "after") });
	CHECK_EQ(session.feed(stream.data(), stream.size()), close.size());
	CHECK(!session.wants_input());
	CHECK(session.inbound_records().empty());
	CHECK_EQ(session.feed(stream.data(), stream.size()), size_t(0));
}

TEST("refuses messages and a second close once a close is queued") {
	Session session(make_config(Role::SERVER));
	CHECK_EQ(session.queue_close(1000, nullptr, 0), Status::OK);
	const Bytes data = bytes("x");
	CHECK_EQ(session.queue_message(Opcode::TEXT, data.data(), data.size()), Status::INVALID_STATE);
	CHECK_EQ(session.queue_message(Opcode::PING, nullptr, 0), Status::INVALID_STATE);
	CHECK_EQ(session.queue_close(1000, nullptr, 0), Status::INVALID_STATE);
}

TEST("refuses messages after the peer's close (the echo is queued)") {
	Session session(make_config(Role::SERVER));
	feed_all(session, raw_frame(0x88, close_body(1000), true));
	CHECK_EQ(session.queue_message(Opcode::BINARY, nullptr, 0), Status::INVALID_STATE);
	CHECK_EQ(session.queue_close(1000, nullptr, 0), Status::INVALID_STATE);
}

TEST("refuses messages and closes after a failure") {
	Session session(make_config(Role::SERVER));
	const Bytes bad = raw_frame(0x83, {}, true);
	session.feed(bad.data(), bad.size());
	CHECK(session.is_failed());
	CHECK_EQ(session.queue_message(Opcode::BINARY, nullptr, 0), Status::INVALID_STATE);
	CHECK_EQ(session.queue_close(1000, nullptr, 0), Status::INVALID_STATE);
}

TEST("sends a close reason of MAX_CLOSE_REASON bytes whole") {
	Session session(make_config(Role::SERVER));
	const Bytes reason(gdws::MAX_CLOSE_REASON, 'r');
	CHECK_EQ(session.queue_close(1000, reason.data(), reason.size()), Status::OK);
	const Bytes sent = take_all(session);
	CHECK_EQ(sent.size(), size_t(2 + gdws::MAX_CONTROL_PAYLOAD));
	CHECK_EQ(size_t(sent[1]), gdws::MAX_CONTROL_PAYLOAD);
}

TEST("cuts a longer reason to MAX_CLOSE_REASON bytes, before a character the limit would split") {
	// 'a' + 61 two-byte characters = 123 bytes; one more character crosses the limit.
	std::string fits = "a";
	for (int i = 0; i < 61; i++) {
		fits += "\xC3\xA9";
	}
	for (const std::string &tail : { std::string("b"), std::string("\xC3\xA9"), std::string("\xE2\x82\xAC"), std::string("\xF0\x9D\x84\x9E") }) {
		Session session(make_config(Role::SERVER));
		const Bytes reason = bytes(fits + tail + "more");
		CHECK_EQ(session.queue_close(4000, reason.data(), reason.size()), Status::OK);
		CHECK(take_all(session) == cat({ Bytes{ 0x88, 125 }, close_body(4000, fits) }));
	}
	// 122 bytes, then a 2-byte character: it cannot be split, so 122 bytes go.
	const std::string short_by_one(122, 'x');
	Session split(make_config(Role::SERVER));
	const Bytes reason = bytes(short_by_one + "\xC3\xA9");
	CHECK_EQ(split.queue_close(1000, reason.data(), reason.size()), Status::OK);
	CHECK(take_all(split) == cat({ Bytes{ 0x88, 124 }, close_body(1000, short_by_one) }));
}

TEST("refuses a reason that is not valid UTF-8, and queues nothing") {
	for (const std::string &bad : { std::string("\xC3\x28"), std::string("ok\xE2\x82"), std::string("\xED\xA0\x80") }) {
		Session session(make_config(Role::SERVER));
		const Bytes reason = bytes(bad);
		CHECK_EQ(session.queue_close(1000, reason.data(), reason.size()), Status::INVALID_UTF8);
		CHECK_EQ(session.output_size(), size_t(0));
		CHECK(!session.close_sent());
		CHECK_EQ(session.queue_close(1000, nullptr, 0), Status::OK);
	}
	// Invalid bytes past the cut still make the reason invalid: it is checked whole.
	Session session(make_config(Role::SERVER));
	const Bytes reason = bytes(std::string(130, 'x') + "\xFF");
	CHECK_EQ(session.queue_close(1000, reason.data(), reason.size()), Status::INVALID_UTF8);
}

TEST("code 0 sends an empty close body and drops the reason") {
	Session session(make_config(Role::SERVER));
	const Bytes reason = bytes("dropped");
	CHECK_EQ(session.queue_close(0, reason.data(), reason.size()), Status::OK);
	CHECK(take_all(session) == (Bytes{ 0x88, 0x00 }));
}

TEST("a code that may not appear on the wire sends an empty body; the reason, even invalid, is dropped") {
	const Bytes long_invalid = bytes(std::string(200, 'x') + "\xFF");
	for (int code : { 1004, 1005, 1006, 1015, 1016, 2999, 999, 5000, 70000, -1 }) {
		Session session(make_config(Role::SERVER));
		CHECK_EQ(session.queue_close(code, long_invalid.data(), long_invalid.size()), Status::OK);
		CHECK(take_all(session) == (Bytes{ 0x88, 0x00 }));
		CHECK(session.close_sent());
	}
	for (int code : { 1000, 1001, 1003, 1007, 1011, 1012, 1014, 3000, 4999 }) {
		Session session(make_config(Role::SERVER));
		CHECK_EQ(session.queue_close(code, nullptr, 0), Status::OK);
		CHECK(take_all(session) == (Bytes{ 0x88, 0x02, uint8_t(code >> 8), uint8_t(code) }));
	}
}

TEST("a close from the host is never refused by the outbound limits") {
	Limits limits;
	limits.max_outbound_messages = 0;
	limits.max_outbound_bytes = 1;
	Session session(make_config(Role::SERVER, nullptr, limits));
	const Bytes reason = bytes("full");
	CHECK_EQ(session.queue_close(1000, reason.data(), reason.size()), Status::OK);
}

TEST("answers each ping with a pong of the same payload, and reports pings and pongs") {
	Session session(make_config(Role::SERVER));
	feed_all(session, cat({ msg_to(Role::SERVER, Opcode::PING, "t=1"), msg_to(Role::SERVER, Opcode::PONG, "t=0"),
							  msg_to(Role::SERVER, Opcode::PING, "") }));
	std::vector<Rec> records;
	collect(session, records);
	CHECK_EQ(records.size(), size_t(3));
	if (records.size() == 3) {
		CHECK(records[0] == (Rec{ Opcode::PING, "t=1" }));
		CHECK(records[1] == (Rec{ Opcode::PONG, "t=0" }));
		CHECK(records[2] == (Rec{ Opcode::PING, "" }));
	}
	CHECK(take_all(session) == cat({ Bytes{ 0x8A, 0x03 }, bytes("t=1"), Bytes{ 0x8A, 0x00 } }));
}

TEST("does not answer a ping once a close is queued, but still reports it") {
	Session session(make_config(Role::SERVER));
	CHECK_EQ(session.queue_close(1000, nullptr, 0), Status::OK);
	take_all(session);
	feed_all(session, msg_to(Role::SERVER, Opcode::PING, "late"));
	CHECK_EQ(session.output_size(), size_t(0));
	CHECK_EQ(session.inbound_records().size(), size_t(1));
}

TEST("pongs and close echoes are never refused by full outbound limits") {
	Limits limits;
	limits.max_outbound_messages = 1;
	limits.max_outbound_bytes = 3;
	Session session(make_config(Role::SERVER, nullptr, limits));
	const Bytes data = bytes("abc");
	CHECK_EQ(session.queue_message(Opcode::TEXT, data.data(), data.size()), Status::OK);
	CHECK_EQ(session.queue_message(Opcode::TEXT, data.data(), data.size()), Status::QUEUE_FULL);
	feed_all(session, cat({ msg_to(Role::SERVER, Opcode::PING, "0123456789"), raw_frame(0x88, close_body(1000), true) }));
	const std::vector<WireFrame> frames = decode_frames(take_all(session));
	CHECK_EQ(frames.size(), size_t(3));
	if (frames.size() == 3) {
		CHECK_EQ(int(frames[1].first_byte), 0x8A);
		CHECK_EQ(int(frames[2].first_byte), 0x88);
	}
	CHECK_EQ(session.queued_message_count(), uint32_t(3));
	CHECK_EQ(session.queued_payload_bytes(), uint64_t(3 + 10 + 2));
}

TEST("a failure close is sent even when the outbound limits are full") {
	Limits limits;
	limits.max_outbound_messages = 0;
	Session session(make_config(Role::SERVER, nullptr, limits));
	feed_all(session, raw_frame(0x81, Bytes{ 0xFF }, true));
	CHECK_EQ(session.failure(), Failure::INVALID_UTF8);
	CHECK(take_all(session) == (Bytes{ 0x88, 0x02, 0x03, 0xEF }));
}

TEST("sends 1002, 1007 and 1009 failure closes with no reason text") {
	Limits limits;
	limits.max_message_size = 2;
	struct Case {
		Bytes wire;
		Bytes close;
	};
	const Case cases[] = {
		{ raw_frame(0xC2, {}, true), { 0x88, 0x02, 0x03, 0xEA } },
		{ raw_frame(0x81, Bytes{ 0xC0 }, true), { 0x88, 0x02, 0x03, 0xEF } },
		{ raw_frame(0x82, Bytes(3, 'x'), true), { 0x88, 0x02, 0x03, 0xF1 } },
	};
	for (const Case &c : cases) {
		Session session(make_config(Role::SERVER, nullptr, limits));
		session.feed(c.wire.data(), c.wire.size());
		CHECK(take_all(session) == c.close);
	}
}

TEST("received_close_code is -1 before any close") {
	Session session(make_config(Role::CLIENT));
	CHECK_EQ(session.received_close_code(), -1);
	CHECK(!session.close_received());
	CHECK(!session.close_sent());
	CHECK(!session.is_closed());
	CHECK(session.wants_input());
}
