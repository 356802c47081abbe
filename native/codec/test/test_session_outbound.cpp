// Outbound framing and accounting: length encodings, masking keys per frame, argument checks,
// QUEUE_FULL / BUFFER_FULL, and exact take/acknowledge bookkeeping under arbitrary splits.
#include "test_session_harness.h"

using namespace harness;
using gdws::Status;

namespace {

size_t wire_size(size_t p_payload, bool p_masked) {
	const size_t header = p_payload < 126 ? 2 : (p_payload <= 0xFFFF ? 4 : 10);
	return header + (p_masked ? 4 : 0) + p_payload;
}

// A small deterministic generator for the randomized tests.
struct Lcg {
	uint64_t state;
	uint32_t next(uint32_t p_bound) {
		state = state * 6364136223846793005ull + 1442695040888963407ull;
		return uint32_t((state >> 33) % p_bound);
	}
};

} // namespace

TEST("frames with the minimal length encoding at every boundary") {
	for (size_t len : { 0, 1, 125, 126, 127, 65535, 65536, 70000 }) {
		Session session(make_config(Role::SERVER, nullptr, unlimited()));
		const Bytes payload(len, 'p');
		CHECK_EQ(session.queue_message(Opcode::BINARY, payload.data(), payload.size()), Status::OK);
		const Bytes wire = take_all(session);
		CHECK_EQ(wire.size(), wire_size(len, false));
		CHECK(wire == raw_frame(0x82, payload, false));
	}
}

TEST("a client masks every frame with its own key, calling the source once per frame") {
	CountingMask mask;
	Session session(make_config(Role::CLIENT, &mask, unlimited()));
	const Bytes payload = bytes("same payload");
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(session.queue_message(Opcode::TEXT, payload.data(), payload.size()), Status::OK);
	}
	CHECK_EQ(session.queue_message(Opcode::PING, payload.data(), payload.size()), Status::OK);
	CHECK_EQ(session.queue_message(Opcode::PONG, nullptr, 0), Status::OK);
	CHECK_EQ(mask.calls, 6);
	CHECK_EQ(session.queue_close(1000, nullptr, 0), Status::OK);
	CHECK_EQ(mask.calls, 7);
	const Bytes wire = take_all(session);
	const std::vector<WireFrame> frames = decode_frames(wire);
	CHECK_EQ(frames.size(), size_t(7));
	for (size_t i = 0; i < frames.size() && i < 4; i++) {
		CHECK(frames[i].masked);
		CHECK(frames[i].payload == payload);
	}
	// Different keys give different masked bytes for the same payload.
	const size_t frame_len = wire_size(payload.size(), true);
	CHECK(!std::equal(wire.begin() + 2, wire.begin() + ptrdiff_t(frame_len), wire.begin() + ptrdiff_t(frame_len + 2)));
}

TEST("a server never asks for a mask key and sends unmasked frames") {
	CountingMask mask;
	Session session(make_config(Role::SERVER, &mask));
	const Bytes payload = bytes("abc");
	CHECK_EQ(session.queue_message(Opcode::TEXT, payload.data(), payload.size()), Status::OK);
	const Bytes ping = raw_frame(0x89, bytes("x"), true);
	session.feed(ping.data(), ping.size());
	CHECK_EQ(mask.calls, 0);
	for (const WireFrame &frame : decode_frames(take_all(session))) {
		CHECK(!frame.masked);
	}
}

TEST("queues text, binary, ping and pong; refuses other opcodes and long control payloads") {
	Session session(make_config(Role::SERVER, nullptr, unlimited()));
	const Bytes small = bytes("x");
	const size_t max = gdws::MAX_CONTROL_PAYLOAD;
	const Bytes big(max + 1, 'b');
	CHECK_EQ(session.queue_message(Opcode::TEXT, small.data(), 1), Status::OK);
	CHECK_EQ(session.queue_message(Opcode::BINARY, small.data(), 1), Status::OK);
	CHECK_EQ(session.queue_message(Opcode::PING, big.data(), max), Status::OK);
	CHECK_EQ(session.queue_message(Opcode::PONG, big.data(), max), Status::OK);
	CHECK_EQ(session.queue_message(Opcode::PING, big.data(), max + 1), Status::INVALID_ARGUMENT);
	CHECK_EQ(session.queue_message(Opcode::PONG, big.data(), max + 1), Status::INVALID_ARGUMENT);
	CHECK_EQ(session.queue_message(Opcode::CLOSE, small.data(), 1), Status::INVALID_ARGUMENT);
	CHECK_EQ(session.queue_message(Opcode::CONTINUATION, small.data(), 1), Status::INVALID_ARGUMENT);
	CHECK_EQ(session.queue_message(Opcode(0x3), small.data(), 1), Status::INVALID_ARGUMENT);
	CHECK_EQ(session.queue_message(Opcode::TEXT, nullptr, 1), Status::INVALID_ARGUMENT);
	CHECK_EQ(session.queued_message_count(), uint32_t(4));
	CHECK(!session.close_sent());
}

