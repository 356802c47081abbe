// Numbers the Node addon and src/native must agree on: the state flags and the layout of the
// Float64Array Session.receive() fills. TypeScript gets them from this header at build time
// (scripts/gen-constants.mjs writes src/native/constants.ts); test/constants.test.ts fails when
// the two drift apart.
#pragma once

#include <cstddef>
#include <cstdint>

namespace gdws_node {

// Bits of the session state reported with every receive().
enum class StateFlag : uint32_t {
	CLOSE_SENT = 1,
	CLOSE_RECEIVED = 2,
	FAILED = 4,
	WANTS_INPUT = 8,
};

// receive()'s meta array: a header, then one entry of META_STRIDE numbers per completed record.
constexpr size_t META_CONSUMED = 0; // input bytes the codec consumed
constexpr size_t META_FLAGS = 1; // StateFlag bits
constexpr size_t META_RECORDS = 2; // record count; below zero: -(length the array needs)
constexpr size_t META_OUTPUT = 3; // framed output bytes waiting to be taken
constexpr size_t META_HEADER = 4;
constexpr size_t META_STRIDE = 5;
// A record's entry: where its payload is, as gdws::Record says. Placement::SESSION payloads are
// in the Buffer receive() returns, Placement::INPUT ones in input[chunk].
constexpr size_t RECORD_KIND = 0; // gdws::Opcode
constexpr size_t RECORD_PLACEMENT = 1; // gdws::Placement
constexpr size_t RECORD_CHUNK = 2;
constexpr size_t RECORD_OFFSET = 3;
constexpr size_t RECORD_LENGTH = 4;

} // namespace gdws_node
