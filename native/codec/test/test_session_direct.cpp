// Config::payload_allocator (direct receive) must be indistinguishable from feed() without it apart
// from where large single-frame messages live: same records (bytes and order), consumed counts,
// failures, close state and output, in every chunking and under every room. The codec writes only
// inside the memory it asked for, asks only for allowed lengths, and abandons it on failure.
#include "test_session_harness.h"

#include <memory>

using namespace harness;

namespace {

constexpr size_t GUARD = 16;
constexpr uint8_t GUARD_BYTE = 0xEE;

// The host's side of the allocator: blocks with guard bytes around them, in allocation order.
struct Host {
	std::vector<std::unique_ptr<Bytes>> blocks;
	std::vector<uint64_t> lengths;
	bool decline = false;
	uint64_t max_allowed = UINT64_MAX; // lengths above this are an anomaly

	static uint8_t *allocate(void *p_user, uint64_t p_length) {
		Host *host = static_cast<Host *>(p_user);
		if (host->decline) {
			return nullptr;
		}
		host->blocks.push_back(std::make_unique<Bytes>(size_t(p_length) + 2 * GUARD, GUARD_BYTE));
		host->lengths.push_back(p_length);
		return host->blocks.back()->data() + GUARD;
	}

	bool guards_intact() const {
		for (const std::unique_ptr<Bytes> &block : blocks) {
			for (size_t i = 0; i < GUARD; i++) {
				if ((*block)[i] != GUARD_BYTE || (*block)[block->size() - 1 - i] != GUARD_BYTE) {
					return false;
				}
			}
		}
		return true;
	}
};

struct HostRun {
	Outcome outcome;
	std::vector<size_t> used; // consumed bytes per call
	size_t in_host = 0; // records that came back in_host
};

enum class Mode {
	FEED, // feed() without an allocator: the reference
	DIRECT, // feed() with the allocator
	DIRECT_IN_PLACE, // feed_in_place(..., 200) with the allocator
	DECLINED, // feed() with an allocator that returns nullptr
};

// A host reading the stream in pieces (ending at p_cuts, then the rest), offering leftovers first,
// with the given rooms; each call gets a fresh writable copy of what is pending.
HostRun run_host(Config p_config, const Bytes &p_stream, const std::vector<size_t> &p_cuts, size_t p_message_room, size_t p_byte_room,
		Mode p_mode) {
	Host host;
	host.decline = p_mode == Mode::DECLINED;
	if (p_mode != Mode::FEED) {
		p_config.payload_allocator = &Host::allocate;
		p_config.payload_user = &host;
		const uint64_t max_size = p_config.limits.max_message_size;
		host.max_allowed = max_size > 0 && max_size < p_config.direct_max_length ? max_size : p_config.direct_max_length;
	}
	CountingMask mask;
	Session session(with_fresh_mask(p_config, mask));
	HostRun run;
	Bytes pending;
	size_t piece = 0;
	size_t start = 0;
	size_t next_block = 0;
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
		const size_t blocks_before = host.blocks.size();
		const size_t used = p_mode == Mode::DIRECT_IN_PLACE ? session.feed_in_place(input.data(), input.size(), p_message_room, p_byte_room, 200)
														   : session.feed(input.data(), input.size(), p_message_room, p_byte_room);
		run.used.push_back(used);
		if (used > input.size()) {
			run.outcome.anomaly += "consumed more than given; ";
			break;
		}
		if (host.blocks.size() > blocks_before + 1 + session.inbound_records().size()) {
			run.outcome.anomaly += "more allocations than messages; ";
		}
		for (size_t b = blocks_before; b < host.blocks.size(); b++) {
			if (host.lengths[b] > host.max_allowed || host.lengths[b] < p_config.direct_min_length) {
				run.outcome.anomaly += "allocation of a length not allowed; ";
			}
			if (host.lengths[b] > p_byte_room) {
				run.outcome.anomaly += "allocation beyond the byte room; ";
			}
		}
		size_t data_messages = 0;
		uint64_t data_bytes = 0;
		for (const gdws::Record &record : session.inbound_records()) {
			if (record.kind == Opcode::TEXT || record.kind == Opcode::BINARY) {
				data_messages++;
				data_bytes += record.length;
			}
			if (record.in_host) {
				run.in_host++;
				if (p_mode == Mode::FEED || p_mode == Mode::DECLINED || record.in_input || record.offset != 0) {
					run.outcome.anomaly += "unexpected in-host record; ";
				}
			}
		}
		if (data_messages > p_message_room) {
			run.outcome.anomaly += "message room exceeded; ";
		}
		if (data_bytes > p_byte_room) {
			run.outcome.anomaly += "byte room exceeded; ";
		}
		for (const gdws::Record &record : session.inbound_records()) {
			if (record.in_host) {
				// In allocation order, each filling its whole block.
				if (next_block >= host.blocks.size() || host.lengths[next_block] != record.length) {
					run.outcome.records.push_back({ record.kind, "<in-host record without its block>" });
				} else {
					run.outcome.records.push_back({ record.kind, text(host.blocks[next_block]->data() + GUARD, size_t(record.length)) });
				}
				next_block++;
				continue;
			}
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
	// Every block ends as a record except, after a failure or a stop mid-message, the last one.
	const size_t open = host.blocks.size() - std::min(next_block, host.blocks.size());
	if (next_block > host.blocks.size() || open > 1) {
		run.outcome.anomaly += "blocks and in-host records do not pair up; ";
	}
	if (!host.guards_intact()) {
		run.outcome.anomaly += "wrote outside an allocated block; ";
	}
	finish(session, run.outcome);
	return run;
}

// "" when every direct mode gives what feed() without an allocator gives for these cuts and rooms.
std::string compare(const Config &p_config, const Bytes &p_stream, const std::vector<size_t> &p_cuts, size_t p_message_room,
		size_t p_byte_room, size_t *r_in_host = nullptr) {
	const HostRun reference = run_host(p_config, p_stream, p_cuts, p_message_room, p_byte_room, Mode::FEED);
	for (Mode mode : { Mode::DIRECT, Mode::DIRECT_IN_PLACE, Mode::DECLINED }) {
		const HostRun run = run_host(p_config, p_stream, p_cuts, p_message_room, p_byte_room, mode);
		std::string d = run.outcome.diff(reference.outcome);
		if (d.empty() && run.used != reference.used) {
			d = "consumed counts differ";
		}
		if (!d.empty()) {
			return "mode " + std::to_string(int(mode)) + ": " + d;
		}
		if (r_in_host && mode == Mode::DIRECT) {
			*r_in_host += run.in_host;
		}
	}
	return "";
}

// Every chunking for_each_chunking tries, compared with feed() without an allocator.
// Returns the in-host records seen with Mode::DIRECT.
size_t expect_same_in_every_chunking(const Config &p_config, const Bytes &p_stream) {
	size_t in_host = 0;
	for_each_chunking(p_stream.size(), [&](const std::vector<size_t> &p_cuts) {
		return compare(p_config, p_stream, p_cuts, SIZE_MAX, SIZE_MAX, &in_host);
	});
	return in_host;
}

Bytes patterned(size_t p_length, uint8_t p_seed) {
	Bytes out(p_length);
	for (size_t i = 0; i < p_length; i++) {
		out[i] = uint8_t(i * 31 + p_seed + (i >> 8));
	}
	return out;
}

// Valid UTF-8 of about p_length bytes mixing 1- to 4-byte characters.
Bytes utf8_text(size_t p_length) {
	const std::string pieces[] = { "a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "z" };
	std::string out;
	for (size_t i = 0; out.size() < p_length; i++) {
		out += pieces[i % 5];
	}
	return bytes(out);
}

// 64 KiB-class messages, direct and not, between small ones, control frames and a fragment.
Bytes large_stream(Role p_role) {
	return cat({ msg_to(p_role, Opcode::TEXT, "small"), frame_to(p_role, true, Opcode::BINARY, patterned(65536, 7)),
			msg_to(p_role, Opcode::PING, "p"), frame_to(p_role, true, Opcode::TEXT, utf8_text(20000)),
			frame_to(p_role, false, Opcode::BINARY, patterned(17000, 3)), msg_to(p_role, Opcode::PONG, "q"),
			frame_to(p_role, true, Opcode::CONTINUATION, patterned(100, 5)), frame_to(p_role, true, Opcode::BINARY, patterned(16383, 9)),
			frame_to(p_role, true, Opcode::BINARY, patterned(16384, 1)), raw_frame(0x88, close_body(1000, "end"), p_role == Role::SERVER) });
}

Limits limits_of(uint64_t p_max_message_size) {
	Limits limits;
	limits.max_message_size = p_max_message_size;
	return limits;
}

} // namespace

TEST("direct receive matches feed in every chunking of 64 KiB-class streams") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const size_t in_host = expect_same_in_every_chunking(make_config(role, nullptr, limits_of(70000)), large_stream(role));
		CHECK(in_host > 0);
	}
}