TEST("refuses text that is not valid UTF-8 (RFC 6455 §8.1) before the limits; binary is never checked") {
	Limits limits;
	limits.max_outbound_messages = 1;
	Session session(make_config(Role::SERVER, nullptr, limits));
	for (const Bytes &bad : { Bytes{ 0xFF }, Bytes{ 0xC3, 0x28 }, Bytes{ 'a', 0xE2, 0x82 }, Bytes{ 0xED, 0xA0, 0x80 }, Bytes{ 0xC0, 0xAF } }) {
		CHECK_EQ(session.queue_message(Opcode::TEXT, bad.data(), bad.size()), Status::INVALID_UTF8);
		CHECK_EQ(session.output_size(), size_t(0));
	}
	const Bytes good = bytes("h\xC3\xA9llo \xF0\x9D\x84\x9E");
	CHECK_EQ(session.queue_message(Opcode::TEXT, good.data(), good.size()), Status::OK);
	// The queue is full now, and the text check still answers first.
	const Bytes bad = { 0xFF };
	CHECK_EQ(session.queue_message(Opcode::TEXT, bad.data(), bad.size()), Status::INVALID_UTF8);
	CHECK_EQ(session.queue_message(Opcode::TEXT, good.data(), good.size()), Status::QUEUE_FULL);
	Session binary(make_config(Role::SERVER));
	CHECK_EQ(binary.queue_message(Opcode::BINARY, bad.data(), bad.size()), Status::OK);
	CHECK_EQ(binary.queue_message(Opcode::PING, bad.data(), bad.size()), Status::OK);
}

TEST("status names are stable") {
	CHECK_EQ(std::string(gdws::status_name(Status::OK)), std::string("OK"));
	CHECK_EQ(std::string(gdws::status_name(Status::BUFFER_FULL)), std::string("BUFFER_FULL"));
	CHECK_EQ(std::string(gdws::status_name(Status::INVALID_UTF8)), std::string("INVALID_UTF8"));
}

TEST("QUEUE_FULL once max_outbound_messages frames are unacknowledged") {
	Limits limits = unlimited();
	limits.max_outbound_messages = 2;
	Session session(make_config(Role::SERVER, nullptr, limits));
	const Bytes data = bytes("abc");
	CHECK_EQ(session.queue_message(Opcode::TEXT, data.data(), 3), Status::OK);
	CHECK_EQ(session.queue_message(Opcode::TEXT, data.data(), 3), Status::OK);
	CHECK_EQ(session.queue_message(Opcode::TEXT, data.data(), 3), Status::QUEUE_FULL);
	// Taking is not enough; the frame must be acknowledged, and acknowledged whole.
	session.take_output(5);
	CHECK_EQ(session.queue_message(Opcode::TEXT, data.data(), 3), Status::QUEUE_FULL);
	session.acknowledge_output(4);
	CHECK_EQ(session.queue_message(Opcode::TEXT, data.data(), 3), Status::QUEUE_FULL);
	session.acknowledge_output(1);
	CHECK_EQ(session.queued_message_count(), uint32_t(1));
	CHECK_EQ(session.queue_message(Opcode::TEXT, data.data(), 3), Status::OK);
}

TEST("max_outbound_messages 0 always refuses, UINT32_MAX never does") {
	Limits none = unlimited();
	none.max_outbound_messages = 0;
	Session refusing(make_config(Role::SERVER, nullptr, none));
	CHECK_EQ(refusing.queue_message(Opcode::BINARY, nullptr, 0), Status::QUEUE_FULL);
	Session open(make_config(Role::SERVER, nullptr, unlimited()));
	for (int i = 0; i < 10000; i++) {
		CHECK_EQ(open.queue_message(Opcode::BINARY, nullptr, 0), Status::OK);
	}
	CHECK_EQ(open.queued_message_count(), uint32_t(10000));
}

TEST("BUFFER_FULL when unacknowledged payload plus the new message would exceed max_outbound_bytes") {
	Limits limits = unlimited();
	limits.max_outbound_bytes = 10;
	Session session(make_config(Role::SERVER, nullptr, limits));
	const Bytes data(10, 'd');
	CHECK_EQ(session.queue_message(Opcode::BINARY, data.data(), 6), Status::OK);
	CHECK_EQ(session.queue_message(Opcode::BINARY, data.data(), 5), Status::BUFFER_FULL);
	CHECK_EQ(session.queue_message(Opcode::BINARY, data.data(), 4), Status::OK);
	CHECK_EQ(session.queue_message(Opcode::BINARY, nullptr, 0), Status::OK);
	CHECK_EQ(session.queue_message(Opcode::PING, data.data(), 1), Status::BUFFER_FULL);
	CHECK_EQ(session.queued_payload_bytes(), uint64_t(10));
	// Acknowledging the first frame (2 + 6 bytes) frees its 6 payload bytes.
	session.take_output(8);
	session.acknowledge_output(8);
	CHECK_EQ(session.queued_payload_bytes(), uint64_t(4));
	CHECK_EQ(session.queue_message(Opcode::BINARY, data.data(), 6), Status::OK);
}

