// The RFC 6455 framing session: parses inbound frames in any chunking into records, answers pings
// and closes, and frames outbound messages with exact accounting of what is still unwritten.
#include "gdws/codec.h"

#include "mask.h"
#include "utf8.h"

#include <cstring>

namespace gdws {

namespace {

constexpr uint8_t FIN_BIT = 0x80;
constexpr uint8_t RSV_BITS = 0x70;
constexpr uint8_t OPCODE_BITS = 0x0F;
constexpr uint8_t MASK_BIT = 0x80;
constexpr uint8_t LENGTH_BITS = 0x7F;
constexpr uint8_t LENGTH_16 = 126;
constexpr uint8_t LENGTH_64 = 127;
// Output already handed to the host is dropped from the front of the buffer once it is at least
// this large and at least half the buffer, so compaction stays amortized O(1) per byte.
constexpr size_t OUTPUT_COMPACT_MIN = 4096;
// An output buffer emptied by the host keeps its capacity for the next frames, unless it is larger
// than this and four times what it last held: a session does not hold on to a burst's memory.
constexpr size_t OUTPUT_KEEP_MAX = 256 * 1024;

bool is_control(uint8_t p_opcode) {
	return p_opcode & 0x8;
}

bool is_known_opcode(uint8_t p_opcode) {
	switch (p_opcode) {
		case uint8_t(Opcode::CONTINUATION):
		case uint8_t(Opcode::TEXT):
		case uint8_t(Opcode::BINARY):
		case uint8_t(Opcode::CLOSE):
		case uint8_t(Opcode::PING):
		case uint8_t(Opcode::PONG):
			return true;
		default:
			return false;
	}
}

} // namespace

struct Session::FeedBudget {
	Room room;
	size_t messages = 0; // data messages completed in this call
	uint64_t bytes = 0; // their payload bytes
	// The chunk being parsed when the host lets payloads stay in it, else nullptr.
	uint8_t *chunk = nullptr;
	uint32_t chunk_index = 0;
	// Input bytes of this call in the chunks after the one being parsed.
	uint64_t after_chunk = 0;

