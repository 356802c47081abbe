// SessionWrap: one gdws::Session per WebSocket peer, exposed to JavaScript. Glue only: argument
// checks that JavaScript already made are repeated here as cheap guards, nothing else.
#pragma once

#include <gdws/codec.h>
#include <napi.h>

#include <memory>

namespace gdws_node {

class SessionWrap : public Napi::ObjectWrap<SessionWrap> {
public:
	static Napi::Function define_class(Napi::Env p_env);
	explicit SessionWrap(const Napi::CallbackInfo &p_info);
	~SessionWrap();

private:
	// Codec mask source: 4 bytes at a time from a JavaScript-owned random pool, refilled in place
	// by a JavaScript callback (crypto.randomFillSync) when used up.
	static uint32_t _next_mask(void *p_user);

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

	// The per-packet path, as plain Node-API functions on the class (Session.receive, ...) that
	// take the session's handle() as first argument: an External resolves to this object without
	// the wrapped-object lookup every instance method pays (napi_unwrap was ~10% of an echo).
	static napi_value _fast_receive(napi_env p_env, napi_callback_info p_info);
	static napi_value _fast_take_inbound(napi_env p_env, napi_callback_info p_info);
	static napi_value _fast_queue(napi_env p_env, napi_callback_info p_info);
	static napi_value _fast_take_output(napi_env p_env, napi_callback_info p_info);
	static SessionWrap *_from_handle(napi_env p_env, napi_value p_handle);

	// Feeds one Uint8Array or an array of them; false (with a JS exception pending) on bad input.
	bool _feed_input(napi_env p_env, napi_value p_input, size_t p_message_room, size_t p_byte_room, size_t &r_consumed);
	// Writes the inbound records into p_meta and returns their payload bytes (see _fast_receive).
	napi_value _take_inbound_into(napi_env p_env, double *p_meta, size_t p_meta_length);
	uint32_t _state_flags() const;

	static constexpr uint32_t MAGIC = 0x67647773; // "gdws": a cheap guard against foreign handles
	uint32_t _magic = MAGIC;
	std::unique_ptr<gdws::Session> _session;
	Napi::Reference<Napi::Uint8Array> _mask_pool;
	Napi::FunctionReference _refill_mask_pool;
	// The pool's bytes, resolved once: its ArrayBuffer is held by _mask_pool and refilled in place.
	uint8_t *_mask_data = nullptr;
	size_t _mask_length = 0;
	size_t _mask_index = 0;
};

} // namespace gdws_node
