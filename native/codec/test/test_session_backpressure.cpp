// Back-pressure in feed(): the message and byte room are respected on every call, the bytes left
// over are fed again later, and the messages come out complete, in order, once each.
#include "test_session_harness.h"

using namespace harness;

namespace {

Bytes three_messages(Role p_role) {
	return cat({ msg_to(p_role, Opcode::TEXT, "one"), msg_to(p_role, Opcode::BINARY, "two!"),
			frame_to(p_role, false, Opcode::TEXT, bytes("thr")), frame_to(p_role, true, Opcode::CONTINUATION, bytes("ee")) });
}

} // namespace

TEST("message room 0 completes no message and leaves the rest to feed later") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const Bytes stream = msg_to(role, Opcode::TEXT, "hello");
		Session session(make_config(role));
		const size_t used = session.feed(stream.data(), stream.size(), gdws::Room{ 0 });
		CHECK(used < stream.size());
		CHECK(session.inbound_records().empty());
		CHECK(session.wants_input());
		const size_t rest = session.feed(stream.data() + used, stream.size() - used, gdws::Room{ 1 });
		CHECK_EQ(used + rest, stream.size());
		CHECK_EQ(session.inbound_records().size(), size_t(1));
		std::vector<Rec> records;
		collect(session, records);
		CHECK(records[0] == (Rec{ Opcode::TEXT, "hello" }));
	}
}

TEST("message room 0 stops inside a final frame whose header was read in an earlier call") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const Bytes stream = msg_to(role, Opcode::BINARY, "0123456789");
		const size_t first = stream.size() - 4;
		Session session(make_config(role));
		CHECK_EQ(session.feed(stream.data(), first, gdws::Room{ 1 }), first);
		CHECK_EQ(session.feed(stream.data() + first, 4, gdws::Room{ 0 }), size_t(0));
		CHECK(session.inbound_records().empty());
		CHECK_EQ(session.feed(stream.data() + first, 4, gdws::Room{ 1 }), size_t(4));
		std::vector<Rec> records;
		collect(session, records);
		CHECK_EQ(records.size(), size_t(1));
		if (!records.empty()) {
			CHECK(records[0] == (Rec{ Opcode::BINARY, "0123456789" }));
		}
	}
}

TEST("message room 0 still leaves a byte of an empty message unconsumed") {
	// An empty final frame completes with its last header byte: that byte must stay with the host,
	// or the message would be stuck until more input arrives.
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const Bytes stream = msg_to(role, Opcode::BINARY, "");
		Session session(make_config(role));
		const size_t used = session.feed(stream.data(), stream.size(), gdws::Room{ 0 });
		CHECK(used < stream.size());
		CHECK(session.inbound_records().empty());
		CHECK_EQ(session.feed(stream.data() + used, stream.size() - used, gdws::Room{ 1 }), stream.size() - used);
		CHECK_EQ(session.inbound_records().size(), size_t(1));
	}
}

TEST("message room 1 completes exactly one message per call") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const Bytes stream = three_messages(role);
		size_t calls = 0;
		const Outcome out = run_with_room(make_config(role), stream, stream.size(), 1, SIZE_MAX, &calls);
		CHECK_EQ(out.anomaly, std::string());
		CHECK_EQ(out.diff(run_whole(make_config(role), stream)), std::string());
		CHECK_EQ(calls, size_t(3));
	}
}

