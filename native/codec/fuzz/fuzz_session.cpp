// The framing session in either role, driven by a program read from the input: feeds in random
// chunkings and rooms (some chunks lent for in-place payloads, some messages in buffers of their
// own), and between them the host calls a real host makes (queue a message or a close, some
// messages framed into host memory, take and acknowledge output, take records, change limits,
// report a transport backlog). Three sessions check each other:
//  - `session`, the one under test;
//  - `mirror`, same role and message limit, fed exactly the bytes `session` consumed in one piece
//    with unlimited room: chunking, rooms and placement must not change records or failures;
//  - `peer`, the other role without limits, reading everything `session` sends: every frame must
//    be valid and carry exactly what was queued (automatic pongs and closes included).
// An exact model of the outbound frames checks the accounting (queued count and bytes, output
// size), and state that may only move forward (failure, close flags, the peer's close code) is
// checked after every call.
#include "fuzz_check.h"

#include <gdws/codec.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;
using gdws::Opcode;

// RFC 3629 UTF-8, written independently of the codec's validator.
bool valid_utf8(const uint8_t *p_data, size_t p_len) {
	size_t i = 0;
	while (i < p_len) {
		const uint8_t b = p_data[i];
		size_t extra;
		uint32_t cp;
		if (b < 0x80) {
			i++;
			continue;
		} else if (b >= 0xC2 && b <= 0xDF) {
			extra = 1;
			cp = b & 0x1F;
		} else if (b >= 0xE0 && b <= 0xEF) {
			extra = 2;
			cp = b & 0x0F;
		} else if (b >= 0xF0 && b <= 0xF4) {
			extra = 3;
			cp = b & 0x07;
		} else {
			return false;
		}
		if (p_len - i <= extra) {
			return false;
		}
		for (size_t k = 1; k <= extra; k++) {
			if ((p_data[i + k] & 0xC0) != 0x80) {
				return false;
			}
			cp = (cp << 6) | (p_data[i + k] & 0x3F);
		}
		const uint32_t min = extra == 1 ? 0x80 : (extra == 2 ? 0x800 : 0x10000);
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
			return false;
		}
		i += extra + 1;
	}
	return true;
}

// 65537+ bytes of "ab\u00e9\u20ac" repeated, for large messages (a cut may split a character:
// text refused, binary fine). Made once: a byte loop in every run would dominate the run time.
const std::vector<uint8_t> &large_pattern() {
	static const std::vector<uint8_t> pattern = [] {
		static const char UNIT[] = "ab\xc3\xa9\xe2\x82\xac";
		std::vector<uint8_t> bytes;
		while (bytes.size() < 65537) {
			bytes.insert(bytes.end(), UNIT, UNIT + 7);
		}
		return bytes;
	}();
	return pattern;
}

bool is_data(Opcode p_kind) {
	return p_kind == Opcode::TEXT || p_kind == Opcode::BINARY;
}

// Do the bytes at p_at equal p_bytes? (memcmp may not be given a null pointer, even for 0 bytes.)
bool holds(const uint8_t *p_at, const Bytes &p_bytes) {
	return p_bytes.empty() || std::memcmp(p_at, p_bytes.data(), p_bytes.size()) == 0;
}

struct Message {
	Opcode kind;
	Bytes data;
	bool operator==(const Message &p_other) const { return kind == p_other.kind && data == p_other.data; }
};

uint32_t next_key(void *p_user) {
	uint32_t *state = static_cast<uint32_t *>(p_user);
	*state = *state * 1664525u + 1013904223u;
	return (*state & 0x700) == 0 ? 0 : *state; // now and then the all-zero key
}

uint32_t zero_key(void *) {
	return 0;
}

gdws::Limits limits_from(uint8_t p_choice) {
	static const uint64_t MESSAGE[] = { 0, 1, 125, 126, 65535, 65536, 300, gdws::DEFAULT_BUFFER_SIZE };
	static const uint32_t COUNT[] = { 1, 3, gdws::DEFAULT_MAX_QUEUED_PACKETS, UINT32_MAX };
	static const uint64_t BYTES[] = { 0, 10, 200, gdws::DEFAULT_BUFFER_SIZE };
	gdws::Limits limits;
	limits.max_message_size = MESSAGE[p_choice & 7];
	limits.max_outbound_messages = COUNT[(p_choice >> 3) & 3];
	limits.max_outbound_bytes = BYTES[(p_choice >> 5) & 3];
	return limits;
}

