// RFC 6455 framing as a pure state machine: bytes in, messages and bytes out.
// No I/O, no clock, no RNG, no exceptions. Masking keys come from the host through MaskSource.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gdws {

enum class Role : uint8_t {
	CLIENT = 0, // masks what it sends, fails on masked input
	SERVER = 1, // sends unmasked, fails on unmasked input
};

enum class Opcode : uint8_t {
	CONTINUATION = 0x0,
	TEXT = 0x1,
	BINARY = 0x2,
	CLOSE = 0x8,
	PING = 0x9,
	PONG = 0xA,
};

// Protocol limits and Godot's defaults. Every host (Node, Godot) takes them from here; the
// TypeScript copies are generated from this header (scripts/gen-constants.mjs).
// RFC 6455 §5.5: a control frame's payload is at most 125 bytes.
constexpr size_t MAX_CONTROL_PAYLOAD = 125;
// A close body is a 2-byte code followed by the reason.
constexpr size_t MAX_CLOSE_REASON = MAX_CONTROL_PAYLOAD - 2;
// Godot 4's WebSocketPeer defaults: inbound_buffer_size / outbound_buffer_size, and
// max_queued_packets (4.4+).
constexpr uint64_t DEFAULT_BUFFER_SIZE = 65535;
constexpr uint32_t DEFAULT_MAX_QUEUED_PACKETS = 4096;

// Close codes the codec itself sends or reports (RFC 6455 §7.4.1).
namespace close_code {
constexpr int NORMAL = 1000;
constexpr int PROTOCOL_ERROR = 1002;
constexpr int NO_STATUS = 1005; // reported only, never sent
constexpr int ABNORMAL = 1006; // reported only, never sent
constexpr int INVALID_PAYLOAD = 1007;
constexpr int MESSAGE_TOO_BIG = 1009;
} // namespace close_code

// Result of a host call (queue_message, queue_close). Peer misbehaviour is never a Status:
// it becomes a Failure and a queued close frame.
enum class Status : uint8_t {
	OK = 0,
	INVALID_STATE = 1, // a close frame was already queued, or the connection failed
	INVALID_ARGUMENT = 2, // ping/pong payload > MAX_CONTROL_PAYLOAD, not a message opcode, no data
	QUEUE_FULL = 3, // Limits::max_outbound_messages reached
	BUFFER_FULL = 4, // Limits::max_outbound_bytes would be exceeded
	INVALID_UTF8 = 5, // a text message or a close reason that is not valid UTF-8 (RFC 6455 §8.1)
};
// Stable machine-readable id, e.g. "QUEUE_FULL".
const char *status_name(Status p_status);

// Why the codec failed the connection. Each maps to the close code it sends (failure_close_code).
enum class Failure : uint8_t {
	NONE = 0,
	RESERVED_BITS, // 1002: RSV1-3 set (no extension is ever negotiated)
	UNKNOWN_OPCODE, // 1002: 0x3-0x7, 0xB-0xF
	UNMASKED_FRAME, // 1002: a server received an unmasked frame
	MASKED_FRAME, // 1002: a client received a masked frame
	CONTROL_TOO_LONG, // 1002: control frame payload > 125 bytes
	FRAGMENTED_CONTROL, // 1002: control frame with FIN = 0
	NON_MINIMAL_LENGTH, // 1002: 16/64-bit length used for a length the shorter form could hold
	LENGTH_HIGH_BIT, // 1002: 64-bit length with the most significant bit set
	UNEXPECTED_CONTINUATION, // 1002: continuation frame with no message in progress
	EXPECTED_CONTINUATION, // 1002: new text/binary frame while a fragmented message is in progress
	INVALID_CLOSE_PAYLOAD, // 1002: close frame with a 1-byte body
	INVALID_CLOSE_CODE, // 1002: close code not allowed on the wire (§7.4)
	INVALID_UTF8, // 1007: text message is not valid UTF-8
	INVALID_CLOSE_REASON, // 1007: close reason is not valid UTF-8
	MESSAGE_TOO_BIG, // 1009: message (all fragments together) exceeds Limits::max_message_size
};

int failure_close_code(Failure p_failure);
// Stable machine-readable id, e.g. "RESERVED_BITS".
const char *failure_name(Failure p_failure);
// Godot 4.4's fixed reason text for the close code it sent: "Protocol error", "Message too big",
// "Invalid frame payload data", "Abnormal closure", otherwise "Unknown".
const char *close_code_reason(int p_code);
// RFC 6455 §7.4: may this code appear in a close frame on the wire?
bool is_valid_wire_close_code(int p_code);

