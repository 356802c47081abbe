// SessionCore: one gdws::Session and what the Node glue keeps beside it (a client's pool of
// masking keys). A core is owned by an External, its "handle", and freed when the handle is
// collected: a peer holds the handle and needs no wrapper object.
#pragma once

#include <gdws/codec.h>
#include <node_api.h>

namespace gdws_node {

struct SessionCore {
	static constexpr uint32_t MAGIC = 0x67647773; // "gdws": a cheap guard against foreign Externals
	uint32_t magic = MAGIC;
	gdws::Session session;
	// Client masking keys: 4 bytes at a time from a JavaScript-owned random pool, refilled in place
	// by a JavaScript callback (crypto.randomFillSync) when used up. The pool's ArrayBuffer is held
	// by a reference and never replaced, so its bytes are resolved once.
	napi_env env = nullptr;
	napi_ref mask_pool = nullptr;
	napi_ref refill_mask_pool = nullptr;
	uint8_t *mask_data = nullptr;
	size_t mask_length = 0;
	size_t mask_index = 0;

	// A client core is its codec's mask source.
	explicit SessionCore(const gdws::Config &p_config);
	~SessionCore() { magic = 0; }
};

// A new session for `config` (a client also needs the mask pool and its refill function), as an
// External handle. nullptr with a JavaScript exception pending when it cannot be made.
napi_value create_session_handle(napi_env p_env, gdws::Config p_config, napi_value p_mask_pool, napi_value p_refill);
// The core behind a handle, or nullptr when the value is not one of ours.
SessionCore *session_from_handle(napi_env p_env, napi_value p_handle);

} // namespace gdws_node
