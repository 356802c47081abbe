// feed_in_place() must be indistinguishable from feed() apart from where whole single-frame
// messages live: same records (bytes and order), consumed counts, failures, close state and
// output, in every chunking and under every room; and it may write only into bytes it consumed.
#include "test_session_harness.h"

using namespace harness;

namespace {

constexpr size_t FEED = SIZE_MAX; // run_host's p_min_length meaning "use feed()"

struct HostRun {
	Outcome outcome;
	std::vector<size_t> used; // consumed bytes per call
	size_t in_place = 0; // records that came back in_input
};

// A host reading the stream in pieces (ending at p_cuts, then the rest), offering leftovers first,
// with the given rooms; each call gets a fresh writable copy of what is pending, as socket chunks
// would be. p_min_length == FEED uses feed(), otherwise feed_in_place(..., p_min_length).
HostRun run_host(const Config &p_config, const Bytes &p_stream, const std::vector<size_t> &p_cuts, size_t p_message_room,
		size_t p_byte_room, size_t p_min_length) {
	CountingMask mask;
	Session session(with_fresh_mask(p_config, mask));
	HostRun run;
	Bytes pending;
	size_t piece = 0;
	size_t start = 0;
	while (true) {
		const bool more = piece <= p_cuts.size() && start < p_stream.size();
		if (more) {
			const size_t end = piece < p_cuts.size() ? p_cuts[piece] : p_stream.size();
			pending.insert(pending.end(), p_stream.begin() + ptrdiff_t(start), p_stream.begin() + ptrdiff_t(end));
			start = end;
			piece++;
		}
		if (pending.empty() && !more) {
			break;
		}
		Bytes input = pending;
		const bool wanted = session.wants_input();
		const size_t used = p_min_length == FEED ? session.feed(input.data(), input.size(), p_message_room, p_byte_room)
												 : session.feed_in_place(input.data(), input.size(), p_message_room, p_byte_room, p_min_length);
		run.used.push_back(used);
		if (used > input.size()) {
			run.outcome.anomaly += "consumed more than given; ";
			break;
		}
		if (!wanted && used != 0) {
			run.outcome.anomaly += "consumed after it stopped reading; ";
		}
		if (!std::equal(input.begin() + ptrdiff_t(used), input.end(), pending.begin() + ptrdiff_t(used))) {
			run.outcome.anomaly += "wrote into unconsumed input; ";
		}
		size_t data_messages = 0;
		uint64_t data_bytes = 0;
		for (const gdws::Record &record : session.inbound_records()) {
			if (record.kind == Opcode::TEXT || record.kind == Opcode::BINARY) {
				data_messages++;
				data_bytes += record.length;
			}
			if (!record.in_input) {
				continue;
			}
			run.in_place++;
			if (p_min_length == FEED || record.length < p_min_length || record.offset + record.length > used) {
				run.outcome.records.push_back({ record.kind, "<bad in-input record>" });
			}
		}
		if (data_messages > p_message_room) {
			run.outcome.anomaly += "message room exceeded; ";
		}
		if (data_bytes > p_byte_room) {
			run.outcome.anomaly += "byte room exceeded; ";
		}
		for (const gdws::Record &record : session.inbound_records()) {
			const Bytes &store = record.in_input ? input : session.inbound_bytes();
			if (record.offset + record.length > store.size()) {
				run.outcome.records.push_back({ record.kind, "<record out of range>" });
			} else {
				run.outcome.records.push_back({ record.kind, text(store.data() + record.offset, size_t(record.length)) });
			}
		}
		session.clear_inbound();
		pending.erase(pending.begin(), pending.begin() + ptrdiff_t(used));
		if (!session.wants_input() || (used == 0 && !more)) {
			break;
		}
		if (run.used.size() > 10 * p_stream.size() + 100) {
			run.outcome.anomaly += "no termination; ";
			break;
		}
	}
	finish(session, run.outcome);
	return run;
}

// "" when feed_in_place() with each minimum length gives what feed() gives for these cuts and rooms.
std::string compare(const Config &p_config, const Bytes &p_stream, const std::vector<size_t> &p_cuts, size_t p_message_room,
		size_t p_byte_room, size_t *r_in_place = nullptr) {
	const HostRun reference = run_host(p_config, p_stream, p_cuts, p_message_room, p_byte_room, FEED);
	for (size_t min_length : { size_t(0), size_t(3), size_t(200) }) {
		const HostRun run = run_host(p_config, p_stream, p_cuts, p_message_room, p_byte_room, min_length);
		std::string d = run.outcome.diff(reference.outcome);
		if (d.empty() && run.used != reference.used) {
			d = "consumed counts differ";
		}
		if (!d.empty()) {
			return "min " + std::to_string(min_length) + ": " + d;
		}
		if (r_in_place) {
			*r_in_place += run.in_place;
		}
	}
	return "";
}

// Every chunking for_each_chunking tries, compared with feed().
// Returns the in-place records seen, so a test can show the in-place path actually ran.
size_t expect_same_in_every_chunking(const Config &p_config, const Bytes &p_stream) {
	size_t in_place = 0;
	for_each_chunking(p_stream.size(), [&](const std::vector<size_t> &p_cuts) {
		return compare(p_config, p_stream, p_cuts, SIZE_MAX, SIZE_MAX, &in_place);
	});
	return in_place;
}

Bytes mixed_stream(Role p_role) {
	return cat({ msg_to(p_role, Opcode::TEXT, "Hello"), frame_to(p_role, false, Opcode::TEXT, bytes("fr\xC3")),
			msg_to(p_role, Opcode::PING, "a"), frame_to(p_role, false, Opcode::CONTINUATION, bytes("\xA9")),
			msg_to(p_role, Opcode::PONG, ""), frame_to(p_role, true, Opcode::CONTINUATION, bytes("ag")),
			msg_to(p_role, Opcode::BINARY, ""), msg_to(p_role, Opcode::TEXT, "caf\xC3\xA9"),
			msg_to(p_role, Opcode::BINARY, "0123456789"), raw_frame(0x88, close_body(1000, "ok"), p_role == Role::SERVER) });
}

std::vector<size_t> cuts_every(size_t p_step, size_t p_len) {
	std::vector<size_t> cuts;
	for (size_t at = p_step; at < p_len; at += p_step) {
		cuts.push_back(at);
	}
	return cuts;
}

} // namespace