gdws::Room room_from(uint8_t p_choice) {
	static const size_t MESSAGES[] = { SIZE_MAX, 0, 1, 3 };
	static const uint64_t BYTES[] = { UINT64_MAX, UINT64_MAX, 0, 1, 10, 200, 70000, UINT64_MAX };
	gdws::Room room;
	room.messages = MESSAGES[p_choice & 3];
	room.bytes = BYTES[(p_choice >> 2) & 7];
	return room;
}

// One frame `session` queued, as the model expects it on the wire.
struct OutFrame {
	uint64_t end; // stream position past its last byte
	uint64_t payload;
};

class Harness {
public:
	Harness(uint8_t p_config, uint8_t p_limits) :
			_role((p_config & 1) ? gdws::Role::CLIENT : gdws::Role::SERVER),
			_key_state(p_limits),
			_session(config(_role, limits_from(p_limits), p_config, &_key_state)),
			_mirror(config(_role, mirror_limits(limits_from(p_limits).max_message_size), 0, nullptr)),
			_peer(config(_role == gdws::Role::CLIENT ? gdws::Role::SERVER : gdws::Role::CLIENT, peer_limits(), 0, nullptr)) {
		_largest_message_limit = limits_from(p_limits).max_message_size;
	}

	void run(fuzz::Reader &r_input) {
		while (!r_input.done()) {
			const uint8_t op = r_input.byte();
			switch (op % 12) {
				case 0:
				case 1:
					feed_one(r_input);
					break;
				case 2:
					feed_chunks(r_input);
					break;
				case 3:
					queue_message(r_input);
					break;
				case 4:
					queue_close(r_input);
					break;
				case 5:
					take_output(r_input.u16());
					break;
				case 6:
					take_output_buffer();
					break;
				case 7:
					acknowledge(r_input.u16());
					break;
				case 8:
					take_records(r_input.byte() & 1);
					break;
				case 9:
					set_limits(r_input.byte());
					break;
				case 10:
					_backlog = r_input.u16();
					_session.set_transport_backlog(_backlog);
					break;
				case 11:
					_session.reserve_inbound(r_input.u16());
					break;
			}
			check_state();
		}
		finish();
	}

private:
	// p_key_state: varied masking keys from it, else the all-zero key.
	static gdws::Config config(gdws::Role p_role, const gdws::Limits &p_limits, uint8_t p_config, uint32_t *p_key_state) {
		static const uint64_t IN_PLACE[] = { UINT64_MAX, 0, 1, 16 };
		static const uint64_t OWN[] = { UINT64_MAX, 0, 1, 16 };
		gdws::Config config;
		config.role = p_role;
		config.limits = p_limits;
		config.mask_source = p_key_state ? &next_key : &zero_key;
		config.mask_user = p_key_state;
		config.in_place_min_length = IN_PLACE[(p_config >> 1) & 3];
		config.own_buffer_min_length = OWN[(p_config >> 3) & 3];
		return config;
	}
	static gdws::Limits mirror_limits(uint64_t p_max_message) {
		gdws::Limits limits;
		limits.max_message_size = p_max_message;
		limits.max_outbound_messages = UINT32_MAX;
		limits.max_outbound_bytes = 0;
		return limits;
	}
	static gdws::Limits peer_limits() {
		return mirror_limits(0);
	}

	///
	/// Inbound
	///

	// Takes bytes from the input after what an earlier feed left unconsumed (back-pressure).
	Bytes next_input(fuzz::Reader &r_input, size_t p_len) {
		Bytes data = _pending;
		const auto fresh = r_input.bytes(p_len);
		data.insert(data.end(), fresh.begin(), fresh.end());
		return data;
	}