TEST("direct receive matches feed with no message size limit and a cap on what it allocates") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		Config config = make_config(role, nullptr, limits_of(0));
		config.direct_max_length = 20000; // the 65,536-byte message takes the copy path
		const Bytes stream = large_stream(role);
		size_t in_host = 0;
		for (size_t chunk : { size_t(1), size_t(4093), size_t(65536) }) {
			std::vector<size_t> cuts;
			for (size_t at = chunk; at < stream.size(); at += chunk) {
				cuts.push_back(at);
			}
			CHECK_EQ(compare(config, stream, cuts, SIZE_MAX, SIZE_MAX, &in_host), std::string());
		}
		CHECK(in_host > 0);
		const Bytes huge = frame_to(role, true, Opcode::BINARY, patterned(3 * 65536 + 5, 2));
		CHECK_EQ(compare(config, huge, { 1000, 70000, 140000 }, SIZE_MAX, SIZE_MAX), std::string());
	}
}

TEST("direct receive matches feed under every room and chunk size") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		const Bytes stream = large_stream(role);
		size_t in_host = 0;
		for (size_t chunk : { size_t(4093), size_t(65536), stream.size() }) {
			for (size_t message_room : { size_t(0), size_t(1), SIZE_MAX }) {
				for (size_t byte_room : { size_t(0), size_t(16384), size_t(20000), size_t(65536), SIZE_MAX }) {
					std::vector<size_t> cuts;
					for (size_t at = chunk; at < stream.size(); at += chunk) {
						cuts.push_back(at);
					}
					const std::string d = compare(make_config(role, nullptr, limits_of(70000)), stream, cuts, message_room, byte_room, &in_host);
					if (!d.empty()) {
						check::fail(__FILE__, __LINE__,
								"chunk " + std::to_string(chunk) + " rooms " + std::to_string(message_room) + "/" + std::to_string(byte_room) +
										": " + d);
					}
				}
			}
		}
		CHECK(in_host > 0);
	}
}

