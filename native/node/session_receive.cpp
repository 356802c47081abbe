// Session.receive(): the one inbound entry point, called once per poll. It acknowledges written
// output, feeds every chunk received since the last poll in one codec call (within the room of
// the caller's packet queue), and reports the completed records in the meta array (layout in
// boundary.h) with the payloads of Placement::SESSION records in the returned Buffer and those of
// Placement::OWN records as Buffers of their own in the `own` array.
#include "boundary.h"
#include "buffers.h"
#include "session_bindings.h"
#include "session_call.h"

namespace gdws_node {

namespace {

// Input of this size or more in several chunks is fed after one reserve for all of it that the
// room allows (no growth copies of the session's store while a large message is assembled).
constexpr size_t RESERVE_MIN = 32 * 1024;
// A store left empty after a poll keeps its capacity for the next one, unless it is larger than
// this and more than four times what the poll used: a connection does not hold on to the memory
// of a burst (or of input it could not take) once it is over.
constexpr size_t STORE_KEEP_MAX = 256 * 1024;

uint32_t state_flags(const gdws::Session &p_session) {
	uint32_t flags = 0;
	flags |= p_session.close_sent() ? uint32_t(StateFlag::CLOSE_SENT) : 0u;
	flags |= p_session.close_received() ? uint32_t(StateFlag::CLOSE_RECEIVED) : 0u;
	flags |= p_session.is_failed() ? uint32_t(StateFlag::FAILED) : 0u;
	flags |= p_session.wants_input() ? uint32_t(StateFlag::WANTS_INPUT) : 0u;
	return flags;
}

// Writes the records into meta and returns the bytes of the Placement::SESSION ones (null when
// there are none), clearing them from the session; the buffers of Placement::OWN records become
// p_own[0], p_own[1], ... (a record's chunk number is its index there). Records that do not fit
// stay in the session.
napi_value take_records(SessionCall &p_call, gdws::Session &p_session, double *p_meta, size_t p_meta_length, napi_value p_own) {
	const std::vector<gdws::Record> &records = p_session.inbound_records();
	const size_t needed = META_HEADER + records.size() * META_STRIDE;
	if (needed > p_meta_length) {
		p_meta[META_RECORDS] = -static_cast<double>(needed);
		return p_call.null();
	}
	p_meta[META_RECORDS] = static_cast<double>(records.size());
	double *entry = p_meta + META_HEADER;
	uint64_t used = 0; // end of the last Placement::SESSION payload: a message in progress may follow
	uint32_t own = 0;
	for (const gdws::Record &record : records) {
		entry[RECORD_KIND] = static_cast<double>(record.kind);
		entry[RECORD_PLACEMENT] = static_cast<double>(record.placement);
		entry[RECORD_CHUNK] = static_cast<double>(record.chunk);
		if (record.placement == gdws::Placement::OWN) {
			// Handed over whole: no copy out (the codec assembled it there in one pass).
			entry[RECORD_CHUNK] = static_cast<double>(own);
			napi_set_element(p_call.env(), p_own, own++, hand_over(p_call.env(), p_session.take_own_buffer(record)));
		}
		entry[RECORD_OFFSET] = static_cast<double>(record.offset);
		entry[RECORD_LENGTH] = static_cast<double>(record.length);
		entry += META_STRIDE;
		if (record.placement == gdws::Placement::SESSION && record.offset + record.length > used) {
			used = record.offset + record.length;
		}
	}
	const std::vector<uint8_t> &bytes = p_session.inbound_bytes();
	if (used == 0) {
		if (bytes.empty() && bytes.capacity() > STORE_KEEP_MAX) {
			p_session.release_inbound(); // dropped: the memory goes back
		} else {
			p_session.clear_inbound();
		}
		return p_call.null();
	}
	if (bytes.size() >= HAND_OVER_MIN) {
		return hand_over(p_call.env(), p_session.release_inbound());
	}
	// Only the records' bytes: a message in progress stays in the session, uncopied.
	napi_value result = copy_to_buffer(p_call.env(), bytes.data(), size_t(used));
	if (bytes.size() == used && bytes.capacity() > STORE_KEEP_MAX && bytes.capacity() / 4 > used) {
		p_session.release_inbound();
	} else {
		p_session.clear_inbound();
	}
	return result;
}

} // namespace

// receive(handle, input: Uint8Array[] | null, messageRoom, byteRoom, acknowledged, meta: Float64Array, own: Buffer[])
// The input chunks are handed over and MODIFIED: a message of IN_PLACE_MIN bytes or more (see
// session_bindings.cpp) inside one chunk is unmasked there and reported with Placement::INPUT.
// Single-frame messages of OWN_MIN bytes or more that are not are assembled in buffers of their
// own, written to `own` from index 0 (Placement::OWN). When meta is too small the records stay
// in the session: call again with a larger array and no input, and resolve Placement::INPUT
// records against the input of the call that completed them.
napi_value session_receive(napi_env p_env, napi_callback_info p_info) {
	SessionCall call(p_env, p_info, "receive(handle, input: Uint8Array[] | null, messageRoom, byteRoom, acknowledged, meta: Float64Array, own: Buffer[])", 7);
	thread_local std::vector<gdws::Chunk> chunks; // reused: no allocation per poll
	call.chunks(1, chunks);
	const gdws::Room room{ call.room(2), uint64_t(call.room(3)) };
	const double acknowledged = call.number(4);
	size_t meta_length = 0;
	double *meta = call.float64s(5, meta_length);
	bool own_is_array = false;
	if (!call.ok() || meta_length < META_HEADER || napi_is_array(p_env, call.arg(6), &own_is_array) != napi_ok || !own_is_array) {
		return call.fail();
	}
	gdws::Session &session = call.core().session;
	if (acknowledged > 0) {
		session.acknowledge_output(static_cast<size_t>(acknowledged));
	}
	size_t consumed = 0;
	if (!chunks.empty()) {
		if (chunks.size() > 1) {
			size_t total = 0;
			for (const gdws::Chunk &chunk : chunks) {
				total += chunk.length;
			}
			const size_t reserve = total < room.bytes ? total : size_t(room.bytes);
			if (reserve >= RESERVE_MIN) {
				session.reserve_inbound(reserve);
			}
		}
		consumed = session.feed(chunks.data(), chunks.size(), room);
	}
	meta[META_CONSUMED] = static_cast<double>(consumed);
	meta[META_FLAGS] = static_cast<double>(state_flags(session));
	meta[META_OUTPUT] = static_cast<double>(session.output_size());
	return take_records(call, session, meta, meta_length, call.arg(6));
}

} // namespace gdws_node