struct Limits {
	// Inbound: largest message accepted (all fragments together). Larger ⇒ Failure::MESSAGE_TOO_BIG.
	// 0 means no limit.
	uint64_t max_message_size = DEFAULT_BUFFER_SIZE;
	// Outbound: frames queued and not yet acknowledged as written (see acknowledge_output).
	// QUEUE_FULL when reached. UINT32_MAX means no limit.
	uint32_t max_outbound_messages = DEFAULT_MAX_QUEUED_PACKETS;
	// Outbound: payload bytes queued and not yet acknowledged, plus the transport backlog.
	// BUFFER_FULL when a new message would exceed it. 0 means no limit.
	uint64_t max_outbound_bytes = DEFAULT_BUFFER_SIZE;
};

// Host memory for one outbound frame of p_size bytes (Session::queue_message_into), or nullptr
// when the host has none.
using FrameAllocator = uint8_t *(*)(void *p_user, size_t p_size);

// Returns a fresh unpredictable 32-bit masking key (client role only). The key goes on the wire
// most significant byte first: 0x37fa213d is sent as 37 fa 21 3d (RFC 6455 §5.7's example key).
using MaskSource = uint32_t (*)(void *p_user);

struct Config {
	Role role = Role::SERVER;
	Limits limits;
	MaskSource mask_source = nullptr; // required for Role::CLIENT
	void *mask_user = nullptr;
	// A data message that is one frame (FIN, not a continuation), at least this many bytes long
	// and within the byte room, whose whole payload lies inside one input Chunk, is unmasked where
	// it lies (Placement::INPUT): one pass over its bytes instead of a copy into inbound_bytes()
	// that the host copies out again. UINT64_MAX (the default): never.
	uint64_t in_place_min_length = UINT64_MAX;
	// A data message that is one frame (FIN, not a continuation), at least this many bytes long,
	// and not placed in the input, is assembled in a buffer of its own (Placement::OWN): unmasked
	// into it as its bytes arrive (one pass), and the host may take that buffer whole instead of
	// copying the payload out of inbound_bytes(). The buffer grows with the bytes that arrive, to
	// at most twice them. UINT64_MAX (the default): never.
	uint64_t own_buffer_min_length = UINT64_MAX;
};

// Where a completed record's payload lives. New placements (say, a receive buffer the host
// hands in) are new values here; every host reads records the same way.
enum class Placement : uint8_t {
	SESSION = 0, // inbound_bytes()[offset, offset + length) until clear_inbound()/release_inbound()
	INPUT = 1, // chunk `chunk` of the feed() call that completed it, [offset, offset + length), unmasked there
	OWN = 2, // own_buffer(record)[0, length) until clear_inbound()/release_inbound(), or take_own_buffer()
};

// One completed inbound record. kind is TEXT or BINARY for messages, PING or PONG for control
// frames (pings are already answered).
struct Record {
	uint64_t offset;
	uint64_t length;
	Opcode kind;
	Placement placement = Placement::SESSION;
	uint32_t chunk = 0; // Placement::INPUT: the input chunk; Placement::OWN: which own buffer
};

// The free room of the host's inbound queue. feed() stops before completing more than `messages`
// data messages in one call, and before the payload of the message in progress plus the messages
// completed in the call would exceed `bytes`. Control frames are not limited by it.
struct Room {
	size_t messages = SIZE_MAX;
	uint64_t bytes = UINT64_MAX;
};

// Input the host owns and lets the codec write into (Config::in_place_min_length): the codec
// may modify the payload bytes of messages it reports with Placement::INPUT, nothing else.
struct Chunk {
	uint8_t *data;
	size_t length;
};

class Session {
public:
	explicit Session(const Config &p_config);
	Session(const Session &) = delete;
	Session &operator=(const Session &) = delete;

	///
	/// Inbound
	///

	// Parses the chunks in order as one stream (in any chunking), within p_room for the whole
	// call. Returns how many bytes were consumed: fewer than the total only when back-pressure
	// stopped it (the host feeds the rest again once its queue has room) or the connection
	// failed or closed (the rest is ignored and may be dropped). Records of Placement::INPUT point
	// into these chunks, which the host keeps while it uses them.
	size_t feed(const Chunk *p_chunks, size_t p_count, const Room &p_room = Room());
	// The same for one piece of input the codec may not write into: payloads are never placed
	// in it. Consumed count, records, limits, failures and output are as above.
	size_t feed(const uint8_t *p_data, size_t p_len, const Room &p_room = Room());
	// Makes room for p_bytes more inbound payload at once: a host about to feed that many bytes
	// spares the session growing (and copying) its buffer piece by piece.
	void reserve_inbound(size_t p_bytes);

