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

	std::unique_ptr<gdws::Session> _session;
	Napi::Reference<Napi::Uint8Array> _mask_pool;
	Napi::FunctionReference _refill_mask_pool;
	size_t _mask_index = 0;
};

} // namespace gdws_node
