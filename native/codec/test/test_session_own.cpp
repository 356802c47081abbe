// Placement::OWN: a single-frame message assembled in a buffer of its own, which the host may take
// whole. (That it gives the same records as every other placement in every chunking and under every
// room is checked in test_session_inplace.cpp.) Here: the buffer's life across feed() calls, what
// take_own_buffer() hands over, and that the memory follows the bytes that arrive, not the length
// a header declares.
#include "test_session_harness.h"

#include <atomic>
#include <cstdlib>
#include <new>

using namespace harness;
using gdws::Placement;
using gdws::Room;

// Bytes allocated by this test program, to see what a feed() reserves.
static std::atomic<size_t> g_allocated{ 0 };

void *operator new(size_t p_size) {
	g_allocated += p_size;
	void *p = std::malloc(p_size ? p_size : 1);
	if (!p) {
		throw std::bad_alloc();
	}
	return p;
}
void operator delete(void *p_pointer) noexcept {
	std::free(p_pointer);
}
void operator delete(void *p_pointer, size_t) noexcept {
	std::free(p_pointer);
}

namespace {

Config owning(Role p_role, uint64_t p_min_length, Limits p_limits = unlimited()) {
	Config config = make_config(p_role, nullptr, p_limits);
	config.own_buffer_min_length = p_min_length;
	return config;
}

Bytes pattern(size_t p_length) {
	Bytes payload(p_length);
	for (size_t i = 0; i < p_length; i++) {
		payload[i] = uint8_t(i * 31 + 7);
	}
	return payload;
}

} // namespace

TEST("a message of the minimum length or more goes into a buffer of its own, shorter ones into the store") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		Session session(owning(role, 100));
		const Bytes big = pattern(100);
		const Bytes wire = cat({ msg_to(role, Opcode::BINARY, "small"), frame_to(role, true, Opcode::BINARY, big) });
		CHECK_EQ(session.feed(wire.data(), wire.size()), wire.size());
		const std::vector<gdws::Record> &records = session.inbound_records();
		CHECK_EQ(records.size(), size_t(2));
		if (records.size() == 2) {
			CHECK(records[0].placement == Placement::SESSION);
			CHECK(records[1].placement == Placement::OWN);
			CHECK_EQ(records[1].offset, uint64_t(0));
			CHECK(session.own_buffer(records[1]) == big);
			// A message assembled in one call fills its buffer exactly.
			CHECK_EQ(session.own_buffer(records[1]).capacity(), big.size());
			const Bytes taken = session.take_own_buffer(records[1]);
			CHECK(taken == big);
			CHECK(session.own_buffer(records[1]).empty());
		}
	}
}

TEST("an open message keeps its buffer across calls while completed ones are cleared") {
	Session session(owning(Role::SERVER, 10));
	const Bytes first = pattern(50);
	const Bytes second = pattern(70);
	const Bytes wire = cat({ frame_to(Role::SERVER, true, Opcode::BINARY, first), frame_to(Role::SERVER, true, Opcode::TEXT, Bytes(70, 'z')) });
	const size_t split = wire.size() - 30; // inside the second message's payload
	CHECK_EQ(session.feed(wire.data(), split), split);
	CHECK_EQ(session.inbound_records().size(), size_t(1));
	CHECK(session.own_buffer(session.inbound_records()[0]) == first);
	session.clear_inbound();
	CHECK(session.inbound_records().empty());
	CHECK_EQ(session.feed(wire.data() + split, wire.size() - split), wire.size() - split);
	CHECK_EQ(session.inbound_records().size(), size_t(1));
	if (session.inbound_records().size() == 1) {
		const gdws::Record &record = session.inbound_records()[0];
		CHECK(record.placement == Placement::OWN);
		CHECK(record.kind == Opcode::TEXT);
		CHECK(session.own_buffer(record) == Bytes(70, 'z'));
	}
	(void)second;
}

TEST("fragmented messages and control frames never take an own buffer") {
	Session session(owning(Role::CLIENT, 0));
	const Bytes wire = cat({ frame_to(Role::CLIENT, false, Opcode::BINARY, bytes("frag")), msg_to(Role::CLIENT, Opcode::PING, "ping"),
			frame_to(Role::CLIENT, true, Opcode::CONTINUATION, bytes("ment")) });
	CHECK_EQ(session.feed(wire.data(), wire.size()), wire.size());
	for (const gdws::Record &record : session.inbound_records()) {
		CHECK(record.placement == Placement::SESSION);
	}
	CHECK_EQ(session.inbound_records().size(), size_t(2));
}

TEST("a header alone reserves nothing; the buffer grows with the bytes that arrive, to at most twice them") {
	Session session(owning(Role::SERVER, 0));
	const size_t length = 4 * 1024 * 1024;
	const Bytes wire = frame_to(Role::SERVER, true, Opcode::BINARY, pattern(length));
	const size_t header = wire.size() - length;
	size_t before = g_allocated;
	CHECK_EQ(session.feed(wire.data(), header), header);
	CHECK(g_allocated - before < 1024);
	// Pieces of 64 KiB: never more than twice what arrived is allocated at any point.
	size_t fed = header;
	size_t worst = 0;
	while (fed < wire.size()) {
		const size_t n = std::min<size_t>(65536, wire.size() - fed);
		before = g_allocated;
		CHECK_EQ(session.feed(wire.data() + fed, n), n);
		fed += n;
		const size_t arrived = fed - header;
		const size_t grown = g_allocated - before;
		worst = std::max(worst, grown);
		CHECK(grown <= 2 * arrived);
	}
	CHECK(worst > 0);
	CHECK_EQ(session.inbound_records().size(), size_t(1));
	if (session.inbound_records().size() == 1) {
		CHECK(session.own_buffer(session.inbound_records()[0]) == pattern(length));
		CHECK(session.own_buffer(session.inbound_records()[0]).capacity() <= length);
	}
}

TEST("the byte room stops an own message as it stops one in the store, and it resumes") {
	Session session(owning(Role::SERVER, 0));
	const Bytes payload = pattern(1000);
	const Bytes wire = frame_to(Role::SERVER, true, Opcode::BINARY, payload);
	const size_t used = session.feed(wire.data(), wire.size(), Room{ SIZE_MAX, 400 });
	CHECK_EQ(used, wire.size() - 600);
	CHECK(session.inbound_records().empty());
	CHECK_EQ(session.feed(wire.data() + used, wire.size() - used), wire.size() - used);
	CHECK_EQ(session.inbound_records().size(), size_t(1));
	if (session.inbound_records().size() == 1) {
		CHECK(session.own_buffer(session.inbound_records()[0]) == payload);
	}
}

TEST("invalid UTF-8 in an own text message fails with 1007 and drops its buffer") {
	Session session(owning(Role::SERVER, 0));
	Bytes text(300, 'a');
	text[200] = 0xFF;
	const Bytes wire = cat({ frame_to(Role::SERVER, true, Opcode::TEXT, text), msg_to(Role::SERVER, Opcode::TEXT, "never") });
	session.feed(wire.data(), wire.size());
	CHECK_EQ(session.failure(), Failure::INVALID_UTF8);
	CHECK(session.inbound_records().empty());
	session.clear_inbound();
	const std::vector<WireFrame> frames = decode_frames(Bytes(session.output_data(), session.output_data() + session.output_size()));
	CHECK_EQ(frames.size(), size_t(1));
	if (frames.size() == 1) {
		CHECK(frames[0].payload == close_body(1007));
	}
}
