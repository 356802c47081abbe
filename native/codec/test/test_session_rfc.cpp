// The examples of RFC 6455 §5.7, byte for byte, in both directions and both roles.
#include "test_session_harness.h"

using namespace harness;

namespace {

const Bytes HELLO = bytes("Hello");

uint32_t rfc_key(void *) {
	return 0x37fa213d;
}

Config client_with_rfc_key() {
	Config config;
	config.role = Role::CLIENT;
	config.mask_source = &rfc_key;
	return config;
}

Bytes pattern(size_t p_len) {
	Bytes out(p_len);
	for (size_t i = 0; i < p_len; i++) {
		out[i] = uint8_t(i * 7 + 3);
	}
	return out;
}

} // namespace

TEST("a client reads the single-frame unmasked text message \"Hello\"") {
	const Bytes wire = { 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f };
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT), wire);
	CHECK_EQ(out.records.size(), size_t(1));
	CHECK(out.records[0] == (Rec{ Opcode::TEXT, "Hello" }));
	CHECK_EQ(out.failure, Failure::NONE);
	CHECK(out.output.empty());
}

TEST("a server reads the single-frame masked text message \"Hello\"") {
	const Bytes wire = { 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58 };
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::SERVER), wire);
	CHECK_EQ(out.records.size(), size_t(1));
	CHECK(out.records[0] == (Rec{ Opcode::TEXT, "Hello" }));
	CHECK_EQ(out.failure, Failure::NONE);
}

TEST("a client sends \"Hello\" masked with the key from its mask source") {
	Session session(client_with_rfc_key());
	CHECK_EQ(session.queue_message(Opcode::TEXT, HELLO.data(), HELLO.size()), gdws::Status::OK);
	const Bytes expected = { 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58 };
	CHECK(take_all(session) == expected);
}

TEST("a server sends \"Hello\" unmasked") {
	Session session(make_config(Role::SERVER));
	CHECK_EQ(session.queue_message(Opcode::TEXT, HELLO.data(), HELLO.size()), gdws::Status::OK);
	const Bytes expected = { 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f };
	CHECK(take_all(session) == expected);
}

TEST("a client reads the fragmented unmasked text message \"Hel\" + \"lo\" as one message") {
	const Bytes wire = { 0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f };
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT), wire);
	CHECK_EQ(out.records.size(), size_t(1));
	CHECK(out.records[0] == (Rec{ Opcode::TEXT, "Hello" }));
	CHECK_EQ(out.failure, Failure::NONE);
}

TEST("a client answers the unmasked ping \"Hello\" with the masked pong of the RFC") {
	Session session(client_with_rfc_key());
	const Bytes ping = { 0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f };
	CHECK_EQ(session.feed(ping.data(), ping.size()), ping.size());
	CHECK_EQ(session.inbound_records().size(), size_t(1));
	CHECK_EQ(session.inbound_records()[0].kind, Opcode::PING);
	CHECK_EQ(session.inbound_records()[0].length, uint64_t(5));
	const Bytes pong = { 0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58 };
	CHECK(take_all(session) == pong);
}

TEST("a server answers a masked ping with an unmasked pong of the same payload") {
	Session session(make_config(Role::SERVER));
	const Bytes ping = raw_frame(0x89, HELLO, true, 0x37fa213d);
	CHECK_EQ(session.feed(ping.data(), ping.size()), ping.size());
	const Bytes pong = { 0x8a, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f };
	CHECK(take_all(session) == pong);
}

TEST("reads a 256-byte binary message with a 16-bit length") {
	const Bytes payload = pattern(256);
	Bytes wire = { 0x82, 0x7E, 0x01, 0x00 };
	wire.insert(wire.end(), payload.begin(), payload.end());
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT), wire);
	CHECK_EQ(out.records.size(), size_t(1));
	CHECK(out.records[0] == (Rec{ Opcode::BINARY, text(payload.data(), payload.size()) }));
}

TEST("sends a 256-byte binary message with a 16-bit length") {
	const Bytes payload = pattern(256);
	Session session(make_config(Role::SERVER));
	CHECK_EQ(session.queue_message(Opcode::BINARY, payload.data(), payload.size()), gdws::Status::OK);
	Bytes expected = { 0x82, 0x7E, 0x01, 0x00 };
	expected.insert(expected.end(), payload.begin(), payload.end());
	CHECK(take_all(session) == expected);
}

TEST("reads a 64 KiB binary message with a 64-bit length") {
	const Bytes payload = pattern(65536);
	Bytes wire = { 0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00 };
	wire.insert(wire.end(), payload.begin(), payload.end());
	Limits limits;
	limits.max_message_size = 65536;
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT, nullptr, limits), wire);
	CHECK_EQ(out.records.size(), size_t(1));
	CHECK(out.records[0] == (Rec{ Opcode::BINARY, text(payload.data(), payload.size()) }));
	CHECK_EQ(out.failure, Failure::NONE);
}

TEST("a server reads a masked 64 KiB binary message with a 64-bit length") {
	const Bytes payload = pattern(65536);
	const Bytes wire = raw_frame(0x82, payload, true, 0x37fa213d);
	CHECK_EQ(int(wire[1]), 0xFF);
	Limits limits;
	limits.max_message_size = 65536;
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::SERVER, nullptr, limits), wire);
	CHECK_EQ(out.records.size(), size_t(1));
	CHECK(out.records[0] == (Rec{ Opcode::BINARY, text(payload.data(), payload.size()) }));
}

TEST("sends a 64 KiB binary message with a 64-bit length") {
	const Bytes payload = pattern(65536);
	Session session(make_config(Role::SERVER, nullptr, unlimited()));
	CHECK_EQ(session.queue_message(Opcode::BINARY, payload.data(), payload.size()), gdws::Status::OK);
	Bytes expected = { 0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00 };
	expected.insert(expected.end(), payload.begin(), payload.end());
	CHECK(take_all(session) == expected);
}

TEST("the 64 KiB example is one byte over the default limit of 65535") {
	const Bytes payload = pattern(65536);
	Bytes wire = { 0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00 };
	wire.insert(wire.end(), payload.begin(), payload.end());
	const Outcome out = RUN_ALL_CHUNKINGS(make_config(Role::CLIENT), wire);
	CHECK(out.records.empty());
	CHECK_EQ(out.failure, Failure::MESSAGE_TOO_BIG);
}