	void feed_one(fuzz::Reader &r_input) {
		const size_t len = r_input.byte();
		const gdws::Room room = room_from(r_input.byte());
		const Bytes data = next_input(r_input, len);
		const Before before = snapshot();
		const size_t consumed = _session.feed(data.data(), data.size(), room);
		after_feed(before, data, consumed, room, nullptr, 0);
	}

	void feed_chunks(fuzz::Reader &r_input) {
		const size_t count = 1 + r_input.byte() % 4;
		size_t sizes[4];
		size_t total = 0;
		for (size_t i = 0; i < count; i++) {
			sizes[i] = r_input.byte();
			total += sizes[i];
		}
		const gdws::Room room = room_from(r_input.byte());
		Bytes data = next_input(r_input, total);
		// The pending bytes go in the first chunk; sizes past the end of the data shrink.
		sizes[0] += _pending.size();
		const Bytes original = data;
		gdws::Chunk chunks[4];
		size_t at = 0;
		for (size_t i = 0; i < count; i++) {
			const size_t n = sizes[i] < data.size() - at ? sizes[i] : data.size() - at;
			chunks[i] = { data.data() + at, n };
			at += n;
		}
		const Before before = snapshot();
		const size_t consumed = _session.feed(chunks, count, room);
		after_feed(before, original, consumed, room, chunks, count);
	}

	struct Before {
		size_t records;
		bool close_sent;
		bool wants_input;
	};
	Before snapshot() const {
		return { _session.inbound_records().size(), _session.close_sent(), _session.wants_input() };
	}

	void after_feed(const Before &p_before, const Bytes &p_data, size_t p_consumed, const gdws::Room &p_room,
			const gdws::Chunk *p_chunks, size_t p_count) {
		FUZZ_CHECK(p_consumed <= p_data.size());
		if (!p_before.wants_input) {
			FUZZ_CHECK(p_consumed == 0);
		}
		const bool unlimited = p_room.messages == SIZE_MAX && p_room.bytes == UINT64_MAX;
		if (unlimited && _session.wants_input()) {
			FUZZ_CHECK(p_consumed == p_data.size()); // only back-pressure may leave bytes
		}
		_pending.assign(p_data.begin() + ptrdiff_t(p_consumed), p_data.end());
		if (!_session.wants_input()) {
			_pending.clear(); // the connection failed or closed: the rest is ignored
		}

		// New records: in bounds, within the limits and the room, and copied out now (in-place
		// ones live in this call's chunks only).
		const std::vector<gdws::Record> &records = _session.inbound_records();
		FUZZ_CHECK(records.size() >= p_before.records);
		size_t data_messages = 0;
		uint64_t data_bytes = 0;
		for (size_t i = p_before.records; i < records.size(); i++) {
			const gdws::Record &record = records[i];
			const uint8_t *payload;
			if (record.placement == gdws::Placement::INPUT) {
				FUZZ_CHECK(p_chunks != nullptr && record.chunk < p_count);
				FUZZ_CHECK(is_data(record.kind));
				const gdws::Chunk &chunk = p_chunks[record.chunk];
				FUZZ_CHECK(record.offset <= chunk.length && record.length <= chunk.length - record.offset);
				payload = chunk.data + record.offset;
			} else if (record.placement == gdws::Placement::OWN) {
				FUZZ_CHECK(is_data(record.kind) && record.offset == 0);
				const Bytes &own = _session.own_buffer(record);
				FUZZ_CHECK(record.length == own.size());
				payload = own.data();
			} else {
				FUZZ_CHECK(record.placement == gdws::Placement::SESSION);
				const Bytes &inbound = _session.inbound_bytes();
				FUZZ_CHECK(record.offset <= inbound.size() && record.length <= inbound.size() - record.offset);
				payload = inbound.data() + record.offset;
			}
			FUZZ_CHECK(is_data(record.kind) || record.kind == Opcode::PING || record.kind == Opcode::PONG);
			if (is_data(record.kind)) {
				data_messages++;
				data_bytes += record.length;
				FUZZ_CHECK(_largest_message_limit == 0 || record.length <= _largest_message_limit);
			} else {
				FUZZ_CHECK(record.length <= gdws::MAX_CONTROL_PAYLOAD);
			}
			if (record.kind == Opcode::TEXT) {
				FUZZ_CHECK(valid_utf8(payload, size_t(record.length)));
			}
			Message message{ record.kind, Bytes(payload, payload + record.length) };
			if (record.kind == Opcode::PING && !p_before.close_sent) {
				expect_frame(Opcode::PONG, message.data); // answered at once, before any close
			}
			_untaken.push_back({ record, message.data });
			_received.push_back(std::move(message));
		}
		FUZZ_CHECK(data_messages <= p_room.messages);
		FUZZ_CHECK(data_bytes <= p_room.bytes);

		// A close this call queued: the echo of the peer's close, or the failure's code alone.
		if (!p_before.close_sent && _session.close_sent()) {
			Bytes body;
			if (_session.is_failed()) {
				const int code = gdws::failure_close_code(_session.failure());
				body = { uint8_t(code >> 8), uint8_t(code) };
				_expected_close_code = code;
				_expected_close_reason.clear();
			} else {
				FUZZ_CHECK(_session.close_received());
				const int code = _session.received_close_code();
				const std::string &reason = _session.received_close_reason();
				if (code != gdws::close_code::NO_STATUS) {
					body = { uint8_t(code >> 8), uint8_t(code) };
					body.insert(body.end(), reason.begin(), reason.end());
				} else {
					FUZZ_CHECK(reason.empty());
				}
				_expected_close_code = code;
				_expected_close_reason = reason;
			}
			expect_close(body);
		}

		// The mirror reads the same bytes in one piece: same records, same end. Once `session`
		// stopped reading it gets the rest of the call too: a failure may come from header bytes
		// buffered earlier and a limit lowered since, with none of this call's bytes consumed.
		const size_t mirror_len = _session.wants_input() ? p_consumed : p_data.size();
		const size_t mirror_used = _mirror.feed(p_data.data(), mirror_len);
		FUZZ_CHECK(mirror_used == p_consumed || !_mirror.wants_input());
		const Bytes &mirror_bytes = _mirror.inbound_bytes();
		for (const gdws::Record &record : _mirror.inbound_records()) {
			_mirror_received.push_back({ record.kind, Bytes(mirror_bytes.begin() + ptrdiff_t(record.offset),
															  mirror_bytes.begin() + ptrdiff_t(record.offset + record.length)) });
		}
		_mirror.clear_inbound();
		FUZZ_CHECK(_mirror_received == _received);
		FUZZ_CHECK(_mirror.failure() == _session.failure());
		FUZZ_CHECK(_mirror.close_received() == _session.close_received());
		FUZZ_CHECK(_mirror.received_close_code() == _session.received_close_code());
		FUZZ_CHECK(_mirror.received_close_reason() == _session.received_close_reason());
	}