TEST("feed_in_place matches feed in every chunking: messages, fragments, control frames, close") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const size_t in_place = expect_same_in_every_chunking(make_config(role), mixed_stream(role));
		CHECK(in_place > 0);
	}
}

TEST("feed_in_place matches feed in every chunking for 16-bit and 64-bit lengths") {
	Limits limits;
	limits.max_message_size = 70000;
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		CHECK(expect_same_in_every_chunking(make_config(role, nullptr, limits), frame_to(role, true, Opcode::TEXT, Bytes(300, 'm'))) > 0);
		Bytes big(65536);
		for (size_t i = 0; i < big.size(); i++) {
			big[i] = uint8_t(i * 13);
		}
		CHECK(expect_same_in_every_chunking(make_config(role, nullptr, limits), frame_to(role, true, Opcode::BINARY, big)) > 0);
	}
}

TEST("feed_in_place finds each protocol violation as feed does, in every chunking") {
	Limits limits;
	limits.max_message_size = 20;
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const bool to_server = role == Role::SERVER;
		const Bytes good = cat({ msg_to(role, Opcode::TEXT, "ok"), frame_to(role, false, Opcode::TEXT, bytes("a")),
				msg_to(role, Opcode::PING, "p") });
		const Bytes violations[] = {
			raw_frame(0xE1, bytes("x"), to_server),
			raw_frame(0x81, bytes("x"), !to_server),
			raw_frame(0x81, bytes("b\xFF"), to_server), // invalid UTF-8 in a new message: fails EXPECTED_CONTINUATION first
			raw_frame(0x80, bytes("b\xFF"), to_server),
			raw_frame(0x80, Bytes(20, 'b'), to_server),
			raw_frame(0x88, close_body(1000, "\xC3("), to_server),
		};
		for (const Bytes &bad : violations) {
			expect_same_in_every_chunking(make_config(role, nullptr, limits), cat({ good, bad, msg_to(role, Opcode::TEXT, "never") }));
		}
		// Violations inside messages the in-place path takes (no fragment open).
		const Bytes in_place_violations[] = {
			raw_frame(0x81, bytes("bad \xFF text"), to_server),
			raw_frame(0x81, bytes("ends inside \xE2\x82"), to_server),
			raw_frame(0x81, bytes("\xED\xA0\x80 surrogate"), to_server),
			raw_frame(0x82, Bytes(21, 'b'), to_server),
		};
		for (const Bytes &bad : in_place_violations) {
			const Bytes stream = cat({ msg_to(role, Opcode::TEXT, "ok"), bad, msg_to(role, Opcode::TEXT, "never") });
			expect_same_in_every_chunking(make_config(role, nullptr, limits), stream);
			CHECK(run_whole(make_config(role, nullptr, limits), stream).failure != Failure::NONE);
		}
	}
}

TEST("feed_in_place matches feed under every room and chunk size") {
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
		size_t in_place = 0;
		for (size_t chunk : { size_t(1), size_t(2), size_t(3), size_t(7), size_t(64), stream.size() }) {
			for (size_t message_room : { size_t(0), size_t(1), size_t(2), size_t(5), SIZE_MAX }) {
				for (size_t byte_room : { size_t(0), size_t(5), size_t(18), size_t(19), size_t(40), SIZE_MAX }) {
					const std::string d = compare(make_config(role), stream, cuts_every(chunk, stream.size()), message_room, byte_room, &in_place);
					if (!d.empty()) {
						check::fail(__FILE__, __LINE__,
								"chunk " + std::to_string(chunk) + " rooms " + std::to_string(message_room) + "/" + std::to_string(byte_room) +
										": " + d);
					}
				}
			}
		}
		CHECK(in_place > 0);
	}
}

