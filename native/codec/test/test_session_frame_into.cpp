// queue_message_into(): a frame written into host memory must be the frame queue_message() would
// have appended (same bytes, same masking keys in the same order), refused with the same Status in
// the same order of checks, and counted by the outbound limits exactly like taken output.
#include "test_session_harness.h"

using namespace harness;
using gdws::Status;

namespace {

// Host memory for frames: every allocation is kept, so a test can see what was asked for.
struct FrameHost {
	std::vector<Bytes> frames;
	int calls = 0;
	bool refuse = false;
	static uint8_t *allocate(void *p_user, size_t p_size) {
		FrameHost *self = static_cast<FrameHost *>(p_user);
		self->calls++;
		if (self->refuse) {
			return nullptr;
		}
		self->frames.emplace_back(p_size, uint8_t(0xEE));
		return self->frames.back().data();
	}
};

Status into(Session &p_session, FrameHost &p_host, Opcode p_opcode, const Bytes &p_payload) {
	return p_session.queue_message_into(p_opcode, p_payload.data(), p_payload.size(), &FrameHost::allocate, &p_host);
}

struct Lcg {
	uint64_t state;
	uint32_t next(uint32_t p_bound) {
		state = state * 6364136223846793005ull + 1442695040888963407ull;
		return uint32_t((state >> 33) % p_bound);
	}
};

} // namespace

TEST("the frame written into host memory is the frame queue_message() would queue, for both roles") {
	for (Role role : { Role::SERVER, Role::CLIENT }) {
		for (size_t len : { 0, 1, 125, 126, 127, 65535, 65536, 70000 }) {
			for (Opcode opcode : { Opcode::BINARY, Opcode::TEXT, Opcode::PING }) {
				if (opcode == Opcode::PING && len > gdws::MAX_CONTROL_PAYLOAD) {
					continue;
				}
				CountingMask mask_a;
				CountingMask mask_b;
				Session queued(make_config(role, &mask_a, unlimited()));
				Session framed(make_config(role, &mask_b, unlimited()));
				FrameHost host;
				Bytes payload(len);
				for (size_t i = 0; i < len; i++) {
					payload[i] = uint8_t('a' + i % 26);
				}
				CHECK_EQ(queued.queue_message(opcode, payload.data(), payload.size()), Status::OK);
				CHECK_EQ(into(framed, host, opcode, payload), Status::OK);
				CHECK_EQ(host.calls, 1);
				CHECK_EQ(host.frames.size(), size_t(1));
				if (host.frames.size() == 1) {
					CHECK_EQ(host.frames[0].size(), framed.frame_size(len));
					CHECK(host.frames[0] == take_all(queued));
				}
				CHECK_EQ(mask_a.calls, mask_b.calls);
				CHECK_EQ(framed.output_size(), size_t(0));
				CHECK_EQ(framed.queued_message_count(), uint32_t(1));
				CHECK_EQ(framed.queued_payload_bytes(), uint64_t(len));
			}
		}
	}
}

TEST("refused with queue_message()'s Status, checks in the same order, and the host is not asked") {
	Limits limits;
	limits.max_outbound_messages = 2;
	limits.max_outbound_bytes = 10;
	Session queued(make_config(Role::SERVER, nullptr, limits));
	Session framed(make_config(Role::SERVER, nullptr, limits));
	FrameHost host;
	const auto both = [&](Opcode p_opcode, const Bytes &p_payload) {
		const Status a = queued.queue_message(p_opcode, p_payload.data(), p_payload.size());
		const Status b = into(framed, host, p_opcode, p_payload);
		CHECK_EQ(a, b);
		return b;
	};
	CHECK_EQ(both(Opcode::CLOSE, bytes("x")), Status::INVALID_ARGUMENT);
	CHECK_EQ(both(Opcode(0x3), bytes("x")), Status::INVALID_ARGUMENT);
	CHECK_EQ(both(Opcode::PING, Bytes(gdws::MAX_CONTROL_PAYLOAD + 1, 'p')), Status::INVALID_ARGUMENT);
	CHECK_EQ(both(Opcode::TEXT, Bytes{ 0xC3, 0x28 }), Status::INVALID_UTF8);
	CHECK_EQ(both(Opcode::BINARY, Bytes(11, 'b')), Status::BUFFER_FULL);
	CHECK_EQ(both(Opcode::BINARY, Bytes(4, 'b')), Status::OK);
	CHECK_EQ(both(Opcode::BINARY, Bytes(4, 'b')), Status::OK);
	CHECK_EQ(both(Opcode::TEXT, Bytes{ 0xFF }), Status::INVALID_UTF8); // before the full queue
	CHECK_EQ(both(Opcode::BINARY, Bytes(1, 'b')), Status::QUEUE_FULL);
	CHECK_EQ(host.calls, 2);
	CHECK_EQ(queued.queue_close(1000, nullptr, 0), Status::OK);
	CHECK_EQ(framed.queue_close(1000, nullptr, 0), Status::OK);
	CHECK_EQ(both(Opcode::BINARY, Bytes()), Status::INVALID_STATE);
	CHECK_EQ(host.calls, 2);
	CHECK_EQ(framed.queued_message_count(), queued.queued_message_count());
	CHECK_EQ(framed.queued_payload_bytes(), queued.queued_payload_bytes());
}