	// clear_inbound() or release_inbound(): the session-held records must still hold the bytes
	// they had when they completed.
	void take_records(bool p_release) {
		const std::vector<gdws::Record> &records = _session.inbound_records();
		FUZZ_CHECK(records.size() == _untaken.size());
		// Buffers of their own hold their message until cleared, and can be taken whole.
		for (const Untaken &entry : _untaken) {
			if (entry.record.placement == gdws::Placement::OWN) {
				FUZZ_CHECK(_session.own_buffer(entry.record) == entry.data);
				if (p_release) {
					FUZZ_CHECK(_session.take_own_buffer(entry.record) == entry.data);
				}
			}
		}
		if (p_release) {
			// Checked before the call too: release_inbound() must keep the same offsets.
			const Bytes released = _session.release_inbound();
			for (const Untaken &entry : _untaken) {
				if (entry.record.placement == gdws::Placement::SESSION) {
					FUZZ_CHECK(entry.record.offset + entry.record.length <= released.size());
					FUZZ_CHECK(holds(released.data() + entry.record.offset, entry.data));
				}
			}
		} else {
			const Bytes &inbound = _session.inbound_bytes();
			for (const Untaken &entry : _untaken) {
				if (entry.record.placement == gdws::Placement::SESSION) {
					FUZZ_CHECK(holds(inbound.data() + entry.record.offset, entry.data));
				}
			}
			_session.clear_inbound();
		}
		FUZZ_CHECK(_session.inbound_records().empty());
		_untaken.clear();
	}

