// release_inbound() and take_output_buffer(): the host takes the session's buffers instead of
// copying them. Records keep their offsets, a message in progress survives, and the outbound
// accounting is the same as with take_output().
#include "test_session_harness.h"

using namespace harness;
using gdws::Status;

namespace {

std::vector<Rec> records_in(const Session &p_session, const Bytes &p_buffer) {
	std::vector<Rec> out;
	for (const gdws::Record &record : p_session.inbound_records()) {
		out.push_back({ record.kind, text(p_buffer.data() + record.offset, size_t(record.length)) });
	}
	return out;
}

// Takes the records, then releases the buffer they point into (as a host would).
std::vector<Rec> release(Session &p_session) {
	const std::vector<gdws::Record> records = p_session.inbound_records();
	const Bytes buffer = p_session.release_inbound();
	std::vector<Rec> out;
	for (const gdws::Record &record : records) {
		CHECK(record.offset + record.length <= buffer.size());
		if (record.offset + record.length <= buffer.size()) {
			out.push_back({ record.kind, text(buffer.data() + record.offset, size_t(record.length)) });
		}
	}
	return out;
}

void feed_all(Session &p_session, const Bytes &p_wire) {
	CHECK_EQ(p_session.feed(p_wire.data(), p_wire.size()), p_wire.size());
}

} // namespace

TEST("release_inbound hands over every completed record with its offsets, then starts empty") {
	for (Role role : { Role::SERVER, Role::CLIENT }) {
		Session session(make_config(role, nullptr, unlimited()));
		feed_all(session, cat({ msg_to(role, Opcode::TEXT, "one"), msg_to(role, Opcode::BINARY, "two"), msg_to(role, Opcode::PONG, "p") }));
		const std::vector<Rec> expected = records_in(session, session.inbound_bytes());
		CHECK_EQ(expected.size(), size_t(3));
		CHECK(release(session) == expected);
		CHECK(session.inbound_records().empty());
		CHECK(session.inbound_bytes().empty());
		feed_all(session, msg_to(role, Opcode::TEXT, "three"));
		CHECK(release(session) == (std::vector<Rec>{ { Opcode::TEXT, "three" } }));
	}
}

TEST("a message in progress stays in the session, whichever part is smaller") {
	const Role role = Role::SERVER;
	const std::string big(5000, 'b');
	const std::string small = "s";
	// Completed part smaller than the message in progress, then larger.
	for (const auto &[done, open] : { std::pair{ small, big }, std::pair{ big, small } }) {
		Session session(make_config(role, nullptr, unlimited()));
		const Bytes first_half = frame_to(role, false, Opcode::BINARY, bytes(open.substr(0, open.size() / 2 + 1)));
		const Bytes second_half = frame_to(role, true, Opcode::CONTINUATION, bytes(open.substr(open.size() / 2 + 1)));
		feed_all(session, cat({ msg_to(role, Opcode::TEXT, done), first_half }));
		CHECK(release(session) == (std::vector<Rec>{ { Opcode::TEXT, done } }));
		feed_all(session, second_half);
		CHECK(release(session) == (std::vector<Rec>{ { Opcode::BINARY, open } }));
	}
}

TEST("a ping inside a fragmented message is released in order, the message still completes") {
	const Role role = Role::SERVER;
	Session session(make_config(role, nullptr, unlimited()));
	feed_all(session, cat({ frame_to(role, false, Opcode::TEXT, bytes("frag")), msg_to(role, Opcode::PING, "ping") }));
	CHECK(release(session) == (std::vector<Rec>{ { Opcode::PING, "ping" } }));
	feed_all(session, frame_to(role, true, Opcode::CONTINUATION, bytes("ment")));
	CHECK(release(session) == (std::vector<Rec>{ { Opcode::TEXT, "fragment" } }));
}

TEST("a payload split across feeds is the same released as copied, masked or not") {
	for (Role role : { Role::SERVER, Role::CLIENT }) {
		Bytes payload(70000);
		for (size_t i = 0; i < payload.size(); i++) {
			payload[i] = uint8_t(i * 31 + 7);
		}
		const Bytes wire = frame_to(role, true, Opcode::BINARY, payload);
		Session session(make_config(role, nullptr, unlimited()));
		for (size_t at = 0; at < wire.size(); at += 4099) {
			const size_t n = std::min<size_t>(4099, wire.size() - at);
			CHECK_EQ(session.feed(wire.data() + at, n), n);
		}
		const std::vector<Rec> got = release(session);
		CHECK_EQ(got.size(), size_t(1));
		CHECK(!got.empty() && got[0].payload == text(payload.data(), payload.size()));
	}
}

TEST("take_output_buffer returns what output_data held and keeps the bytes counted until acknowledged") {
	CountingMask mask;
	Session session(make_config(Role::CLIENT, &mask, unlimited()));
	const Bytes payload = bytes("payload");
	CHECK_EQ(session.queue_message(Opcode::BINARY, payload.data(), payload.size()), Status::OK);
	CHECK_EQ(session.queue_message(Opcode::TEXT, payload.data(), payload.size()), Status::OK);
	const Bytes expected(session.output_data(), session.output_data() + session.output_size());
	const Bytes taken = session.take_output_buffer();
	CHECK(taken == expected);
	CHECK_EQ(session.output_size(), size_t(0));
	CHECK_EQ(session.queued_message_count(), uint32_t(2));
	CHECK_EQ(session.queued_payload_bytes(), uint64_t(2 * payload.size()));
	const std::vector<WireFrame> frames = decode_frames(taken);
	CHECK_EQ(frames.size(), size_t(2));
	for (const WireFrame &frame : frames) {
		CHECK(frame.masked);
		CHECK(frame.payload == payload);
	}
	session.acknowledge_output(taken.size());
	CHECK_EQ(session.queued_message_count(), uint32_t(0));
	CHECK(session.take_output_buffer().empty());
}

TEST("take_output_buffer after a partial take_output returns only the rest") {
	Session session(make_config(Role::SERVER, nullptr, unlimited()));
	const Bytes payload(300, 'x');
	CHECK_EQ(session.queue_message(Opcode::BINARY, payload.data(), payload.size()), Status::OK);
	const Bytes all(session.output_data(), session.output_data() + session.output_size());
	session.take_output(10);
	const Bytes rest = session.take_output_buffer();
	CHECK(rest == Bytes(all.begin() + 10, all.end()));
	session.acknowledge_output(all.size());
	CHECK_EQ(session.queued_payload_bytes(), uint64_t(0));
	// New output after a buffer was taken goes into a fresh one.
	CHECK_EQ(session.queue_message(Opcode::PING, nullptr, 0), Status::OK);
	CHECK(session.take_output_buffer() == raw_frame(0x89, {}, false));
}

TEST("reserve_inbound makes room once and changes nothing a feed sees") {
	const Role role = Role::CLIENT;
	Session session(make_config(role, nullptr, unlimited()));
	const Bytes wire = cat({ msg_to(role, Opcode::BINARY, std::string(3000, 'a')), msg_to(role, Opcode::TEXT, "b") });
	session.reserve_inbound(wire.size());
	CHECK(session.inbound_bytes().capacity() >= wire.size());
	const uint8_t *storage = session.inbound_bytes().data();
	feed_all(session, wire);
	CHECK(session.inbound_bytes().data() == storage); // no growth while feeding
	CHECK(release(session) == (std::vector<Rec>{ { Opcode::BINARY, std::string(3000, 'a') }, { Opcode::TEXT, "b" } }));
}
