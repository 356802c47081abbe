// Shared helpers for the Session tests: building frames byte by byte, running a byte stream through
// a Session in a given chunking (as a host would), and comparing what came out.
#pragma once

#include "check.h"
#include "gdws/codec.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace harness {

using gdws::Config;
using gdws::Failure;
using gdws::Limits;
using gdws::Opcode;
using gdws::Role;
using gdws::Session;
using Bytes = std::vector<uint8_t>;

inline Bytes bytes(const std::string &p_text) {
	return Bytes(p_text.begin(), p_text.end());
}

inline std::string text(const uint8_t *p_data, size_t p_len) {
	return std::string(reinterpret_cast<const char *>(p_data), p_len);
}

inline std::string hex(const Bytes &p_bytes, size_t p_max = 64) {
	static const char *digits = "0123456789abcdef";
	std::string out;
	for (size_t i = 0; i < p_bytes.size() && i < p_max; i++) {
		out += digits[p_bytes[i] >> 4];
		out += digits[p_bytes[i] & 15];
		out += ' ';
	}
	if (p_bytes.size() > p_max) {
		out += "...";
	}
	return out;
}

inline Bytes cat(std::initializer_list<Bytes> p_parts) {
	Bytes out;
	for (const Bytes &part : p_parts) {
		out.insert(out.end(), part.begin(), part.end());
	}
	return out;
}

// Length encodings a frame can be written with; MINIMAL picks the shortest.
enum class LengthForm {
	MINIMAL,
	FORCE_16,
	FORCE_64,
};

// A frame exactly as written here: first byte as given (FIN, RSV, opcode), masked when p_masked.
inline Bytes raw_frame(uint8_t p_first_byte, const Bytes &p_payload, bool p_masked, uint32_t p_key = 0x37fa213d,
		LengthForm p_form = LengthForm::MINIMAL) {
	Bytes out;
	out.push_back(p_first_byte);
	const uint8_t mask_bit = p_masked ? 0x80 : 0;
	const uint64_t len = p_payload.size();
	if (p_form == LengthForm::FORCE_64 || (p_form == LengthForm::MINIMAL && len > 0xFFFF)) {
		out.push_back(mask_bit | 127);
		for (int shift = 56; shift >= 0; shift -= 8) {
			out.push_back(uint8_t(len >> shift));
		}
	} else if (p_form == LengthForm::FORCE_16 || len >= 126) {
		out.push_back(mask_bit | 126);
		out.push_back(uint8_t(len >> 8));
		out.push_back(uint8_t(len));
	} else {
		out.push_back(mask_bit | uint8_t(len));
	}
	uint8_t key[4] = { uint8_t(p_key >> 24), uint8_t(p_key >> 16), uint8_t(p_key >> 8), uint8_t(p_key) };
	if (p_masked) {
		out.insert(out.end(), key, key + 4);
	}
	for (size_t i = 0; i < p_payload.size(); i++) {
		out.push_back(p_masked ? uint8_t(p_payload[i] ^ key[i % 4]) : p_payload[i]);
	}
	return out;
}

// A frame as a peer of the given role would send it to us: masked when sent to a server.
inline Bytes frame_to(Role p_receiver, bool p_fin, Opcode p_opcode, const Bytes &p_payload,
		LengthForm p_form = LengthForm::MINIMAL) {
	const uint8_t b0 = uint8_t((p_fin ? 0x80 : 0) | uint8_t(p_opcode));
	return raw_frame(b0, p_payload, p_receiver == Role::SERVER, 0xa1b2c3d4, p_form);
}

inline Bytes msg_to(Role p_receiver, Opcode p_opcode, const std::string &p_payload) {
	return frame_to(p_receiver, true, p_opcode, bytes(p_payload));
}

inline Bytes close_body(int p_code, const std::string &p_reason = "") {
	Bytes out = { uint8_t(p_code >> 8), uint8_t(p_code) };
	out.insert(out.end(), p_reason.begin(), p_reason.end());
	return out;
}

struct WireFrame {
	uint8_t first_byte;
	Bytes payload; // unmasked
	bool masked;
};

