// The closing handshake and automatic control replies: close echo, received code and reason,
// state flags, pongs, and what is refused once a close is queued.
#include "test_session_harness.h"

using namespace harness;
using gdws::Status;

namespace {

Bytes take_all(Session &p_session) {
	Bytes out(p_session.output_data(), p_session.output_data() + p_session.output_size());
	p_session.take_output(out.size());
	return out;
}

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

TEST("sends the close reason up to 123 bytes and refuses 124") {
	Session ok(make_config(Role::SERVER));
	const Bytes max_reason(123, 'r');
	CHECK_EQ(ok.queue_close(1000, max_reason.data(), max_reason.size()), Status::OK);
	const Bytes sent = take_all(ok);
	CHECK_EQ(sent.size(), size_t(2 + 125));
	CHECK_EQ(int(sent[1]), 125);

	Session refused(make_config(Role::SERVER));
	const Bytes long_reason(124, 'r');
	CHECK_EQ(refused.queue_close(1000, long_reason.data(), long_reason.size()), Status::INVALID_ARGUMENT);
	CHECK_EQ(refused.output_size(), size_t(0));
	CHECK(!refused.close_sent());
	CHECK_EQ(refused.queue_close(0, long_reason.data(), long_reason.size()), Status::INVALID_ARGUMENT);
}

TEST("code 0 sends an empty close body and drops the reason") {
	Session session(make_config(Role::SERVER));
	const Bytes reason = bytes("dropped");
	CHECK_EQ(session.queue_close(0, reason.data(), reason.size()), Status::OK);
	CHECK(take_all(session) == (Bytes{ 0x88, 0x00 }));
}

TEST("sends the close code it is given without validating it") {
	for (int code : { 1005, 1006, 999, 5000 }) {
		Session session(make_config(Role::SERVER));
		CHECK_EQ(session.queue_close(code, nullptr, 0), Status::OK);
		CHECK(take_all(session) == (Bytes{ 0x88, 0x02, uint8_t(code >> 8), uint8_t(code) }));
	}
	Session wrapped(make_config(Role::SERVER));
	CHECK_EQ(wrapped.queue_close(70000, nullptr, 0), Status::OK); // 70000 & 0xFFFF = 0x1170
	CHECK(take_all(wrapped) == (Bytes{ 0x88, 0x02, 0x11, 0x70 }));
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
