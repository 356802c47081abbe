// Chunked input with in-place placement, and messages in buffers of their own, must be
// indistinguishable from read-only input apart from where single-frame messages live: same
// records (bytes and order), consumed counts, failures, close state and output, in every
// chunking, with several chunks per call and under every room; and it may write only into
// payload bytes it consumed.
#include "test_session_harness.h"

using namespace harness;
using gdws::Chunk;
using gdws::Placement;
using gdws::Room;

namespace {

constexpr uint64_t READ_ONLY = UINT64_MAX; // run_host's p_min_length meaning "feed(const uint8_t *, ...)"

Config placing(const Config &p_config, uint64_t p_min_length, uint64_t p_own_min_length = UINT64_MAX) {
	Config config = p_config;
	config.in_place_min_length = p_min_length;
	config.own_buffer_min_length = p_own_min_length;
	return config;
}

struct HostRun {
	Outcome outcome;
	std::vector<size_t> used; // consumed bytes per call
	size_t in_place = 0; // records that came back with Placement::INPUT
	size_t own = 0; // records that came back with Placement::OWN
};

// A host reading the stream in pieces (ending at p_cuts, then the rest) and handing the codec two
// new pieces per call after the leftover of the call before, as separate writable chunks (as a
// poll hands over socket reads), with the given room. p_min_length == READ_ONLY feeds the same
// bytes as one read-only piece per call instead.
HostRun run_host(const Config &p_config, const Bytes &p_stream, const std::vector<size_t> &p_cuts, const Room &p_room,
		uint64_t p_min_length, uint64_t p_own_min_length = UINT64_MAX) {
	CountingMask mask;
	Session session(with_fresh_mask(placing(p_config, p_min_length == READ_ONLY ? UINT64_MAX : p_min_length, p_own_min_length), mask));
	HostRun run;
	std::vector<Bytes> pending; // chunks not consumed yet, the first possibly in part
	size_t piece = 0;
	size_t start = 0;
	while (true) {
		bool more = false;
		for (int i = 0; i < 2 && piece <= p_cuts.size() && start < p_stream.size(); i++) {
			const size_t end = piece < p_cuts.size() ? p_cuts[piece] : p_stream.size();
			pending.push_back(Bytes(p_stream.begin() + ptrdiff_t(start), p_stream.begin() + ptrdiff_t(end)));
			start = end;
			piece++;
			more = true;
		}
		if (pending.empty() && !more) {
			break;
		}
		std::vector<Bytes> input = pending; // fresh writable copies, as new socket reads would be
		const bool wanted = session.wants_input();
		size_t used;
		if (p_min_length == READ_ONLY) {
			const Bytes joined = [&] {
				Bytes all;
				for (const Bytes &chunk : input) {
					all.insert(all.end(), chunk.begin(), chunk.end());
				}
				return all;
			}();
			used = session.feed(joined.data(), joined.size(), p_room);
		} else {
			std::vector<Chunk> chunks;
			for (Bytes &chunk : input) {
				chunks.push_back({ chunk.data(), chunk.size() });
			}
			used = session.feed(chunks.data(), chunks.size(), p_room);
		}
		run.used.push_back(used);
		// What each chunk kept: the codec may write only into payload bytes it consumed.
		size_t total = 0;
		size_t left = used;
		for (size_t c = 0; c < input.size(); c++) {
			total += input[c].size();
			const size_t consumed_here = std::min(left, input[c].size());
			left -= consumed_here;
			if (!std::equal(input[c].begin() + ptrdiff_t(consumed_here), input[c].end(), pending[c].begin() + ptrdiff_t(consumed_here))) {
				run.outcome.anomaly += "wrote into unconsumed input; ";
			}
		}
		if (used > total) {
			run.outcome.anomaly += "consumed more than given; ";
			break;
		}
		if (!wanted && used != 0) {
			run.outcome.anomaly += "consumed after it stopped reading; ";
		}
		size_t data_messages = 0;
		uint64_t data_bytes = 0;
		for (const gdws::Record &record : session.inbound_records()) {
			if (record.kind == Opcode::TEXT || record.kind == Opcode::BINARY) {
				data_messages++;
				data_bytes += record.length;
			}
			const Bytes *store = &session.inbound_bytes();
			if (record.placement == Placement::OWN) {
				run.own++;
				if (record.length < p_own_min_length || record.offset != 0 || record.chunk >= 64) {
					run.outcome.records.push_back({ record.kind, "<bad own record>" });
					continue;
				}
				store = &session.own_buffer(record);
			} else if (record.placement == Placement::INPUT) {
				run.in_place++;
				if (p_min_length == READ_ONLY || record.length < p_min_length || record.chunk >= input.size()) {
					run.outcome.records.push_back({ record.kind, "<bad in-input record>" });
					continue;
				}
				store = &input[record.chunk];
			}
			if (record.offset + record.length > store->size()) {
				run.outcome.records.push_back({ record.kind, "<record out of range>" });
			} else {
				run.outcome.records.push_back({ record.kind, text(store->data() + record.offset, size_t(record.length)) });
			}
		}
		if (data_messages > p_room.messages) {
			run.outcome.anomaly += "message room exceeded; ";
		}
		if (data_bytes > p_room.bytes) {
			run.outcome.anomaly += "byte room exceeded; ";
		}
		session.clear_inbound();
		// Drop what was consumed: whole chunks, then the front of the first one left.
		size_t drop = used;
		while (!pending.empty() && drop >= pending.front().size()) {
			drop -= pending.front().size();
			pending.erase(pending.begin());
		}
		if (!pending.empty()) {
			pending.front().erase(pending.front().begin(), pending.front().begin() + ptrdiff_t(drop));
		}
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

// "" when chunked input with each minimum length gives what read-only input gives for these cuts and room.
std::string compare(const Config &p_config, const Bytes &p_stream, const std::vector<size_t> &p_cuts, const Room &p_room,
		size_t *r_in_place = nullptr, size_t *r_own = nullptr) {
	const HostRun reference = run_host(p_config, p_stream, p_cuts, p_room, READ_ONLY);
	if (!reference.outcome.anomaly.empty()) {
		return "read-only: " + reference.outcome.anomaly;
	}
	const std::pair<uint64_t, uint64_t> placements[] = { { 0, UINT64_MAX }, { 3, UINT64_MAX }, { 200, UINT64_MAX }, { UINT64_MAX - 1, UINT64_MAX },
		{ UINT64_MAX - 1, 0 }, { UINT64_MAX - 1, 3 }, { 200, 2 }, { 0, 0 } };
	for (const auto &[min_length, own_min_length] : placements) {
		const HostRun run = run_host(p_config, p_stream, p_cuts, p_room, min_length, own_min_length);
		std::string d = run.outcome.diff(reference.outcome);
		// After a failure the rest of the input is ignored, and how much of the failing call counts
		// as consumed depends on where its chunks end; before it, the counts must agree.
		if (d.empty() && run.used != reference.used && reference.outcome.failure == Failure::NONE) {
			d = "consumed counts differ";
		}
		if (!d.empty()) {
			return "min " + std::to_string(min_length) + " own " + std::to_string(own_min_length) + ": " + d;
		}
		if (r_in_place) {
			*r_in_place += run.in_place;
		}
		if (r_own) {
			*r_own += run.own;
		}
	}
	return "";
}

// Every chunking for_each_chunking tries, compared with read-only input.
// Returns the in-place records seen, so a test can show the in-place path actually ran.
size_t expect_same_in_every_chunking(const Config &p_config, const Bytes &p_stream, size_t *r_own = nullptr) {
	size_t in_place = 0;
	for_each_chunking(p_stream.size(), [&](const std::vector<size_t> &p_cuts) {
		return compare(p_config, p_stream, p_cuts, Room(), &in_place, r_own);
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

TEST("chunked input matches read-only input in every chunking: messages, fragments, control frames, close") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		size_t own = 0;
		const size_t in_place = expect_same_in_every_chunking(make_config(role), mixed_stream(role), &own);
		CHECK(in_place > 0);
		CHECK(own > 0);
	}
}

TEST("chunked input matches read-only input in every chunking for 16-bit and 64-bit lengths") {
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

TEST("chunked input finds each protocol violation as read-only input does, in every chunking") {
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

TEST("chunked input matches read-only input under every room and chunk size") {
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
		size_t own = 0;
		for (size_t chunk : { size_t(1), size_t(2), size_t(3), size_t(7), size_t(64), stream.size() }) {
			for (size_t message_room : { size_t(0), size_t(1), size_t(2), size_t(5), SIZE_MAX }) {
				for (size_t byte_room : { size_t(0), size_t(5), size_t(18), size_t(19), size_t(40), SIZE_MAX }) {
					const std::string d = compare(make_config(role), stream, cuts_every(chunk, stream.size()), Room{ message_room, byte_room }, &in_place, &own);
					if (!d.empty()) {
						check::fail(__FILE__, __LINE__,
								"chunk " + std::to_string(chunk) + " rooms " + std::to_string(message_room) + "/" + std::to_string(byte_room) +
										": " + d);
					}
				}
			}
		}
		CHECK(in_place > 0);
		CHECK(own > 0);
	}
}

// Feeds p_chunks (writable) in one call with in-place placement from p_min_length bytes on.
size_t feed_chunks(Session &p_session, std::vector<Bytes *> p_chunks, const Room &p_room = Room()) {
	std::vector<Chunk> chunks;
	for (Bytes *chunk : p_chunks) {
		chunks.push_back({ chunk->data(), chunk->size() });
	}
	return p_session.feed(chunks.data(), chunks.size(), p_room);
}

TEST("a whole masked message is unmasked in the input and recorded there") {
	Bytes wire = msg_to(Role::SERVER, Opcode::TEXT, "caf\xC3\xA9 in place");
	const Bytes original = wire;
	Session session(placing(make_config(Role::SERVER), 0));
	CHECK_EQ(feed_chunks(session, { &wire }), wire.size());
	CHECK_EQ(session.inbound_records().size(), size_t(1));
	if (session.inbound_records().size() == 1) {
		const gdws::Record &record = session.inbound_records()[0];
		CHECK(record.placement == Placement::INPUT);
		CHECK_EQ(record.chunk, uint32_t(0));
		CHECK(record.kind == Opcode::TEXT);
		CHECK_EQ(record.offset, uint64_t(6)); // 2 header bytes + 4 key bytes
		CHECK_EQ(text(wire.data() + record.offset, size_t(record.length)), std::string("caf\xC3\xA9 in place"));
	}
	CHECK(session.inbound_bytes().empty());
	CHECK(std::equal(wire.begin(), wire.begin() + 6, original.begin())); // the header is left as it was
	CHECK_EQ(session.output_size(), size_t(0));
}

TEST("read-only input and the default configuration never place a payload in the input") {
	const Bytes wire = msg_to(Role::SERVER, Opcode::TEXT, "copied");
	Session read_only(placing(make_config(Role::SERVER), 0));
	CHECK_EQ(read_only.feed(wire.data(), wire.size()), wire.size());
	Bytes writable = wire;
	Session by_default(make_config(Role::SERVER));
	CHECK_EQ(feed_chunks(by_default, { &writable }), wire.size());
	CHECK(writable == wire);
	for (Session *session : { &read_only, &by_default }) {
		CHECK_EQ(session->inbound_records().size(), size_t(1));
		if (session->inbound_records().size() == 1) {
			CHECK(session->inbound_records()[0].placement == Placement::SESSION);
			CHECK_EQ(text(session->inbound_bytes().data() + session->inbound_records()[0].offset, 6), std::string("copied"));
		}
	}
}

TEST("in-input records name their chunk and count offsets from its start") {
	Bytes ping = msg_to(Role::SERVER, Opcode::PING, "p");
	Bytes second = cat({ msg_to(Role::SERVER, Opcode::BINARY, "abc"), frame_to(Role::SERVER, false, Opcode::TEXT, bytes("x")) });
	Bytes third = cat({ frame_to(Role::SERVER, true, Opcode::CONTINUATION, bytes("y")), msg_to(Role::SERVER, Opcode::BINARY, "def") });
	Session session(placing(make_config(Role::SERVER), 0));
	CHECK_EQ(feed_chunks(session, { &ping, &second, &third }), ping.size() + second.size() + third.size());
	const std::vector<gdws::Record> &records = session.inbound_records();
	CHECK_EQ(records.size(), size_t(4));
	if (records.size() == 4) {
		CHECK(records[0].placement == Placement::SESSION); // the ping, in the store
		CHECK(records[1].placement == Placement::INPUT);
		CHECK_EQ(records[1].chunk, uint32_t(1));
		CHECK_EQ(records[1].offset, uint64_t(6));
		CHECK_EQ(text(second.data() + records[1].offset, 3), std::string("abc"));
		CHECK(records[2].placement == Placement::SESSION); // fragmented: assembled in the store
		CHECK_EQ(text(session.inbound_bytes().data() + records[2].offset, 2), std::string("xy"));
		CHECK(records[3].placement == Placement::INPUT);
		CHECK_EQ(records[3].chunk, uint32_t(2));
		CHECK_EQ(text(third.data() + records[3].offset, 3), std::string("def"));
	}
	CHECK_EQ(decode_frames(Bytes(session.output_data(), session.output_data() + session.output_size())).size(), size_t(1)); // the pong
}

TEST("the room counts across the chunks of one call") {
	Bytes a = msg_to(Role::CLIENT, Opcode::BINARY, "12345");
	Bytes b = msg_to(Role::CLIENT, Opcode::BINARY, "67890");
	Bytes c = msg_to(Role::CLIENT, Opcode::BINARY, "abcde");
	Session by_count(placing(make_config(Role::CLIENT), 0));
	CHECK_EQ(feed_chunks(by_count, { &a, &b, &c }, Room{ 2, UINT64_MAX }), a.size() + b.size());
	CHECK_EQ(by_count.inbound_records().size(), size_t(2));
	Session by_bytes(placing(make_config(Role::CLIENT), 0));
	CHECK_EQ(feed_chunks(by_bytes, { &a, &b, &c }, Room{ SIZE_MAX, 12 }), a.size() + b.size() + 2 + 2);
	CHECK_EQ(by_bytes.inbound_records().size(), size_t(2));
}

TEST("a message shorter than the minimum, split across chunks, or cut by the byte room is copied") {
	Bytes wire = msg_to(Role::CLIENT, Opcode::BINARY, "0123456789");
	Session session(placing(make_config(Role::CLIENT), 11));
	Bytes whole = wire;
	CHECK_EQ(feed_chunks(session, { &whole }), wire.size());
	CHECK(!session.inbound_records().empty() && session.inbound_records()[0].placement == Placement::SESSION);
	session.clear_inbound();
	// Header in one chunk, the whole payload in the next.
	Session placed(placing(make_config(Role::CLIENT), 0));
	Bytes head(wire.begin(), wire.begin() + 2);
	Bytes rest(wire.begin() + 2, wire.end());
	CHECK_EQ(feed_chunks(placed, { &head, &rest }), wire.size());
	CHECK(!placed.inbound_records().empty() && placed.inbound_records()[0].placement == Placement::SESSION);
	placed.clear_inbound();
	// Split inside the payload: copied.
	Bytes a(wire.begin(), wire.begin() + 5);
	Bytes b(wire.begin() + 5, wire.end());
	CHECK_EQ(feed_chunks(placed, { &a, &b }), wire.size());
	CHECK(!placed.inbound_records().empty() && placed.inbound_records()[0].placement == Placement::SESSION);
	placed.clear_inbound();
	// Byte room 4: only 4 bytes buffered, nothing written into the input.
	Bytes again = wire;
	const size_t used = feed_chunks(placed, { &again }, Room{ SIZE_MAX, 4 });
	CHECK_EQ(used, size_t(2 + 4));
	CHECK(again == wire);
	CHECK(placed.inbound_records().empty());
}

TEST("invalid UTF-8 in an in-place text message fails with 1007 as read-only input does") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		Bytes wire = cat({ raw_frame(0x81, bytes("ab\xC0\xAF"), role == Role::SERVER), msg_to(role, Opcode::TEXT, "after") });
		Session session(placing(make_config(role), 0));
		feed_chunks(session, { &wire });
		CHECK_EQ(session.failure(), Failure::INVALID_UTF8);
		CHECK(session.inbound_records().empty());
		const std::vector<WireFrame> frames = decode_frames(Bytes(session.output_data(), session.output_data() + session.output_size()));
		CHECK_EQ(frames.size(), size_t(1));
		if (frames.size() == 1) {
			CHECK(frames[0].payload == close_body(1007));
		}
	}
}