	void set_limits(uint8_t p_choice) {
		const gdws::Limits limits = limits_from(p_choice);
		_session.set_limits(limits);
		_mirror.set_limits(mirror_limits(limits.max_message_size));
		if (_largest_message_limit != 0) {
			_largest_message_limit = limits.max_message_size == 0 ? 0 : std::max(_largest_message_limit, limits.max_message_size);
		}
	}

	///
	/// Outbound
	///

	void queue_message(fuzz::Reader &r_input) {
		static const Opcode KINDS[] = { Opcode::TEXT, Opcode::BINARY, Opcode::PING, Opcode::PONG, Opcode::TEXT,
			Opcode::BINARY, Opcode::CLOSE, Opcode::CONTINUATION };
		const uint8_t choice = r_input.byte();
		const Opcode kind = KINDS[choice & 7];
		const bool into_host = choice & 8; // framed into host memory (queue_message_into)
		const uint8_t size = r_input.byte();
		Bytes data;
		if (size == 255) {
			// Large: the edges of the 16- and 64-bit length encodings.
			static const size_t LENGTHS[] = { 126, 127, 300, 1000, 65535, 65536, 65537, 125 };
			const Bytes &pattern = large_pattern();
			data.assign(pattern.begin(), pattern.begin() + ptrdiff_t(LENGTHS[r_input.byte() & 7]));
		} else {
			const auto fresh = r_input.bytes(size);
			data.assign(fresh.begin(), fresh.end());
		}
		if (into_host) {
			take_output(SIZE_MAX); // the host writes what the output holds before the frame
		}
		const uint64_t output_before = _session.output_size();
		const uint32_t count_before = _session.queued_message_count();
		const uint64_t queued_before = _session.queued_payload_bytes();
		Bytes frame;
		const gdws::FrameAllocator allocate = (choice & 16) ? nullptr : &allocate_frame;
		const gdws::Status status = into_host ? _session.queue_message_into(kind, data.data(), data.size(), allocate, &frame)
											  : _session.queue_message(kind, data.data(), data.size());
		if (into_host && !allocate) {
			FUZZ_CHECK(status != gdws::Status::OK);
		}
		if (status != gdws::Status::OK) {
			FUZZ_CHECK(_session.output_size() == output_before); // nothing queued
			FUZZ_CHECK(_session.queued_message_count() == count_before);
			return;
		}
		const gdws::Limits &limits = _session.limits();
		FUZZ_CHECK(!_session.close_sent() && !_session.is_failed());
		FUZZ_CHECK(kind == Opcode::TEXT || kind == Opcode::BINARY || kind == Opcode::PING || kind == Opcode::PONG);
		FUZZ_CHECK(is_data(kind) || data.size() <= gdws::MAX_CONTROL_PAYLOAD);
		FUZZ_CHECK(kind != Opcode::TEXT || valid_utf8(data.data(), data.size()));
		FUZZ_CHECK(count_before < limits.max_outbound_messages);
		FUZZ_CHECK(limits.max_outbound_bytes == 0 || queued_before + data.size() <= limits.max_outbound_bytes);
		expect_frame(kind, data);
		if (into_host) {
			FUZZ_CHECK(_session.output_size() == 0);
			FUZZ_CHECK(frame.size() == _session.frame_size(data.size()));
			_wire.insert(_wire.end(), frame.begin(), frame.end());
			_taken += frame.size();
			deliver();
		}
	}

	static uint8_t *allocate_frame(void *p_frame, size_t p_size) {
		Bytes *frame = static_cast<Bytes *>(p_frame);
		frame->assign(p_size, 0xEE);
		return frame->data();
	}

