// SessionWrap: one gdws::Session per WebSocket peer, exposed to JavaScript. Glue only: argument
// checks that JavaScript already made are repeated here as cheap guards, nothing else.
//
// A session lives in a SessionCore owned by an External (its "handle"), freed when the handle is
// collected. The per-packet path calls plain functions on the class (Session.receive, ...) with
// the handle: an External resolves to its core without the wrapped-object lookup (napi_unwrap)
// an instance method pays, and a peer needs no wrapper object at all. `new Session(...)` and
// `new Session(handle)` give the method-style interface for everything else; the wrapper holds
// a reference to the handle, so the core outlives it.
#pragma once

#include <gdws/codec.h>
#include <napi.h>

#include <vector>

namespace gdws_node {

struct SessionCore {
	static constexpr uint32_t MAGIC = 0x67647773; // "gdws": a cheap guard against foreign handles
	uint32_t magic = MAGIC;
	gdws::Session session;
	// Client masking keys: 4 bytes at a time from a JavaScript-owned random pool, refilled in place
	// by a JavaScript callback (crypto.randomFillSync) when used up. The pool's bytes are resolved
	// once: its ArrayBuffer is held by mask_pool and never replaced.
	Napi::Reference<Napi::Uint8Array> mask_pool;
	Napi::FunctionReference refill_mask_pool;
	uint8_t *mask_data = nullptr;
	size_t mask_length = 0;
	size_t mask_index = 0;
	// Session.receive(): for each inbound record, the index of the input chunk an in-input record
	// (gdws::Record::in_input) lies in; kept until the records are taken.
	std::vector<uint32_t> record_chunks;
	// Direct receive (gdws::Config::payload_allocator): while Session.receive() feeds, large
	// single-frame messages are unmasked straight into Buffers made here. Each Buffer is held by a
	// reference, in allocation order, until its record is taken (or the session failed and it was
	// abandoned). payload_env is set only during that feed: other calls never allocate.
	napi_env payload_env = nullptr;
	std::vector<napi_ref> hosted;

	// A client core is its own codec's mask source; every core is its codec's payload allocator.
	explicit SessionCore(const gdws::Config &p_config) :
			session(with_hooks(p_config, this)) {}
	~SessionCore() { magic = 0; }
	// Drops the references of hosted Buffers (before the core is deleted, or abandoned ones).
	void release_hosted(napi_env p_env, size_t p_from = 0);

private:
	static gdws::Config with_hooks(gdws::Config p_config, SessionCore *p_core);
	static uint32_t next_mask(void *p_core);
	static uint8_t *allocate_payload(void *p_core, uint64_t p_length);
};

class SessionWrap : public Napi::ObjectWrap<SessionWrap> {
public:
	static Napi::Function define_class(Napi::Env p_env);
	explicit SessionWrap(const Napi::CallbackInfo &p_info);

private:
	// Reads (role, maxMessageSize, maxOutboundMessages, maxOutboundBytes, maskPool?, refill?) from
	// p_args and returns a handle owning a new core, or nullptr with a JS exception pending.
	static napi_value _create_handle(napi_env p_env, size_t p_argc, const napi_value *p_argv);
	static SessionCore *_from_handle(napi_env p_env, napi_value p_handle);

	Napi::Value _feed(const Napi::CallbackInfo &p_info);
	Napi::Value _take_inbound(const Napi::CallbackInfo &p_info);
	Napi::Value _queue(const Napi::CallbackInfo &p_info);
	Napi::Value _queue_close(const Napi::CallbackInfo &p_info);
	Napi::Value _take_output(const Napi::CallbackInfo &p_info);
	Napi::Value _acknowledge(const Napi::CallbackInfo &p_info);
	Napi::Value _set_transport_backlog(const Napi::CallbackInfo &p_info);
	Napi::Value _set_limits(const Napi::CallbackInfo &p_info);
	Napi::Value _state(const Napi::CallbackInfo &p_info);
	Napi::Value _failure(const Napi::CallbackInfo &p_info);
	Napi::Value _failure_close_code(const Napi::CallbackInfo &p_info);
	Napi::Value _close_code(const Napi::CallbackInfo &p_info);
	Napi::Value _close_reason(const Napi::CallbackInfo &p_info);
	Napi::Value _queued_count(const Napi::CallbackInfo &p_info);
	Napi::Value _queued_bytes(const Napi::CallbackInfo &p_info);
	Napi::Value _handle(const Napi::CallbackInfo &p_info);

	// Session.create(...) -> handle, and the per-packet functions that take it.
	static napi_value _fast_create(napi_env p_env, napi_callback_info p_info);
	static napi_value _fast_receive(napi_env p_env, napi_callback_info p_info);
	static napi_value _fast_take_inbound(napi_env p_env, napi_callback_info p_info);
	static napi_value _fast_queue(napi_env p_env, napi_callback_info p_info);
	static napi_value _fast_take_output(napi_env p_env, napi_callback_info p_info);
	static napi_value _fast_acknowledge(napi_env p_env, napi_callback_info p_info);
	static napi_value _fast_queued_bytes(napi_env p_env, napi_callback_info p_info);

	Napi::Reference<Napi::External<SessionCore>> _handle_ref;
	SessionCore *_core = nullptr;
};

} // namespace gdws_node