	explicit FeedBudget(const Room &p_room) :
			room(p_room) {}
	bool can_complete_message() const { return messages < room.messages; }
	// Payload bytes the room still allows beyond p_used (this call's messages and the open one).
	uint64_t bytes_left(uint64_t p_used) const { return room.bytes > p_used ? room.bytes - p_used : 0; }
};

Session::Session(const Config &p_config) :
		_config(p_config) {
}

///
/// Inbound
///

bool Session::wants_input() const {
	return _failure == Failure::NONE && !_close_received;
}

// Back-pressure stops at two points only: before a frame that would complete one data message too
// many (its header bytes in p_data are left unconsumed, or its payload if the header came in an
// earlier call), and before a data payload byte beyond the byte room. Either way at least one byte
// is returned to the host, so a stopped message always resumes on the next feed() with the rest.
// Control frames are not limited by the rooms: pings are answered and pongs reported meanwhile.
size_t Session::feed(const Chunk *p_chunks, size_t p_count, const Room &p_room) {
	FeedBudget budget(p_room);
	for (size_t i = 0; i < p_count; i++) {
		budget.after_chunk += p_chunks[i].length;
	}
	size_t consumed = 0;
	for (size_t i = 0; i < p_count; i++) {
		budget.chunk = p_chunks[i].data;
		budget.chunk_index = uint32_t(i);
		budget.after_chunk -= p_chunks[i].length;
		const size_t used = _feed(p_chunks[i].data, p_chunks[i].length, budget);
		consumed += used;
		if (used < p_chunks[i].length) {
			break;
		}
	}
	return consumed;
}

size_t Session::feed(const uint8_t *p_data, size_t p_len, const Room &p_room) {
	FeedBudget budget(p_room);
	return _feed(p_data, p_len, budget);
}

size_t Session::_feed(const uint8_t *p_data, size_t p_len, FeedBudget &r_budget) {
	if (!wants_input() || !p_data) {
		return 0;
	}
	size_t pos = 0;
	while (pos < p_len && wants_input()) {
		const size_t used = _in_payload ? _read_payload(p_data + pos, p_len - pos, r_budget)
										: _read_header(p_data + pos, p_len - pos, r_budget);
		pos += used;
		if (used == 0) {
			break; // back-pressure (a failure ends the loop through wants_input)
		}
	}
	_settle_stash();
	return pos;
}

void Session::reserve_inbound(size_t p_bytes) {
	if (p_bytes > _inbound.capacity() - _inbound.size()) {
		_inbound.reserve(_inbound.size() + p_bytes);
	}
}

Failure Session::_check_first_byte(uint8_t p_byte) const {
	const uint8_t opcode = p_byte & OPCODE_BITS;
	if (p_byte & RSV_BITS) {
		return Failure::RESERVED_BITS;
	}
	if (!is_known_opcode(opcode)) {
		return Failure::UNKNOWN_OPCODE;
	}
	if (is_control(opcode)) {
		return (p_byte & FIN_BIT) ? Failure::NONE : Failure::FRAGMENTED_CONTROL;
	}
	if (opcode == uint8_t(Opcode::CONTINUATION) && !_message_open) {
		return Failure::UNEXPECTED_CONTINUATION;
	}
	if (opcode != uint8_t(Opcode::CONTINUATION) && _message_open) {
		return Failure::EXPECTED_CONTINUATION;
	}
	return Failure::NONE;
}

// Parses a frame header from the bytes buffered by earlier calls followed by p_data. Each rule is
// checked as soon as the byte it needs is visible. Returns the bytes of p_data consumed: all of
// them while the header is incomplete, none when the frame would complete a data message and the
// message room is used up (so the host always has a byte left to feed again later).
size_t Session::_read_header(const uint8_t *p_data, size_t p_len, FeedBudget &r_budget) {
	const size_t have = _header_len;
	const size_t avail = have + p_len;
	auto at = [&](size_t p_index) -> uint8_t {
		return p_index < have ? _header[p_index] : p_data[p_index - have];
	};
	// On a violation, what was examined up to the offending byte counts as consumed.
	auto fail_at = [&](size_t p_examined, Failure p_failure) -> size_t {
		_fail(p_failure);
		return p_examined > have ? p_examined - have : 0;
	};
	auto buffer_rest = [&]() -> size_t {
		std::memcpy(_header + have, p_data, p_len);
		_header_len = uint8_t(avail);
		return p_len;
	};

	const uint8_t b0 = at(0);
	const Failure first = _check_first_byte(b0);
	if (first != Failure::NONE) {
		return fail_at(1, first);
	}
	const uint8_t opcode = b0 & OPCODE_BITS;
	const bool fin = b0 & FIN_BIT;
	const bool control = is_control(opcode);
	if (!control && fin && !r_budget.can_complete_message()) {
		return 0;
	}
	if (avail < 2) {
		return buffer_rest();
	}

	const uint8_t b1 = at(1);
	const bool masked = b1 & MASK_BIT;
	if (_config.role == Role::SERVER && !masked) {
		return fail_at(2, Failure::UNMASKED_FRAME);
	}
	if (_config.role == Role::CLIENT && masked) {
		return fail_at(2, Failure::MASKED_FRAME);
	}
	const uint8_t length7 = b1 & LENGTH_BITS;
	if (control && length7 > MAX_CONTROL_PAYLOAD) {
		return fail_at(2, Failure::CONTROL_TOO_LONG);
	}
	const size_t extra = length7 == LENGTH_16 ? 2 : (length7 == LENGTH_64 ? 8 : 0);
	if (avail < 2 + extra) {
		return buffer_rest();
	}

	uint64_t length = length7;
	if (extra > 0) {
		length = 0;
		for (size_t i = 0; i < extra; i++) {
			length = (length << 8) | at(2 + i);
		}
		if (extra == 8 && (length >> 63)) {
			return fail_at(2 + extra, Failure::LENGTH_HIGH_BIT);
		}
		if (length < (extra == 2 ? uint64_t(LENGTH_16) : uint64_t(0x10000))) {
			return fail_at(2 + extra, Failure::NON_MINIMAL_LENGTH);
		}
	}
	if (!control) {
		// Checked against the whole message before any of this frame's payload is buffered.
		const uint64_t max = _config.limits.max_message_size;
		const uint64_t so_far = opcode == uint8_t(Opcode::CONTINUATION) ? _message_length() : 0;
		if (max > 0 && (so_far > max || length > max - so_far)) {
			return fail_at(2 + extra, Failure::MESSAGE_TOO_BIG);
		}
	}

	const size_t need = 2 + extra + (masked ? 4 : 0);
	if (avail < need) {
		return buffer_rest();
	}
	// An empty final frame completes the open message at once, with no payload byte for
	// _read_payload's byte-room check to stop at: check the room here (the header stays unread).
	if (!control && fin && length == 0 && _message_length() > r_budget.bytes_left(r_budget.bytes)) {
		return 0;
	}
	if (masked) {
		for (size_t i = 0; i < 4; i++) {
			_frame_key[i] = at(2 + extra + i);
		}
	}
	_header_len = 0;
	if (r_budget.chunk && fin && !control && opcode != uint8_t(Opcode::CONTINUATION) && length > 0 &&
			length >= _config.in_place_min_length && length <= avail - need && length <= r_budget.bytes_left(r_budget.bytes)) {
		// The whole payload is in this chunk and within the room (_read_payload's check; no
		// message is open here, so only this call's count): unmask it where it lies.
		return (need - have) + _take_in_place(p_data + (need - have), length, Opcode(opcode), r_budget);
	}
	_frame_fin = fin;
	_frame_opcode = Opcode(opcode);
	_frame_length = length;
	_frame_done = 0;
	_in_payload = true;
	if (opcode == uint8_t(Opcode::TEXT) || opcode == uint8_t(Opcode::BINARY)) {
		_message_open = true;
		_message_kind = Opcode(opcode);
		_message_own = fin && length > 0 && length >= _config.own_buffer_min_length;
		if (_message_own) {
			_own.emplace_back();
			_message_start = 0;
		} else {
			_message_start = _inbound.size();
		}
		_utf8_state = utf8::ACCEPT;
	}
	if (length == 0) {
		_finish_frame(r_budget);
	}
	return need - have;
}

// Consumes payload bytes of the current frame, unmasking them straight into their store.
// Returns 0 when back-pressure allows no byte.
size_t Session::_read_payload(const uint8_t *p_data, size_t p_len, FeedBudget &r_budget) {
	const uint64_t left = _frame_length - _frame_done;
	size_t n = uint64_t(p_len) < left ? p_len : size_t(left);
	if (is_control(uint8_t(_frame_opcode))) {
		_copy_payload(_control + _frame_done, p_data, n);
	} else {
		if (_frame_fin && !r_budget.can_complete_message()) {
			return 0;
		}
		const uint64_t allowed = r_budget.bytes_left(r_budget.bytes + _message_length());
		if (uint64_t(n) > allowed) {
			n = size_t(allowed);
		}
		if (n == 0) {
			return 0;
		}
		std::vector<uint8_t> &store = _message_store();
		if (_message_own && store.capacity() - store.size() < n) {
			// Room for what this call brings of the message (within the room), and at most twice
			// what has arrived: a header alone never makes the session reserve memory.
			const uint64_t in_call = uint64_t(p_len) + r_budget.after_chunk;
			const uint64_t arriving = in_call < left ? in_call : left;
			const uint64_t arrived = store.size() + (arriving < allowed ? arriving : allowed);
			const uint64_t twice = 2 * arrived;
			store.reserve(size_t(twice < _frame_length ? twice : _frame_length));
		}
		const size_t old_size = store.size();
		_append_payload(store, p_data, n);
		const uint8_t *dst = store.data() + old_size;
		if (_message_kind == Opcode::TEXT) {
			_utf8_state = utf8::advance(_utf8_state, dst, n);
			if (_utf8_state == utf8::REJECT) {
				_fail(Failure::INVALID_UTF8);
				return n;
			}
		}
	}
	_frame_done += n;
	if (_frame_done == _frame_length) {
		_finish_frame(r_budget);
	}
	return n;
}

// Appends payload bytes to a store, unmasked on the way for a server. Unmasking goes through a
// small block on the stack, so each byte is read from the input once and written to the store
// once (a copy and then an unmask in place would touch the store twice; resize() would zero-fill).
void Session::_append_payload(std::vector<uint8_t> &r_store, const uint8_t *p_data, size_t p_len) {
	if (_config.role == Role::CLIENT) {
		r_store.insert(r_store.end(), p_data, p_data + p_len);
		return;
	}
	MaskKey key;
	std::memcpy(key.bytes, _frame_key, 4);
	constexpr size_t BLOCK = 4096;
	uint8_t block[BLOCK];
	for (size_t done = 0; done < p_len;) {
		const size_t n = p_len - done < BLOCK ? p_len - done : BLOCK;
		mask_copy(block, p_data + done, n, key, _frame_done + done);
		r_store.insert(r_store.end(), block, block + n);
		done += n;
	}
}

// A whole single-frame data message inside the chunk being parsed: unmasked and checked where it
// lies, recorded by its offset in that chunk. Returns the payload bytes consumed.
size_t Session::_take_in_place(const uint8_t *p_payload, uint64_t p_length, Opcode p_kind, FeedBudget &r_budget) {
	uint8_t *payload = r_budget.chunk + (p_payload - r_budget.chunk);
	const size_t length = size_t(p_length);
	if (_config.role == Role::SERVER) {
		MaskKey key;
		std::memcpy(key.bytes, _frame_key, 4);
		mask_copy(payload, payload, length, key, 0);
	}
	if (p_kind == Opcode::TEXT && !utf8::is_valid(payload, length)) {
		_fail(Failure::INVALID_UTF8); // as when copied: the frame counts as consumed
		return length;
	}
	_records.push_back({ uint64_t(payload - r_budget.chunk), p_length, p_kind, Placement::INPUT, r_budget.chunk_index });
	r_budget.messages++;
	r_budget.bytes += p_length;
	return length;
}

void Session::_copy_payload(uint8_t *r_dst, const uint8_t *p_src, size_t p_len) const {
	if (p_len == 0) {
		return;
	}
	if (_config.role == Role::SERVER) {
		MaskKey key;
		std::memcpy(key.bytes, _frame_key, 4);
		mask_copy(r_dst, p_src, p_len, key, _frame_done);
	} else {
		std::memcpy(r_dst, p_src, p_len);
	}
}

void Session::_finish_frame(FeedBudget &r_budget) {
	_in_payload = false;
	if (is_control(uint8_t(_frame_opcode))) {
		_finish_control();
	} else if (_frame_fin) {
		_finish_message(r_budget);
	}
}

void Session::_finish_message(FeedBudget &r_budget) {
	if (_message_kind == Opcode::TEXT && _utf8_state != utf8::ACCEPT) {
		_fail(Failure::INVALID_UTF8); // the text ends inside a character
		return;
	}
	const uint64_t length = _message_length();
	if (_message_own) {
		_records.push_back({ 0, length, _message_kind, Placement::OWN, uint32_t(_own.size() - 1) });
		_message_own = false;
	} else {
		_records.push_back({ _message_start, length, _message_kind });
	}
	_message_open = false;
	r_budget.messages++;
	r_budget.bytes += length;
	_settle_stash();
}

void Session::_finish_control() {
	const size_t length = size_t(_frame_length);
	switch (_frame_opcode) {
		case Opcode::PING:
			_add_control_record(Opcode::PING, _control, length);
			if (!_close_queued) {
				_queue_frame(Opcode::PONG, _control, length);
			}
			break;
		case Opcode::PONG:
			_add_control_record(Opcode::PONG, _control, length);
			break;
		case Opcode::CLOSE:
			_receive_close();
			break;
		default:
			break;
	}
}

void Session::_receive_close() {
	const size_t length = size_t(_frame_length);
	int code = close_code::NO_STATUS;
	if (length == 1) {
		_fail(Failure::INVALID_CLOSE_PAYLOAD);
		return;
	}
	if (length >= 2) {
		code = (int(_control[0]) << 8) | _control[1];
		if (!is_valid_wire_close_code(code)) {
			_fail(Failure::INVALID_CLOSE_CODE);
			return;
		}
		if (!utf8::is_valid(_control + 2, length - 2)) {
			_fail(Failure::INVALID_CLOSE_REASON);
			return;
		}
	}
	_received_close_code = code;
	_received_close_reason.assign(reinterpret_cast<const char *>(_control) + (length >= 2 ? 2 : 0), length >= 2 ? length - 2 : 0);
	_close_received = true;
	_drop_open_message(); // no more input: it can never complete
	if (!_close_queued) {
		// Echo the peer's body byte for byte (RFC 6455 §5.5.1), empty if theirs was empty.
		_queue_frame(Opcode::CLOSE, _control, length);
		_close_queued = true;
	}
}

void Session::_add_control_record(Opcode p_kind, const uint8_t *p_data, size_t p_len) {
	if (_message_open && !_message_own) {
		if (_stash_records == 0) {
			_stash_first_record = _records.size();
		}
		_records.push_back({ _stash.size(), p_len, p_kind });
		_stash.insert(_stash.end(), p_data, p_data + p_len);
		_stash_records++;
	} else {
		_records.push_back({ _inbound.size(), p_len, p_kind });
		_inbound.insert(_inbound.end(), p_data, p_data + p_len);
	}
}

// Moves stashed control payloads into _inbound: after the data just completed, or, when feed()
// returns with the message still open, in front of it (moving its partial payload once per call).
void Session::_settle_stash() {
	if (_stash_records == 0) {
		return;
	}
	uint64_t base;
	if (_message_open && !_message_own) {
		base = _message_start;
		_inbound.insert(_inbound.begin() + ptrdiff_t(base), _stash.begin(), _stash.end());
		_message_start += _stash.size();
	} else {
		base = _inbound.size();
		_inbound.insert(_inbound.end(), _stash.begin(), _stash.end());
	}
	for (size_t i = 0; i < _stash_records; i++) {
		_records[_stash_first_record + i].offset += base;
	}
	_stash.clear();
	_stash_records = 0;
}

void Session::_drop_open_message() {
	if (_message_own) {
		_own.pop_back();
		_message_own = false;
	} else if (_message_open) {
		_inbound.resize(size_t(_message_start));
	}
	_message_open = false;
}

void Session::_fail(Failure p_failure) {
	_failure = p_failure;
	_drop_open_message();
	if (!_close_queued) {
		// Code only, no reason text (as Godot/wslay and ws do); failure_name() is for the host.
		const int code = failure_close_code(p_failure);
		const uint8_t body[2] = { uint8_t(code >> 8), uint8_t(code) };
		_queue_frame(Opcode::CLOSE, body, 2);
		_close_queued = true;
	}
}

uint64_t Session::_message_length() const {
	if (!_message_open) {
		return 0;
	}
	return _message_own ? _own.back().size() : _inbound.size() - _message_start;
}

// The own buffers of completed records go; the open message's (if it has one) stays, first.
void Session::_keep_open_own_buffer() {
	if (!_message_own) {
		_own.clear();
	} else if (_own.size() > 1) {
		_own.front().swap(_own.back());
		_own.resize(1);
	}
}

std::vector<uint8_t> Session::take_own_buffer(const Record &p_record) {
	std::vector<uint8_t> taken;
	if (p_record.placement == Placement::OWN && p_record.chunk < _own.size() && !(_message_own && p_record.chunk + 1 == _own.size())) {
		taken.swap(_own[p_record.chunk]);
	}
	return taken;
}

void Session::clear_inbound() {
	_settle_stash(); // a no-op between feed() calls; kept so offsets can never dangle
	_records.clear();
	_keep_open_own_buffer();
	if (_message_open && !_message_own) {
		// Keep the partial message: its remaining frames are still to come.
		_inbound.erase(_inbound.begin(), _inbound.begin() + ptrdiff_t(_message_start));
		_message_start = 0;
	} else {
		_inbound.clear();
		_message_start = 0;
	}
}

std::vector<uint8_t> Session::release_inbound() {
	_settle_stash(); // a no-op between feed() calls, as in clear_inbound()
	_records.clear();
	_keep_open_own_buffer();
	std::vector<uint8_t> released;
	const size_t start = size_t(_message_start);
	_message_start = 0;
	if (!_message_open || _message_own) {
		released.swap(_inbound);
	} else if (start <= _inbound.size() - start) {
		// The completed records are the smaller part: copy them out, keep the message here.
		released.assign(_inbound.begin(), _inbound.begin() + ptrdiff_t(start));
		_inbound.erase(_inbound.begin(), _inbound.begin() + ptrdiff_t(start));
	} else {
		// The partial message is the smaller part: it moves to a fresh buffer.
		std::vector<uint8_t> message(_inbound.begin() + ptrdiff_t(start), _inbound.end());
		released.swap(_inbound);
		_inbound.swap(message);
	}
	return released;
}

///
/// Outbound
///

Status Session::_check_message(Opcode p_opcode, const uint8_t *p_data, size_t p_len) const {
	if (_failure != Failure::NONE || _close_queued) {
		return Status::INVALID_STATE;
	}
	switch (p_opcode) {
		case Opcode::TEXT:
		case Opcode::BINARY:
			break;
		case Opcode::PING:
		case Opcode::PONG:
			if (p_len > MAX_CONTROL_PAYLOAD) {
				return Status::INVALID_ARGUMENT;
			}
			break;
		default:
			return Status::INVALID_ARGUMENT;
	}
	if (!p_data && p_len > 0) {
		return Status::INVALID_ARGUMENT;
	}
	if (p_opcode == Opcode::TEXT && !utf8::is_valid(p_data, p_len)) {
		return Status::INVALID_UTF8;
	}
	if (queued_message_count() >= _config.limits.max_outbound_messages) {
		return Status::QUEUE_FULL;
	}
	const uint64_t max_bytes = _config.limits.max_outbound_bytes;
	const uint64_t queued = queued_payload_bytes();
	if (max_bytes > 0 && (queued > max_bytes || uint64_t(p_len) > max_bytes - queued)) {
		return Status::BUFFER_FULL;
	}
	return Status::OK;
}

Status Session::queue_message(Opcode p_opcode, const uint8_t *p_data, size_t p_len) {
	const Status status = _check_message(p_opcode, p_data, p_len);
	if (status == Status::OK) {
		_queue_frame(p_opcode, p_data, p_len);
	}
	return status;
}

Status Session::queue_message_into(Opcode p_opcode, const uint8_t *p_data, size_t p_len, FrameAllocator p_allocate, void *p_user) {
	const Status status = _check_message(p_opcode, p_data, p_len);
	if (status != Status::OK) {
		return status;
	}
	const size_t size = frame_size(p_len);
	uint8_t *frame = p_allocate ? p_allocate(p_user, size) : nullptr;
	if (!frame) {
		return Status::BUFFER_FULL;
	}
	uint8_t key[4];
	const size_t header_len = _write_header(frame, p_opcode, p_len, key);
	if (p_len > 0) {
		if (_config.role == Role::CLIENT) {
			MaskKey mask;
			std::memcpy(mask.bytes, key, 4);
			mask_copy(frame + header_len, p_data, p_len, mask, 0);
		} else {
			std::memcpy(frame + header_len, p_data, p_len);
		}
	}
	// Framed and taken at once: the host holds the bytes and acknowledges them as it writes them.
	_count_frame(size, p_len);
	_taken_total += size;
	return Status::OK;
}

size_t Session::frame_size(size_t p_len) const {
	const size_t length_bytes = p_len < LENGTH_16 ? 0 : (p_len <= 0xFFFF ? 2 : 8);
	return 2 + length_bytes + (_config.role == Role::CLIENT ? 4 : 0) + p_len;
}

// Closing is never refused by the outbound limits: a close must always be possible.
Status Session::queue_close(int p_code, const uint8_t *p_reason, size_t p_reason_len) {
	if (_failure != Failure::NONE || _close_queued) {
		return Status::INVALID_STATE;
	}
	if (!p_reason && p_reason_len > 0) {
		return Status::INVALID_ARGUMENT;
	}
	uint8_t body[MAX_CONTROL_PAYLOAD];
	size_t body_len = 0;
	if (is_valid_wire_close_code(p_code)) {
		if (!utf8::is_valid(p_reason, p_reason_len)) {
			return Status::INVALID_UTF8;
		}
		size_t reason_len = p_reason_len;
		if (reason_len > MAX_CLOSE_REASON) {
			// Cut before the character that straddles the limit (the reason is valid UTF-8, so
			// a continuation byte at the cut means a character is split).
			reason_len = MAX_CLOSE_REASON;
			while (reason_len > 0 && (p_reason[reason_len] & 0xC0) == 0x80) {
				reason_len--;
			}
		}
		body[0] = uint8_t(p_code >> 8);
		body[1] = uint8_t(p_code);
		if (reason_len > 0) {
			std::memcpy(body + 2, p_reason, reason_len);
		}
		body_len = 2 + reason_len;
	}
	_queue_frame(Opcode::CLOSE, body, body_len);
	_close_queued = true;
	return Status::OK;
}

// Writes a frame header (FIN=1, minimal length encoding) and returns its length. Client frames are
// masked with a fresh key (written to r_key too): mask_source is called exactly once per frame.
size_t Session::_write_header(uint8_t *r_header, Opcode p_opcode, size_t p_len, uint8_t r_key[4]) const {
	const bool masked = _config.role == Role::CLIENT;
	size_t header_len = 0;
	r_header[header_len++] = FIN_BIT | uint8_t(p_opcode);
	const uint8_t mask_bit = masked ? MASK_BIT : 0;
	const uint64_t length = p_len;
	if (length < LENGTH_16) {
		r_header[header_len++] = mask_bit | uint8_t(length);
	} else if (length <= 0xFFFF) {
		r_header[header_len++] = mask_bit | LENGTH_16;
		r_header[header_len++] = uint8_t(length >> 8);
		r_header[header_len++] = uint8_t(length);
	} else {
		r_header[header_len++] = mask_bit | LENGTH_64;
		for (int shift = 56; shift >= 0; shift -= 8) {
			r_header[header_len++] = uint8_t(length >> shift);
		}
	}
	if (masked) {
		// A missing mask_source is a host bug; a zero key still yields valid frames.
		const MaskKey key = mask_key_from_u32(_config.mask_source ? _config.mask_source(_config.mask_user) : 0);
		std::memcpy(r_key, key.bytes, 4);
		std::memcpy(r_header + header_len, key.bytes, 4);
		header_len += 4;
	}
	return header_len;
}

// One more frame in the outbound stream, counted by the limits until acknowledged.
void Session::_count_frame(size_t p_frame_size, size_t p_payload) {
	_framed_total += p_frame_size;
	_out_frames.push_back({ _framed_total, p_payload });
	_unacked_payload += p_payload;
}

// Frames one unfragmented message into the output buffer. No limit checks here.
void Session::_queue_frame(Opcode p_opcode, const uint8_t *p_data, size_t p_len) {
	_compact_output();
	uint8_t header[14];
	uint8_t key[4];
	const size_t header_len = _write_header(header, p_opcode, p_len, key);

	// Appended as is (resize() would zero-fill first), the payload then masked in place.
	const size_t need = _output.size() + header_len + p_len;
	if (need > _output.capacity()) {
		_output.reserve(need > _output.capacity() * 2 ? need : _output.capacity() * 2);
	}
	_output.insert(_output.end(), header, header + header_len);
	if (p_len > 0) {
		const size_t payload_at = _output.size();
		_output.insert(_output.end(), p_data, p_data + p_len);
		if (_config.role == Role::CLIENT) {
			MaskKey mask;
			std::memcpy(mask.bytes, key, 4);
			uint8_t *payload = _output.data() + payload_at;
			mask_copy(payload, payload, p_len, mask, 0);
		}
	}
	_count_frame(header_len + p_len, p_len);
}

// Runs only when a frame is appended, which may reallocate anyway: output_data() stays valid
// until the next call that queues output (queue_message, queue_close, or feed answering a peer).
void Session::_compact_output() {
	if (_output_taken == _output.size()) {
		if (_output.capacity() > OUTPUT_KEEP_MAX && _output.capacity() / 4 > _output.size()) {
			std::vector<uint8_t>().swap(_output); // a burst is over: its memory goes back
		} else {
			_output.clear();
		}
		_output_taken = 0;
	} else if (_output_taken >= OUTPUT_COMPACT_MIN && _output_taken * 2 >= _output.size()) {
		_output.erase(_output.begin(), _output.begin() + ptrdiff_t(_output_taken));
		_output_taken = 0;
	}
}

std::vector<uint8_t> Session::take_output_buffer() {
	std::vector<uint8_t> taken;
	const size_t size = output_size();
	if (size == 0) {
		return taken;
	}
	if (_output_taken > 0) {
		_output.erase(_output.begin(), _output.begin() + ptrdiff_t(_output_taken));
		_output_taken = 0;
	}
	taken.swap(_output);
	_taken_total += size;
	return taken;
}

void Session::take_output(size_t p_bytes) {
	const size_t available = output_size();
	const size_t n = p_bytes < available ? p_bytes : available;
	_output_taken += n;
	_taken_total += n;
}

void Session::acknowledge_output(size_t p_bytes) {
	const uint64_t outstanding = _taken_total - _acked_total;
	_acked_total += uint64_t(p_bytes) < outstanding ? uint64_t(p_bytes) : outstanding;
	// A frame stops counting against the limits once its last byte is acknowledged.
	while (_out_frames_head < _out_frames.size() && _out_frames[_out_frames_head].end <= _acked_total) {
		_unacked_payload -= _out_frames[_out_frames_head].payload;
		_out_frames_head++;
	}
	if (_out_frames_head == _out_frames.size()) {
		_out_frames.clear();
		_out_frames_head = 0;
	} else if (_out_frames_head >= 64 && _out_frames_head * 2 >= _out_frames.size()) {
		_out_frames.erase(_out_frames.begin(), _out_frames.begin() + ptrdiff_t(_out_frames_head));
		_out_frames_head = 0;
	}
}

uint32_t Session::queued_message_count() const {
	const size_t count = _out_frames.size() - _out_frames_head;
	return count > UINT32_MAX ? UINT32_MAX : uint32_t(count);
}

uint64_t Session::queued_payload_bytes() const {
	return _unacked_payload + _transport_backlog;
}

} // namespace gdws