TEST("message room 0 still answers pings and reads non-final fragments") {
	const Bytes stream = cat({ msg_to(Role::SERVER, Opcode::PING, "p"), frame_to(Role::SERVER, false, Opcode::TEXT, bytes("ab")),
			msg_to(Role::SERVER, Opcode::PING, "q"), frame_to(Role::SERVER, true, Opcode::CONTINUATION, bytes("cd")) });
	Session session(make_config(Role::SERVER));
	const size_t used = session.feed(stream.data(), stream.size(), gdws::Room{ 0 });
	CHECK(used < stream.size());
	CHECK_EQ(session.inbound_records().size(), size_t(2)); // the two pings
	CHECK_EQ(decode_frames(Bytes(session.output_data(), session.output_data() + session.output_size())).size(), size_t(2));
	std::vector<Rec> records;
	collect(session, records);
	CHECK_EQ(session.feed(stream.data() + used, stream.size() - used, gdws::Room{ 1 }), stream.size() - used);
	collect(session, records);
	CHECK_EQ(records.size(), size_t(3));
	if (records.size() == 3) {
		CHECK(records[2] == (Rec{ Opcode::TEXT, "abcd" }));
	}
}

TEST("byte room smaller than a message buffers only that much and resumes with more room") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const Bytes stream = msg_to(role, Opcode::BINARY, "0123456789");
		Session session(make_config(role));
		const size_t first = session.feed(stream.data(), stream.size(), gdws::Room{ SIZE_MAX, 4 });
		CHECK(first < stream.size());
		CHECK(session.inbound_records().empty());
		// The same room again makes no progress: 4 bytes of the message are already held.
		CHECK_EQ(session.feed(stream.data() + first, stream.size() - first, gdws::Room{ SIZE_MAX, 4 }), size_t(0));
		session.clear_inbound(); // must keep the partial message
		const size_t second = session.feed(stream.data() + first, stream.size() - first, gdws::Room{ SIZE_MAX, 7 });
		CHECK(first + second < stream.size());
		const size_t third = session.feed(stream.data() + first + second, stream.size() - first - second, gdws::Room{ SIZE_MAX, 10 });
		CHECK_EQ(first + second + third, stream.size());
		std::vector<Rec> records;
		collect(session, records);
		CHECK_EQ(records.size(), size_t(1));
		if (!records.empty()) {
			CHECK(records[0] == (Rec{ Opcode::BINARY, "0123456789" }));
		}
	}
}

TEST("byte room equal to the message size completes it") {
	const Bytes stream = msg_to(Role::CLIENT, Opcode::BINARY, "0123456789");
	Session session(make_config(Role::CLIENT));
	CHECK_EQ(session.feed(stream.data(), stream.size(), gdws::Room{ SIZE_MAX, 10 }), stream.size());
	CHECK_EQ(session.inbound_records().size(), size_t(1));
}

TEST("byte room counts the messages completed in the same call") {
	Bytes stream;
	for (int i = 0; i < 5; i++) {
		stream = cat({ stream, msg_to(Role::SERVER, Opcode::BINARY, "0123456789") });
	}
	Session session(make_config(Role::SERVER));
	const size_t used = session.feed(stream.data(), stream.size(), gdws::Room{ SIZE_MAX, 25 });
	size_t messages = 0;
	for (const gdws::Record &record : session.inbound_records()) {
		messages += record.kind == Opcode::BINARY;
	}
	CHECK_EQ(messages, size_t(2));
	CHECK(used < stream.size());
}

TEST("byte room 0 completes empty messages only") {
	const Bytes stream = cat({ msg_to(Role::CLIENT, Opcode::TEXT, ""), msg_to(Role::CLIENT, Opcode::BINARY, ""),
			msg_to(Role::CLIENT, Opcode::TEXT, "x") });
	Session session(make_config(Role::CLIENT));
	const size_t used = session.feed(stream.data(), stream.size(), gdws::Room{ SIZE_MAX, 0 });
	CHECK_EQ(session.inbound_records().size(), size_t(2));
	CHECK(used < stream.size());
}