TEST("invalid UTF-8 inside a direct text message fails with 1007 mid-message, as feed does") {
	for (Role role : { Role::CLIENT, Role::SERVER }) {
		Bytes bad = utf8_text(30000);
		bad[15000] = 0xFF;
		Bytes truncated = utf8_text(30000);
		while ((truncated.back() & 0xC0) == 0x80) {
			truncated.pop_back();
		}
		truncated.pop_back(); // drop a lead byte's last continuation: ends inside a character
		truncated.push_back(0xE2);
		for (const Bytes &payload : { bad, truncated }) {
			const Bytes stream = cat({ msg_to(role, Opcode::TEXT, "ok"), frame_to(role, true, Opcode::TEXT, payload),
					msg_to(role, Opcode::TEXT, "never") });
			expect_same_in_every_chunking(make_config(role, nullptr, limits_of(70000)), stream);
			CHECK_EQ(run_whole(make_config(role, nullptr, limits_of(70000)), stream).failure, Failure::INVALID_UTF8);
		}
	}
}

TEST("a direct message is allocated at its header and abandoned when the session fails") {
	Host host;
	Config config = make_config(Role::SERVER, nullptr, limits_of(70000));
	config.payload_allocator = &Host::allocate;
	config.payload_user = &host;
	Bytes payload = utf8_text(40000);
	payload[30000] = 0xFF;
	const Bytes wire = frame_to(Role::SERVER, true, Opcode::TEXT, payload);
	Session session(config);
	CHECK_EQ(session.feed(wire.data(), 14), size_t(14)); // header only: allocated already
	CHECK_EQ(host.blocks.size(), size_t(1));
	CHECK_EQ(host.lengths.empty() ? uint64_t(0) : host.lengths[0], uint64_t(payload.size()));
	CHECK_EQ(session.feed(wire.data() + 14, 10000), size_t(10000));
	CHECK(session.inbound_records().empty());
	CHECK(session.inbound_bytes().empty()); // nothing copied into the session's store
	session.feed(wire.data() + 10014, wire.size() - 10014);
	CHECK_EQ(session.failure(), Failure::INVALID_UTF8);
	CHECK(session.inbound_records().empty());
	CHECK(host.guards_intact());
	// Nothing more is written: the block may be freed now.
	host.blocks.clear();
	const Bytes more = msg_to(Role::SERVER, Opcode::BINARY, std::string(20000, 'x'));
	CHECK_EQ(session.feed(more.data(), more.size()), size_t(0));
}

TEST("without an allocator, or below the minimum, nothing is asked for and records are in the store") {
	const Bytes wire = frame_to(Role::SERVER, true, Opcode::BINARY, patterned(65536, 4));
	Session plain(make_config(Role::SERVER, nullptr, limits_of(0)));
	CHECK_EQ(plain.feed(wire.data(), wire.size()), wire.size());
	CHECK(plain.inbound_records().size() == 1 && !plain.inbound_records()[0].in_host);
	Host host;
	Config config = make_config(Role::SERVER, nullptr, limits_of(0));
	config.payload_allocator = &Host::allocate;
	config.payload_user = &host;
	config.direct_min_length = 65537;
	Session above(config);
	CHECK_EQ(above.feed(wire.data(), wire.size()), wire.size());
	CHECK(host.blocks.empty());
	CHECK(above.inbound_records().size() == 1 && !above.inbound_records()[0].in_host);
	// A header beyond max_message_size fails before anything is allocated.
	config.direct_min_length = 16;
	config.limits.max_message_size = 65535;
	Session limited(config);
	limited.feed(wire.data(), wire.size());
	CHECK_EQ(limited.failure(), Failure::MESSAGE_TOO_BIG);
	CHECK(host.blocks.empty());
}