// Splits well-formed frames written by a Session (what the peer would read). Anything malformed
// yields a frame with first_byte 0xFF so the comparison fails.
inline std::vector<WireFrame> decode_frames(const Bytes &p_wire) {
	std::vector<WireFrame> frames;
	size_t pos = 0;
	while (pos < p_wire.size()) {
		if (p_wire.size() - pos < 2) {
			frames.push_back({ 0xFF, {}, false });
			break;
		}
		WireFrame frame;
		frame.first_byte = p_wire[pos];
		frame.masked = p_wire[pos + 1] & 0x80;
		uint64_t len = p_wire[pos + 1] & 0x7F;
		pos += 2;
		const size_t extra = len == 126 ? 2 : (len == 127 ? 8 : 0);
		if (p_wire.size() - pos < extra + (frame.masked ? 4 : 0)) {
			frames.push_back({ 0xFF, {}, false });
			break;
		}
		if (extra) {
			len = 0;
			for (size_t i = 0; i < extra; i++) {
				len = (len << 8) | p_wire[pos++];
			}
		}
		uint8_t key[4] = { 0, 0, 0, 0 };
		if (frame.masked) {
			std::memcpy(key, &p_wire[pos], 4);
			pos += 4;
		}
		if (p_wire.size() - pos < len) {
			frames.push_back({ 0xFF, {}, false });
			break;
		}
		for (uint64_t i = 0; i < len; i++) {
			frame.payload.push_back(p_wire[pos + i] ^ key[i % 4]);
		}
		pos += len;
		frames.push_back(frame);
	}
	return frames;
}

// A deterministic MaskSource that counts its calls.
struct CountingMask {
	uint32_t next = 0x0badf00d;
	int calls = 0;
	static uint32_t source(void *p_user) {
		CountingMask *self = static_cast<CountingMask *>(p_user);
		self->calls++;
		self->next = self->next * 1664525u + 1013904223u;
		return self->next;
	}
};

inline Config make_config(Role p_role, CountingMask *p_mask = nullptr, Limits p_limits = Limits()) {
	Config config;
	config.role = p_role;
	config.limits = p_limits;
	if (p_mask) {
		config.mask_source = &CountingMask::source;
		config.mask_user = p_mask;
	}
	return config;
}

inline Limits unlimited() {
	Limits limits;
	limits.max_message_size = 0;
	limits.max_outbound_messages = UINT32_MAX;
	limits.max_outbound_bytes = 0;
	return limits;
}

// Everything the session has framed, taken out of it.
inline Bytes take_all(Session &p_session) {
	Bytes out(p_session.output_data(), p_session.output_data() + p_session.output_size());
	p_session.take_output(out.size());
	return out;
}

// An independent model of the outbound limits: where each queued frame ends in the output stream
// and its payload length. A frame counts against the limits until its last byte is acknowledged.
struct OutboundModel {
	std::vector<size_t> frame_ends;
	std::vector<size_t> payloads;
	size_t framed = 0; // bytes of every frame queued so far

	void queued(size_t p_frame_size, size_t p_payload) {
		framed += p_frame_size;
		frame_ends.push_back(framed);
		payloads.push_back(p_payload);
	}

	// The session's queued message count and payload bytes agree with the model.
	bool counts_match(const Session &p_session, size_t p_acked) const {
		size_t count = 0;
		uint64_t bytes_left = 0;
		for (size_t i = 0; i < frame_ends.size(); i++) {
			if (frame_ends[i] > p_acked) {
				count++;
				bytes_left += payloads[i];
			}
		}
		return p_session.queued_message_count() == count && p_session.queued_payload_bytes() == bytes_left;
	}
};

struct Rec {
	Opcode kind;
	std::string payload;
	bool operator==(const Rec &p_other) const { return kind == p_other.kind && payload == p_other.payload; }
};

// Everything observable after running a stream through a Session.
struct Outcome {
	std::vector<Rec> records;
	Failure failure = Failure::NONE;
	int close_code = -1;
	std::string close_reason;
	bool close_sent = false;
	bool close_received = false;
	bool wants_input = true;
	Bytes output;
	std::string anomaly; // contract breaches seen while feeding (empty when none)

	// The first difference from p_other, or "" when equal.
	std::string diff(const Outcome &p_other) const {
		if (records.size() != p_other.records.size()) {
			return "record count " + std::to_string(records.size()) + " vs " + std::to_string(p_other.records.size());
		}
		for (size_t i = 0; i < records.size(); i++) {
			if (!(records[i] == p_other.records[i])) {
				return "record " + std::to_string(i) + " differs";
			}
		}
		if (failure != p_other.failure) {
			return std::string("failure ") + gdws::failure_name(failure) + " vs " + gdws::failure_name(p_other.failure);
		}
		if (close_code != p_other.close_code || close_reason != p_other.close_reason) {
			return "close code/reason differ";
		}
		if (close_sent != p_other.close_sent || close_received != p_other.close_received ||
				wants_input != p_other.wants_input) {
			return "close flags differ";
		}
		if (output != p_other.output) {
			return "output differs: " + hex(output) + " vs " + hex(p_other.output);
		}
		if (!anomaly.empty() || !p_other.anomaly.empty()) {
			return "anomaly: " + anomaly + p_other.anomaly;
		}
		return "";
	}
};