TEST("a whole masked message is unmasked in the input and recorded there") {
	Bytes wire = msg_to(Role::SERVER, Opcode::TEXT, "caf\xC3\xA9 in place");
	const Bytes original = wire;
	Session session(make_config(Role::SERVER));
	CHECK_EQ(session.feed_in_place(wire.data(), wire.size()), wire.size());
	CHECK_EQ(session.inbound_records().size(), size_t(1));
	if (session.inbound_records().size() == 1) {
		const gdws::Record &record = session.inbound_records()[0];
		CHECK(record.in_input);
		CHECK(record.kind == Opcode::TEXT);
		CHECK_EQ(record.offset, uint64_t(6)); // 2 header bytes + 4 key bytes
		CHECK_EQ(text(wire.data() + record.offset, size_t(record.length)), std::string("caf\xC3\xA9 in place"));
	}
	CHECK(session.inbound_bytes().empty());
	CHECK(std::equal(wire.begin(), wire.begin() + 6, original.begin())); // the header is left as it was
	CHECK_EQ(session.output_size(), size_t(0));
}

TEST("in-input offsets count from the start of the call, after leftovers and control frames") {
	const Bytes first = msg_to(Role::SERVER, Opcode::PING, "p");
	Bytes wire = cat({ first, msg_to(Role::SERVER, Opcode::BINARY, "abc"), frame_to(Role::SERVER, false, Opcode::TEXT, bytes("x")),
			frame_to(Role::SERVER, true, Opcode::CONTINUATION, bytes("y")), msg_to(Role::SERVER, Opcode::BINARY, "def") });
	Session session(make_config(Role::SERVER));
	CHECK_EQ(session.feed_in_place(wire.data(), wire.size()), wire.size());
	const std::vector<gdws::Record> &records = session.inbound_records();
	CHECK_EQ(records.size(), size_t(4));
	if (records.size() == 4) {
		CHECK(!records[0].in_input); // the ping, in the store
		CHECK(records[1].in_input);
		CHECK_EQ(records[1].offset, uint64_t(first.size() + 6));
		CHECK_EQ(text(wire.data() + records[1].offset, 3), std::string("abc"));
		CHECK(!records[2].in_input); // fragmented: assembled in the store
		CHECK_EQ(text(session.inbound_bytes().data() + records[2].offset, 2), std::string("xy"));
		CHECK(records[3].in_input);
		CHECK_EQ(text(wire.data() + records[3].offset, 3), std::string("def"));
	}
	CHECK_EQ(decode_frames(Bytes(session.output_data(), session.output_data() + session.output_size())).size(), size_t(1)); // the pong
}

TEST("a message shorter than the minimum, split across calls, or cut by the byte room is copied") {
	Bytes wire = msg_to(Role::CLIENT, Opcode::BINARY, "0123456789");
	Session session(make_config(Role::CLIENT));
	CHECK_EQ(session.feed_in_place(wire.data(), wire.size(), SIZE_MAX, SIZE_MAX, 11), wire.size());
	CHECK(!session.inbound_records().empty() && !session.inbound_records()[0].in_input);
	session.clear_inbound();
	// Split: the second call holds the whole payload but not the header.
	Bytes head(wire.begin(), wire.begin() + 1);
	Bytes rest(wire.begin() + 1, wire.end());
	CHECK_EQ(session.feed_in_place(head.data(), head.size()), size_t(1));
	CHECK_EQ(session.feed_in_place(rest.data(), rest.size()), rest.size());
	CHECK(!session.inbound_records().empty() && session.inbound_records()[0].in_input);
	CHECK_EQ(session.inbound_records()[0].offset, uint64_t(1));
	session.clear_inbound();
	// Split inside the payload: copied.
	Bytes a(wire.begin(), wire.begin() + 5);
	Bytes b(wire.begin() + 5, wire.end());
	session.feed_in_place(a.data(), a.size());
	session.feed_in_place(b.data(), b.size());
	CHECK(!session.inbound_records().empty() && !session.inbound_records()[0].in_input);
	session.clear_inbound();
	// Byte room 4: only 4 bytes buffered, nothing written into the input.
	Bytes again = wire;
	const size_t used = session.feed_in_place(again.data(), again.size(), SIZE_MAX, 4);
	CHECK_EQ(used, size_t(2 + 4));
	CHECK(again == wire);
	CHECK(session.inbound_records().empty());
}

TEST("invalid UTF-8 in an in-place text message fails with 1007 as feed does") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		Bytes wire = cat({ raw_frame(0x81, bytes("ab\xC0\xAF"), role == Role::SERVER), msg_to(role, Opcode::TEXT, "after") });
		Session session(make_config(role));
		session.feed_in_place(wire.data(), wire.size());
		CHECK_EQ(session.failure(), Failure::INVALID_UTF8);
		CHECK(session.inbound_records().empty());
		const std::vector<WireFrame> frames = decode_frames(Bytes(session.output_data(), session.output_data() + session.output_size()));
		CHECK_EQ(frames.size(), size_t(1));
		if (frames.size() == 1) {
			CHECK(frames[0].payload == close_body(1007));
		}
	}
}