TEST("a host without memory gets BUFFER_FULL and nothing is counted or masked") {
	CountingMask mask;
	Session session(make_config(Role::CLIENT, &mask, unlimited()));
	FrameHost host;
	host.refuse = true;
	CHECK_EQ(into(session, host, Opcode::BINARY, bytes("payload")), Status::BUFFER_FULL);
	CHECK_EQ(host.calls, 1);
	CHECK_EQ(mask.calls, 0);
	CHECK_EQ(session.queued_message_count(), uint32_t(0));
	CHECK_EQ(session.queued_payload_bytes(), uint64_t(0));
	CHECK_EQ(session.queue_message_into(Opcode::BINARY, nullptr, 0, nullptr, nullptr), Status::BUFFER_FULL);
	host.refuse = false;
	CHECK_EQ(into(session, host, Opcode::BINARY, bytes("payload")), Status::OK);
	CHECK_EQ(mask.calls, 1);
}

TEST("frames in host memory and in the output buffer make one stream with exact accounting") {
	for (bool client : { false, true }) {
		for (uint64_t seed = 1; seed <= 20; seed++) {
			Lcg rng{ seed };
			CountingMask mask;
			CountingMask reference_mask;
			Session session(make_config(client ? Role::CLIENT : Role::SERVER, &mask, unlimited()));
			// The same messages through queue_message() alone: the stream both must write.
			Session reference(make_config(client ? Role::CLIENT : Role::SERVER, &reference_mask, unlimited()));
			FrameHost host;
			OutboundModel model;
			size_t written_count = 0;
			size_t acked = 0;
			Bytes written; // what the host writes, in order
			int mismatches = 0;
			for (int step = 0; step < 300; step++) {
				const uint32_t action = rng.next(4);
				if (action <= 1) {
					const size_t len = rng.next(4) == 0 ? rng.next(70000) : rng.next(300);
					Bytes payload(len);
					for (size_t i = 0; i < len; i++) {
						payload[i] = uint8_t(i * 7 + step);
					}
					CHECK_EQ(reference.queue_message(Opcode::BINARY, payload.data(), len), Status::OK);
					if (action == 0) {
						CHECK_EQ(session.queue_message(Opcode::BINARY, payload.data(), len), Status::OK);
					} else {
						// The contract: what output_data() holds goes first, then the frame.
						const size_t pending = session.output_size();
						written.insert(written.end(), session.output_data(), session.output_data() + pending);
						session.take_output(pending);
						written_count += pending;
						CHECK_EQ(into(session, host, Opcode::BINARY, payload), Status::OK);
						written.insert(written.end(), host.frames.back().begin(), host.frames.back().end());
						written_count += host.frames.back().size();
					}
					model.queued(session.frame_size(len), len);
				} else if (action == 2) {
					const size_t n = rng.next(uint32_t(session.output_size() + 20));
					const size_t real = std::min(n, session.output_size());
					written.insert(written.end(), session.output_data(), session.output_data() + real);
					session.take_output(n);
					written_count += real;
				} else {
					const size_t n = rng.next(uint32_t(written_count - acked + 20));
					session.acknowledge_output(n);
					acked += std::min(n, written_count - acked);
				}
				if (!model.counts_match(session, acked) || written_count + session.output_size() != model.framed) {
					mismatches++;
				}
			}
			CHECK_EQ(mismatches, 0);
			written.insert(written.end(), session.output_data(), session.output_data() + session.output_size());
			CHECK(written == take_all(reference));
			CHECK_EQ(mask.calls, reference_mask.calls);
		}
	}
}