// Moves completed records out of the session (as a host does after each feed) and clears them.
inline void collect(Session &p_session, std::vector<Rec> &r_records) {
	for (const gdws::Record &record : p_session.inbound_records()) {
		const Bytes &store = p_session.inbound_bytes();
		if (record.offset + record.length > store.size()) {
			r_records.push_back({ record.kind, "<record out of range>" });
			continue;
		}
		r_records.push_back({ record.kind, text(store.data() + record.offset, size_t(record.length)) });
	}
	p_session.clear_inbound();
}

inline void finish(Session &p_session, Outcome &r_outcome) {
	r_outcome.failure = p_session.failure();
	r_outcome.close_code = p_session.received_close_code();
	r_outcome.close_reason = p_session.received_close_reason();
	r_outcome.close_sent = p_session.close_sent();
	r_outcome.close_received = p_session.close_received();
	r_outcome.wants_input = p_session.wants_input();
	r_outcome.output.assign(p_session.output_data(), p_session.output_data() + p_session.output_size());
	p_session.take_output(p_session.output_size());
}

// Runs compare outputs, so a client gets a mask source starting from the same state every run.
inline Config with_fresh_mask(const Config &p_config, CountingMask &r_mask) {
	Config config = p_config;
	if (config.role == Role::CLIENT) {
		config.mask_source = &CountingMask::source;
		config.mask_user = &r_mask;
	}
	return config;
}

// Feeds p_stream cut at the given positions (ascending) with unlimited room. With unlimited room
// every byte must be consumed unless the session stopped reading.
inline Outcome run_cuts(const Config &p_config, const Bytes &p_stream, const std::vector<size_t> &p_cuts) {
	CountingMask mask;
	Session session(with_fresh_mask(p_config, mask));
	Outcome outcome;
	size_t start = 0;
	for (size_t i = 0; i <= p_cuts.size(); i++) {
		const size_t end = i < p_cuts.size() ? p_cuts[i] : p_stream.size();
		const size_t len = end - start;
		const bool wanted = session.wants_input();
		const size_t used = session.feed(p_stream.data() + start, len);
		if (used > len) {
			outcome.anomaly += "consumed more than given; ";
		}
		if (used < len && session.wants_input()) {
			outcome.anomaly += "left bytes with unlimited room; ";
		}
		if (!wanted && used != 0) {
			outcome.anomaly += "consumed after it stopped reading; ";
		}
		collect(session, outcome.records);
		start = end;
	}
	finish(session, outcome);
	return outcome;
}

inline Outcome run_whole(const Config &p_config, const Bytes &p_stream) {
	return run_cuts(p_config, p_stream, {});
}

// Feeds p_stream the way a host with a bounded packet queue does: each call gets the given room,
// the host drains everything it got, then offers the bytes left over. Stops when no progress is
// possible. Checks the room was respected on every call.
inline Outcome run_with_room(const Config &p_config, const Bytes &p_stream, size_t p_chunk, size_t p_message_room,
		size_t p_byte_room, size_t *r_calls = nullptr) {
	CountingMask mask;
	Session session(with_fresh_mask(p_config, mask));
	Outcome outcome;
	Bytes pending;
	size_t next = 0;
	size_t calls = 0;
	while (true) {
		// The transport delivers at most p_chunk new bytes per read, appended to the leftovers.
		const size_t take = std::min(p_chunk, p_stream.size() - next);
		pending.insert(pending.end(), p_stream.begin() + ptrdiff_t(next), p_stream.begin() + ptrdiff_t(next + take));
		next += take;
		if (pending.empty() && next == p_stream.size()) {
			break;
		}
		const size_t used = session.feed(pending.data(), pending.size(), gdws::Room{ p_message_room, p_byte_room });
		calls++;
		size_t data_messages = 0;
		uint64_t data_bytes = 0;
		for (const gdws::Record &record : session.inbound_records()) {
			if (record.kind == Opcode::TEXT || record.kind == Opcode::BINARY) {
				data_messages++;
				data_bytes += record.length;
			}
		}
		if (data_messages > p_message_room) {
			outcome.anomaly += "message room exceeded; ";
		}
		if (data_bytes > p_byte_room) {
			outcome.anomaly += "byte room exceeded; ";
		}
		collect(session, outcome.records);
		pending.erase(pending.begin(), pending.begin() + ptrdiff_t(used));
		if (!session.wants_input()) {
			break;
		}
		if (used == 0 && take == 0) {
			break; // stalled: room too small for what is pending
		}
		if (calls > 10 * p_stream.size() + 100) {
			outcome.anomaly += "no termination; ";
			break;
		}
	}
	if (r_calls) {
		*r_calls = calls;
	}
	finish(session, outcome);
	return outcome;
}