	void queue_close(fuzz::Reader &r_input) {
		static const int CODES[] = { 1000, 1001, 3000, 4999, 1005, 1006, 1015, 0, -1, 999, 5000, 70000, 1004, 1016, 2999, 1011 };
		const uint8_t choice = r_input.byte();
		const int code = (choice & 0x80) ? int(r_input.u16()) : CODES[choice & 15];
		const uint8_t size = r_input.byte();
		Bytes reason;
		if (size >= 200) {
			// A long reason of 1-4 byte characters, to be cut at a character boundary.
			static const char *const UNITS[] = { "a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80" };
			const char *unit = UNITS[size & 3];
			while (reason.size() < size_t(size) - 60) {
				reason.insert(reason.end(), unit, unit + std::strlen(unit));
			}
		} else {
			const auto fresh = r_input.bytes(size);
			reason.assign(fresh.begin(), fresh.end());
		}
		const bool was_closing = _session.close_sent() || _session.is_failed();
		const uint64_t output_before = _session.output_size();
		const gdws::Status status = _session.queue_close(code, reason.data(), reason.size());
		if (status != gdws::Status::OK) {
			FUZZ_CHECK(_session.output_size() == output_before);
			FUZZ_CHECK(was_closing || (status == gdws::Status::INVALID_UTF8 && gdws::is_valid_wire_close_code(code)));
			FUZZ_CHECK(was_closing || !valid_utf8(reason.data(), reason.size()));
			return;
		}
		FUZZ_CHECK(!was_closing);
		FUZZ_CHECK(_session.close_sent());
		Bytes body;
		if (gdws::is_valid_wire_close_code(code)) {
			FUZZ_CHECK(valid_utf8(reason.data(), reason.size()));
			// The longest prefix of at most MAX_CLOSE_REASON bytes that ends on a character boundary.
			size_t cut = reason.size() < gdws::MAX_CLOSE_REASON ? reason.size() : gdws::MAX_CLOSE_REASON;
			while (!valid_utf8(reason.data(), cut)) {
				cut--;
			}
			body = { uint8_t(code >> 8), uint8_t(code) };
			body.insert(body.end(), reason.begin(), reason.begin() + ptrdiff_t(cut));
			_expected_close_code = code;
			_expected_close_reason.assign(reason.begin(), reason.begin() + ptrdiff_t(cut));
		} else {
			_expected_close_code = gdws::close_code::NO_STATUS;
			_expected_close_reason.clear();
		}
		expect_close(body);
	}

	void take_output(size_t p_bytes) {
		const size_t n = p_bytes < _session.output_size() ? p_bytes : _session.output_size();
		_wire.insert(_wire.end(), _session.output_data(), _session.output_data() + n);
		_session.take_output(p_bytes);
		_taken += n;
		deliver();
	}

	void take_output_buffer() {
		const size_t n = _session.output_size();
		const Bytes buffer = _session.take_output_buffer();
		FUZZ_CHECK(buffer.size() == n);
		_wire.insert(_wire.end(), buffer.begin(), buffer.end());
		_taken += n;
		deliver();
	}

	void acknowledge(size_t p_bytes) {
		const uint64_t outstanding = _taken - _acked;
		_acked += p_bytes < outstanding ? p_bytes : outstanding;
		_session.acknowledge_output(p_bytes);
	}

	// The peer reads all output taken so far; it must accept every byte.
	void deliver() {
		if (_delivered == _wire.size()) {
			return;
		}
		const size_t used = _peer.feed(_wire.data() + _delivered, _wire.size() - _delivered);
		FUZZ_CHECK(!_peer.is_failed());
		FUZZ_CHECK(used == _wire.size() - _delivered); // nothing follows a close frame
		_delivered = _wire.size();
		const Bytes &bytes = _peer.inbound_bytes();
		for (const gdws::Record &record : _peer.inbound_records()) {
			_peer_received.push_back({ record.kind, Bytes(bytes.begin() + ptrdiff_t(record.offset),
															bytes.begin() + ptrdiff_t(record.offset + record.length)) });
		}
		_peer.clear_inbound();
		FUZZ_CHECK(_peer_received.size() <= _sent.size());
		for (size_t i = 0; i < _peer_received.size(); i++) {
			FUZZ_CHECK(_peer_received[i] == _sent[i]);
		}
	}

	void expect_frame(Opcode p_kind, const Bytes &p_payload) {
		FUZZ_CHECK(!_close_expected);
		_sent.push_back({ p_kind, p_payload });
		add_frame(p_payload.size());
	}