	// Completed records since the last clear_inbound(), oldest first.
	const std::vector<Record> &inbound_records() const { return _records; }
	// Where the records of Placement::SESSION point.
	const std::vector<uint8_t> &inbound_bytes() const { return _inbound; }
	// The buffer a Placement::OWN record's payload fills from its start.
	const std::vector<uint8_t> &own_buffer(const Record &p_record) const { return _own[p_record.chunk]; }
	// Hands that buffer to the host (left empty here; its record stays valid until clear_inbound()).
	std::vector<uint8_t> take_own_buffer(const Record &p_record);
	void clear_inbound();
	// clear_inbound() that hands the host the buffer the records point into (same offsets)
	// instead of dropping it: no copy when no message is in progress. A message in progress
	// stays in the session; its bytes may also trail the returned buffer, past the last record.
	std::vector<uint8_t> release_inbound();

	///
	/// Outbound
	///

	// Frames one message (TEXT, BINARY, PING or PONG) unfragmented into the output buffer; the
	// codec never fragments what it sends. A TEXT payload must be valid UTF-8 (INVALID_UTF8
	// otherwise, checked before the outbound limits). Nothing is queued unless OK.
	[[nodiscard]] Status queue_message(Opcode p_opcode, const uint8_t *p_data, size_t p_len);
	// queue_message() for a host that writes a large frame itself instead of taking it from
	// output_data(): the same checks in the same order, then p_allocate is asked for the frame's
	// bytes (frame_size(p_len)) and the whole frame goes there: header, then the payload (masked
	// for a client) in one pass, with no copy into the output buffer and none out of it. The host
	// writes it right after the output_size() bytes output_data() holds at this call. It counts
	// against the outbound limits like taken output until acknowledged. BUFFER_FULL when the
	// allocator returns nullptr; nothing is queued unless OK.
	[[nodiscard]] Status queue_message_into(Opcode p_opcode, const uint8_t *p_data, size_t p_len, FrameAllocator p_allocate,
			void *p_user);
	// Bytes of the frame queue_message_into() writes for a p_len-byte payload.
	size_t frame_size(size_t p_len) const;
	// Queues a close frame. A code that may not appear on the wire (is_valid_wire_close_code:
	// 0, 1005, 1006, 999, 70000, ...) sends an empty body and drops the reason; the peer sees
	// "no status" (1005). Otherwise the body is the 2-byte code and the reason, cut to
	// MAX_CLOSE_REASON bytes at a character boundary. A reason that would be sent and is not
	// valid UTF-8 ⇒ INVALID_UTF8 and nothing queued. Never refused by the outbound limits.
	[[nodiscard]] Status queue_close(int p_code, const uint8_t *p_reason, size_t p_reason_len);

	// Bytes framed but not yet taken by the host.
	const uint8_t *output_data() const { return _output.data() + _output_taken; }
	size_t output_size() const { return _output.size() - _output_taken; }
	// The host took p_bytes from output_data() to write them; they stay counted against the
	// outbound limits until acknowledge_output().
	void take_output(size_t p_bytes);
	// take_output(output_size()) that hands the host the buffer holding those bytes instead of
	// leaving them in the session: no copy when nothing was taken before. The bytes stay counted
	// against the outbound limits until acknowledged, as with take_output().
	std::vector<uint8_t> take_output_buffer();
	// p_bytes of the taken output reached the transport; frees them from the outbound limits.
	void acknowledge_output(size_t p_bytes);
	// Bytes the transport still holds outside the codec (e.g. a socket's write buffer); counted
	// by the outbound byte limit and by queued_payload_bytes().
	void set_transport_backlog(uint64_t p_bytes) { _transport_backlog = p_bytes; }

	// Frames queued and not yet acknowledged (data and control).
	uint32_t queued_message_count() const;
	// Their payload bytes plus the transport backlog (Godot's get_current_outbound_buffered_amount).
	uint64_t queued_payload_bytes() const;

	///
	/// State
	///

	bool close_sent() const { return _close_queued; } // a close frame is queued or written
	bool close_received() const { return _close_received; }
	// Both close frames exchanged: the connection may be dropped cleanly.
	bool is_closed() const { return _close_queued && _close_received; }
	// The peer broke the protocol: a close with failure_close_code() is queued, reading stopped.
	bool is_failed() const { return _failure != Failure::NONE; }
	Failure failure() const { return _failure; }
	// Peer's close: -1 before any, 1005 (close_code::NO_STATUS) for an empty body, else the code.
	int received_close_code() const { return _received_close_code; }
	const std::string &received_close_reason() const { return _received_close_reason; }
	// True while the codec accepts input (false after a failure or once a close was received).
	bool wants_input() const;