// Compares the whole-stream outcome with: every split into two pieces, one byte at a time, and
// (for streams up to 48 bytes) every split into three pieces. Returns "" or the first difference.
inline std::string check_every_chunking(const Config &p_config, const Bytes &p_stream) {
	const Outcome reference = run_whole(p_config, p_stream);
	if (!reference.anomaly.empty()) {
		return "whole stream: " + reference.anomaly;
	}
	const size_t n = p_stream.size();
	for (size_t cut = 0; cut <= n; cut++) {
		// Streams over 4 KiB (the 64 KiB frames): every cut in the first and last 64 bytes, where
		// the header and the frame end are, and every 61st cut in between, to bound the run time.
		if (n > 4096 && cut > 64 && cut + 64 < n && cut % 61 != 0) {
			continue;
		}
		const std::string d = run_cuts(p_config, p_stream, { cut }).diff(reference);
		if (!d.empty()) {
			return "split at " + std::to_string(cut) + ": " + d;
		}
	}
	std::vector<size_t> every;
	for (size_t cut = 1; cut < n; cut++) {
		every.push_back(cut);
	}
	const std::string d = run_cuts(p_config, p_stream, every).diff(reference);
	if (!d.empty()) {
		return "one byte at a time: " + d;
	}
	if (n <= 48) {
		for (size_t a = 1; a < n; a++) {
			for (size_t b = a; b < n; b++) {
				const std::string d2 = run_cuts(p_config, p_stream, { a, b }).diff(reference);
				if (!d2.empty()) {
					return "splits at " + std::to_string(a) + "," + std::to_string(b) + ": " + d2;
				}
			}
		}
	}
	return "";
}

// The whole-stream outcome, after checking that every chunking gives the same (a CHECK failure
// names the first chunking that differs).
#define RUN_ALL_CHUNKINGS(p_config, p_stream) harness::run_all_chunkings(p_config, p_stream, __FILE__, __LINE__)

inline Outcome run_all_chunkings(const Config &p_config, const Bytes &p_stream, const char *p_file, int p_line) {
	const std::string diff = check_every_chunking(p_config, p_stream);
	if (!diff.empty()) {
		check::fail(p_file, p_line, "chunking changed the outcome: " + diff);
	}
	return run_whole(p_config, p_stream);
}

// Calls p_compare(cuts) -> "" or a description of a difference, for every split of a stream of
// p_length bytes into two pieces (over 4 KiB: the first and last 64 cuts and every 61st), one byte
// at a time, and (up to 48 bytes) every split into three. Stops at the first difference, which it
// reports as a test failure.
template <typename Compare>
void for_each_chunking(size_t p_length, Compare p_compare) {
	const auto differs = [&](const std::vector<size_t> &p_cuts, const std::string &p_where) {
		const std::string difference = p_compare(p_cuts);
		if (!difference.empty()) {
			check::fail(__FILE__, __LINE__, p_where + ": " + difference);
		}
		return !difference.empty();
	};
	for (size_t cut = 0; cut <= p_length; cut++) {
		if (p_length > 4096 && cut > 64 && cut + 64 < p_length && cut % 61 != 0) {
			continue;
		}
		if (differs({ cut }, "split at " + std::to_string(cut))) {
			return;
		}
	}
	std::vector<size_t> every;
	for (size_t cut = 1; cut < p_length; cut++) {
		every.push_back(cut);
	}
	if (differs(every, "one byte at a time")) {
		return;
	}
	if (p_length > 48) {
		return;
	}
	for (size_t a = 1; a < p_length; a++) {
		for (size_t b = a; b < p_length; b++) {
			if (differs({ a, b }, "splits at " + std::to_string(a) + "," + std::to_string(b))) {
				return;
			}
		}
	}
}

} // namespace harness