	void expect_close(const Bytes &p_body) {
		FUZZ_CHECK(!_close_expected);
		_close_expected = true;
		add_frame(p_body.size());
	}

	void add_frame(uint64_t p_payload) {
		const uint64_t header = 2 + (p_payload >= 126 ? (p_payload > 0xFFFF ? 8 : 2) : 0) + (_role == gdws::Role::CLIENT ? 4 : 0);
		_framed += header + p_payload;
		_frames.push_back({ _framed, p_payload });
	}

	///
	/// State
	///

	void check_state() {
		// Accounting, against the model of every frame queued so far.
		uint32_t unacked = 0;
		uint64_t unacked_payload = 0;
		for (const OutFrame &frame : _frames) {
			if (frame.end > _acked) {
				unacked++;
				unacked_payload += frame.payload;
			}
		}
		FUZZ_CHECK(_session.output_size() == _framed - _taken);
		FUZZ_CHECK(_session.queued_message_count() == unacked);
		FUZZ_CHECK(_session.queued_payload_bytes() == unacked_payload + _backlog);
		FUZZ_CHECK(_session.close_sent() == _close_expected);

		// What may only move forward.
		if (_failure != gdws::Failure::NONE) {
			FUZZ_CHECK(_session.failure() == _failure);
		}
		_failure = _session.failure();
		if (_session.is_failed()) {
			FUZZ_CHECK(_session.close_sent() && !_session.wants_input());
			FUZZ_CHECK(gdws::failure_name(_failure) != nullptr);
		}
		FUZZ_CHECK(!_close_received || _session.close_received());
		if (_close_received) {
			FUZZ_CHECK(_session.received_close_code() == _received_close_code);
		}
		_close_received = _session.close_received();
		_received_close_code = _session.received_close_code();
		FUZZ_CHECK(_close_received == (_received_close_code != -1));
		if (_close_received) {
			FUZZ_CHECK(!_session.wants_input());
		}
		FUZZ_CHECK(_session.is_closed() == (_session.close_sent() && _session.close_received()));
	}

	// Everything queued reaches the peer, exactly once and in order, then the close if any.
	void finish() {
		take_output(SIZE_MAX);
		FUZZ_CHECK(_wire.size() == _framed);
		FUZZ_CHECK(_peer_received == _sent);
		FUZZ_CHECK(_peer.close_received() == _close_expected);
		if (_close_expected) {
			FUZZ_CHECK(_peer.received_close_code() == _expected_close_code);
			FUZZ_CHECK(_peer.received_close_reason() == _expected_close_reason);
		}
		acknowledge(SIZE_MAX);
		FUZZ_CHECK(_session.queued_message_count() == 0);
		FUZZ_CHECK(_session.queued_payload_bytes() == _backlog);
	}

	struct Untaken {
		gdws::Record record;
		Bytes data;
	};

	gdws::Role _role;
	uint32_t _key_state; // before _session, which keeps a pointer to it
	gdws::Session _session;
	gdws::Session _mirror;
	gdws::Session _peer;
	uint64_t _largest_message_limit = 0; // largest max_message_size so far, 0 once unlimited

	Bytes _pending; // input left unconsumed by back-pressure
	std::vector<Message> _received; // every record `session` produced, in order
	std::vector<Message> _mirror_received;
	std::vector<Untaken> _untaken; // records not yet cleared or released

	std::vector<Message> _sent; // frames other than the close, in queue order
	bool _close_expected = false;
	int _expected_close_code = -1;
	std::string _expected_close_reason;
	std::vector<OutFrame> _frames;
	uint64_t _framed = 0;
	uint64_t _taken = 0;
	uint64_t _acked = 0;
	uint64_t _backlog = 0;
	Bytes _wire; // output taken so far
	size_t _delivered = 0;
	std::vector<Message> _peer_received;

	gdws::Failure _failure = gdws::Failure::NONE;
	bool _close_received = false;
	int _received_close_code = -1;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *p_data, size_t p_size) {
	fuzz::Reader input(p_data, p_size);
	const uint8_t config = input.byte();
	const uint8_t limits = input.byte();
	Harness harness(config, limits);
	harness.run(input);
	return 0;
}
