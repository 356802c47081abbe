// Handing the codec's bytes to JavaScript. Below HAND_OVER_MIN a copy into a new Buffer is
// cheaper; from there on the vector itself becomes an external Buffer that frees it when
// collected (no copy, but a finalizer and a fresh allocation for the session's next bytes;
// measured slower up to 64 KiB, see bench/NOTES.md).
#pragma once

#include <node_api.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace gdws_node {

constexpr size_t HAND_OVER_MIN = 1024 * 1024;

// A Buffer over p_bytes' storage, which it frees when collected; a copy where external buffers
// are not allowed.
napi_value hand_over(napi_env p_env, std::vector<uint8_t> &&p_bytes);
napi_value copy_to_buffer(napi_env p_env, const uint8_t *p_data, size_t p_length);

} // namespace gdws_node