	const Limits &limits() const { return _config.limits; }
	// Takes effect for frames parsed and messages queued from now on.
	void set_limits(const Limits &p_limits) { _config.limits = p_limits; }
	Role role() const { return _config.role; }

private:
	// The members below are used by the inline accessors; the implementation adds its own.
	Config _config;
	std::vector<Record> _records;
	std::vector<uint8_t> _inbound;
	std::vector<uint8_t> _output;
	size_t _output_taken = 0;
	uint64_t _transport_backlog = 0;
	bool _close_queued = false;
	bool _close_received = false;
	Failure _failure = Failure::NONE;
	int _received_close_code = -1;
	std::string _received_close_reason;

	// Room left in the current feed() call (defined in session.cpp).
	struct FeedBudget;

	// Inbound: the frame being parsed. A header split across feed() calls is kept in _header.
	uint8_t _header[14] = {};
	uint8_t _header_len = 0;
	bool _in_payload = false;
	bool _frame_fin = false;
	Opcode _frame_opcode = Opcode::CONTINUATION;
	uint8_t _frame_key[4] = {};
	uint64_t _frame_length = 0;
	uint64_t _frame_done = 0; // payload bytes of this frame consumed so far

	// Inbound: the data message being assembled in _inbound[_message_start, end), or in _own.back()
	// from its start when _message_own (Config::own_buffer_min_length).
	bool _message_open = false;
	bool _message_own = false;
	std::vector<std::vector<uint8_t>> _own; // buffers of OWN records since clear_inbound(), then the open message's
	Opcode _message_kind = Opcode::BINARY;
	uint64_t _message_start = 0;
	uint8_t _utf8_state = 0;

	// Inbound: a control frame's payload (always buffered whole), and the payloads of control
	// records completed while a fragmented message is open. Those cannot go into _inbound yet
	// (the message must stay contiguous); they move there when the message completes or when
	// feed() returns. Their records hold stash-relative offsets until then.
	uint8_t _control[MAX_CONTROL_PAYLOAD] = {};
	std::vector<uint8_t> _stash;
	size_t _stash_first_record = 0;
	size_t _stash_records = 0;

	// Outbound: one entry per frame not yet fully acknowledged. Positions count bytes framed
	// since the session began, so partial takes and acknowledgements need no bookkeeping per byte.
	struct OutFrame {
		uint64_t end; // stream position just past the frame's last byte
		uint64_t payload; // payload bytes, counted by the outbound byte limit
	};
	std::vector<OutFrame> _out_frames;
	size_t _out_frames_head = 0;
	uint64_t _framed_total = 0;
	uint64_t _taken_total = 0;
	uint64_t _acked_total = 0;
	uint64_t _unacked_payload = 0;

	size_t _feed(const uint8_t *p_data, size_t p_len, FeedBudget &r_budget);
	size_t _read_header(const uint8_t *p_data, size_t p_len, FeedBudget &r_budget);
	size_t _take_in_place(const uint8_t *p_payload, uint64_t p_length, Opcode p_kind, FeedBudget &r_budget);
	size_t _read_payload(const uint8_t *p_data, size_t p_len, FeedBudget &r_budget);
	std::vector<uint8_t> &_message_store() { return _message_own ? _own.back() : _inbound; }
	void _append_payload(std::vector<uint8_t> &r_store, const uint8_t *p_data, size_t p_len);
	void _keep_open_own_buffer();
	void _copy_payload(uint8_t *r_dst, const uint8_t *p_src, size_t p_len) const;
	Failure _check_first_byte(uint8_t p_byte) const;
	void _finish_frame(FeedBudget &r_budget);
	void _finish_message(FeedBudget &r_budget);
	void _finish_control();
	void _receive_close();
	void _add_control_record(Opcode p_kind, const uint8_t *p_data, size_t p_len);
	void _settle_stash();
	void _drop_open_message();
	void _fail(Failure p_failure);
	uint64_t _message_length() const;

	Status _check_message(Opcode p_opcode, const uint8_t *p_data, size_t p_len) const;
	size_t _write_header(uint8_t *r_header, Opcode p_opcode, size_t p_len, uint8_t r_key[4]) const;
	void _count_frame(size_t p_frame_size, size_t p_payload);
	void _queue_frame(Opcode p_opcode, const uint8_t *p_data, size_t p_len);
	void _compact_output();
};

} // namespace gdws