TEST("the transport backlog counts against max_outbound_bytes") {
	Limits limits = unlimited();
	limits.max_outbound_bytes = 100;
	Session session(make_config(Role::SERVER, nullptr, limits));
	session.set_transport_backlog(95);
	CHECK_EQ(session.queued_payload_bytes(), uint64_t(95));
	const Bytes data(10, 'd');
	CHECK_EQ(session.queue_message(Opcode::BINARY, data.data(), 6), Status::BUFFER_FULL);
	CHECK_EQ(session.queue_message(Opcode::BINARY, data.data(), 5), Status::OK);
	CHECK_EQ(session.queued_payload_bytes(), uint64_t(100));
	session.set_transport_backlog(200);
	CHECK_EQ(session.queue_message(Opcode::BINARY, nullptr, 0), Status::BUFFER_FULL);
}

TEST("with Godot's defaults a 65535-byte message fits an idle connection and 65536 does not") {
	Session session(make_config(Role::SERVER));
	const Bytes big(65536, 'x');
	CHECK_EQ(session.queue_message(Opcode::BINARY, big.data(), 65536), Status::BUFFER_FULL);
	CHECK_EQ(session.queue_message(Opcode::BINARY, big.data(), 65535), Status::OK);
}

TEST("max_outbound_bytes 0 means no limit") {
	Session session(make_config(Role::SERVER, nullptr, unlimited()));
	const Bytes big(300000, 'x');
	CHECK_EQ(session.queue_message(Opcode::BINARY, big.data(), big.size()), Status::OK);
	CHECK_EQ(session.queue_message(Opcode::BINARY, big.data(), big.size()), Status::OK);
	CHECK_EQ(session.queued_payload_bytes(), uint64_t(600000));
}

TEST("take and acknowledge split frames arbitrarily with exact accounting") {
	for (bool client : { false, true }) {
		for (uint64_t seed = 1; seed <= 20; seed++) {
			Lcg rng{ seed };
			CountingMask mask;
			Session session(make_config(client ? Role::CLIENT : Role::SERVER, &mask, unlimited()));
			OutboundModel model;
			size_t taken = 0;
			size_t acked = 0;
			Bytes written; // everything taken, in order
			Bytes expected; // everything queued, in order
			int mismatches = 0;
			for (int step = 0; step < 300; step++) {
				const uint32_t action = rng.next(3);
				if (action == 0) {
					const size_t len = rng.next(4) == 0 ? rng.next(70000) : rng.next(300);
					Bytes payload(len);
					for (size_t i = 0; i < len; i++) {
						payload[i] = uint8_t(i + step);
					}
					CHECK_EQ(session.queue_message(Opcode::BINARY, payload.data(), len), Status::OK);
					model.queued(wire_size(len, client), len);
					if (!client) {
						const Bytes frame = raw_frame(0x82, payload, false);
						expected.insert(expected.end(), frame.begin(), frame.end());
					}
				} else if (action == 1) {
					const size_t n = rng.next(uint32_t(session.output_size() + 20));
					const size_t real = std::min(n, session.output_size());
					written.insert(written.end(), session.output_data(), session.output_data() + real);
					session.take_output(n);
					taken += real;
				} else {
					const size_t n = rng.next(uint32_t(taken - acked + 20));
					session.acknowledge_output(n);
					acked += std::min(n, taken - acked);
				}
				if (!model.counts_match(session, acked) || session.output_size() != model.framed - taken) {
					mismatches++;
				}
			}
			CHECK_EQ(mismatches, 0);
			written.insert(written.end(), session.output_data(), session.output_data() + session.output_size());
			if (client) {
				CHECK_EQ(decode_frames(written).size(), model.payloads.size());
			} else {
				CHECK(written == expected);
			}
		}
	}
}

TEST("acknowledging more than was taken, or taking more than is available, is clamped") {
	Session session(make_config(Role::SERVER));
	const Bytes data = bytes("abcdef");
	CHECK_EQ(session.queue_message(Opcode::BINARY, data.data(), 6), Status::OK); // 8 bytes
	session.acknowledge_output(100); // nothing taken yet
	CHECK_EQ(session.queued_message_count(), uint32_t(1));
	session.take_output(3);
	session.acknowledge_output(100); // only 3 were taken
	CHECK_EQ(session.queued_message_count(), uint32_t(1));
	session.take_output(100);
	CHECK_EQ(session.output_size(), size_t(0));
	session.acknowledge_output(5);
	CHECK_EQ(session.queued_message_count(), uint32_t(0));
	CHECK_EQ(session.queued_payload_bytes(), uint64_t(0));
}

TEST("control frames count in the queue until acknowledged") {
	Session session(make_config(Role::SERVER));
	const Bytes ping = raw_frame(0x89, bytes("12345"), true);
	session.feed(ping.data(), ping.size());
	CHECK_EQ(session.queued_message_count(), uint32_t(1));
	CHECK_EQ(session.queued_payload_bytes(), uint64_t(5));
	session.take_output(session.output_size());
	session.acknowledge_output(7);
	CHECK_EQ(session.queued_message_count(), uint32_t(0));
	CHECK_EQ(session.queued_payload_bytes(), uint64_t(0));
}
