// SessionCall: the arguments of one Session.* call. Every entry point starts by making one; it
// reads the arguments, resolves the session handle, and turns any wrong argument into a single
// TypeError that quotes the call's usage, so no entry point repeats those checks. Readers return
// a neutral value after a failure; the entry point checks ok() once, after reading them all.
#pragma once

#include "session_core.h"

#include <gdws/codec.h>
#include <node_api.h>

#include <vector>

namespace gdws_node {

class SessionCall {
public:
	static constexpr size_t MAX_ARGS = 8;

	// p_usage, e.g. "queue(handle, opcode, payload: Uint8Array)", is the TypeError's message. With
	// p_handle_first the first argument must be a session handle (see core()).
	SessionCall(napi_env p_env, napi_callback_info p_info, const char *p_usage, size_t p_argc, bool p_handle_first = true);

	napi_env env() const { return _env; }
	bool ok() const { return !_failed; }
	SessionCore &core() const { return *_core; }
	// Whether argument p_index was passed and is not undefined (optional arguments).
	bool has(size_t p_index) const;
	napi_value arg(size_t p_index) const { return _argv[p_index]; }

	double number(size_t p_index);
	// A non-negative count; +Infinity and anything from 2^53 on mean "no limit" (SIZE_MAX).
	size_t room(size_t p_index);
	// Uint8Array contents (Buffers are Uint8Arrays).
	const uint8_t *bytes(size_t p_index, size_t &r_length);
	double *float64s(size_t p_index, size_t &r_length);
	// An array of Uint8Arrays, or null/undefined for none: chunks the codec may write into.
	void chunks(size_t p_index, std::vector<gdws::Chunk> &r_chunks);

	// Throws the TypeError (once) and returns what an entry point returns after it.
	napi_value fail();
	napi_value undefined() const;
	napi_value null() const;
	napi_value number_value(double p_value) const;

private:
	napi_env _env;
	const char *_usage;
	size_t _argc = MAX_ARGS;
	napi_value _argv[MAX_ARGS] = {};
	SessionCore *_core = nullptr;
	bool _failed = false;
	bool _thrown = false;
};

} // namespace gdws_node