TEST("byte room: an empty final fragment does not complete a message the room cannot hold") {
	// Found by fuzz_session: "Hel" arrived in earlier calls, then an empty FIN continuation came
	// with byte room 0 and completed the 3-byte message anyway.
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const Bytes start = frame_to(role, false, Opcode::TEXT, bytes("Hel"));
		const Bytes end = frame_to(role, true, Opcode::CONTINUATION, bytes(""));
		Session session(make_config(role));
		CHECK_EQ(session.feed(start.data(), start.size()), start.size());
		CHECK_EQ(session.feed(end.data(), end.size(), gdws::Room{ SIZE_MAX, 2 }), size_t(0));
		CHECK(session.inbound_records().empty());
		CHECK(session.wants_input());
		CHECK_EQ(session.feed(end.data(), end.size(), gdws::Room{ SIZE_MAX, 3 }), end.size());
		std::vector<Rec> records;
		collect(session, records);
		CHECK_EQ(records.size(), size_t(1));
		if (!records.empty()) {
			CHECK(records[0] == (Rec{ Opcode::TEXT, "Hel" }));
		}
	}
}

TEST("every room and chunk size gives the unthrottled result with nothing lost or duplicated") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		Bytes stream;
		for (int i = 0; i < 12; i++) {
			const std::string payload(size_t(i * 5 % 17), char('a' + i));
			if (i % 4 == 1) {
				stream = cat({ stream, frame_to(role, false, Opcode::BINARY, bytes(payload)), msg_to(role, Opcode::PING, "p"),
						frame_to(role, true, Opcode::CONTINUATION, bytes("++")) });
			} else {
				stream = cat({ stream, msg_to(role, Opcode::TEXT, payload) });
			}
		}
		stream = cat({ stream, raw_frame(0x88, close_body(1000, "end"), role == Role::SERVER) });
		const Config config = make_config(role);
		const Outcome reference = run_whole(config, stream);
		CHECK(reference.close_received);
		int mismatches = 0;
		for (size_t chunk : { size_t(1), size_t(2), size_t(3), size_t(7), size_t(64), stream.size() }) {
			for (size_t message_room : { size_t(1), size_t(2), size_t(5), SIZE_MAX }) {
				for (size_t byte_room : { size_t(18), size_t(19), size_t(40), SIZE_MAX }) {
					const Outcome out = run_with_room(config, stream, chunk, message_room, byte_room);
					const std::string diff = out.diff(reference);
					if (!diff.empty()) {
						mismatches++;
						check::fail(__FILE__, __LINE__,
								"chunk " + std::to_string(chunk) + " rooms " + std::to_string(message_room) + "/" +
										std::to_string(byte_room) + ": " + diff);
					}
				}
			}
		}
		CHECK_EQ(mismatches, 0);
	}
}

TEST("a byte room that can never hold the message stalls without losing anything") {
	const Bytes stream = cat({ msg_to(Role::CLIENT, Opcode::TEXT, "fits"), msg_to(Role::CLIENT, Opcode::TEXT, "too large") });
	const Outcome out = run_with_room(make_config(Role::CLIENT), stream, stream.size(), SIZE_MAX, 5);
	CHECK_EQ(out.anomaly, std::string());
	CHECK_EQ(out.records.size(), size_t(1));
	CHECK(out.wants_input);
}

TEST("clear_inbound keeps a partial message and resets the records") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const Bytes stream = cat({ msg_to(role, Opcode::TEXT, "done"), frame_to(role, false, Opcode::BINARY, bytes("par")),
				frame_to(role, true, Opcode::CONTINUATION, bytes("tial")) });
		Session session(make_config(role));
		const size_t split = stream.size() - 3;
		CHECK_EQ(session.feed(stream.data(), split), split);
		CHECK_EQ(session.inbound_records().size(), size_t(1));
		session.clear_inbound();
		CHECK(session.inbound_records().empty());
		CHECK_EQ(session.feed(stream.data() + split, 3), size_t(3));
		std::vector<Rec> records;
		collect(session, records);
		CHECK_EQ(records.size(), size_t(1));
		if (!records.empty()) {
			CHECK(records[0] == (Rec{ Opcode::BINARY, "partial" }));
		}
		CHECK(session.inbound_bytes().empty());
	}
}
