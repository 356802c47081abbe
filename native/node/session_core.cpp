#include "session_core.h"

namespace gdws_node {

namespace {

uint32_t next_mask(void *p_core) {
	SessionCore *core = static_cast<SessionCore *>(p_core);
	if (core->mask_index + 4 > core->mask_length) {
		napi_value refill, pool, global, ignored;
		napi_get_reference_value(core->env, core->refill_mask_pool, &refill);
		napi_get_reference_value(core->env, core->mask_pool, &pool);
		napi_get_global(core->env, &global);
		napi_call_function(core->env, global, refill, 1, &pool, &ignored);
		core->mask_index = 0;
	}
	const uint8_t *bytes = core->mask_data + core->mask_index;
	core->mask_index += 4;
	return (uint32_t(bytes[0]) << 24) | (uint32_t(bytes[1]) << 16) | (uint32_t(bytes[2]) << 8) | bytes[3];
}

gdws::Config with_mask_source(gdws::Config p_config, SessionCore *p_core) {
	if (p_config.role == gdws::Role::CLIENT) {
		p_config.mask_source = &next_mask;
		p_config.mask_user = p_core;
	}
	return p_config;
}

void finalize(napi_env p_env, void *p_data, void *) {
	SessionCore *core = static_cast<SessionCore *>(p_data);
	if (core->mask_pool != nullptr) {
		napi_delete_reference(p_env, core->mask_pool);
		napi_delete_reference(p_env, core->refill_mask_pool);
	}
	delete core;
}

} // namespace

SessionCore::SessionCore(const gdws::Config &p_config) :
		session(with_mask_source(p_config, this)) {
}

napi_value create_session_handle(napi_env p_env, gdws::Config p_config, napi_value p_mask_pool, napi_value p_refill) {
	uint8_t *pool_data = nullptr;
	size_t pool_length = 0;
	if (p_config.role == gdws::Role::CLIENT) {
		napi_typedarray_type type;
		void *data = nullptr;
		napi_valuetype refill_type = napi_undefined;
		if (p_mask_pool == nullptr || p_refill == nullptr ||
				napi_get_typedarray_info(p_env, p_mask_pool, &type, &pool_length, &data, nullptr, nullptr) != napi_ok ||
				type != napi_uint8_array || napi_typeof(p_env, p_refill, &refill_type) != napi_ok || refill_type != napi_function) {
			napi_throw_type_error(p_env, nullptr, "a client session needs a mask pool (Uint8Array) and a refill function");
			return nullptr;
		}
		if (pool_length < 4 || pool_length % 4 != 0) {
			napi_throw_type_error(p_env, nullptr, "the mask pool length must be a non-zero multiple of 4");
			return nullptr;
		}
		pool_data = static_cast<uint8_t *>(data);
	}
	SessionCore *core = new SessionCore(p_config);
	if (p_config.role == gdws::Role::CLIENT) {
		core->env = p_env;
		core->mask_data = pool_data;
		core->mask_length = pool_length;
		napi_create_reference(p_env, p_mask_pool, 1, &core->mask_pool);
		napi_create_reference(p_env, p_refill, 1, &core->refill_mask_pool);
	}
	napi_value handle;
	if (napi_create_external(p_env, core, &finalize, nullptr, &handle) != napi_ok) {
		finalize(p_env, core, nullptr);
		return nullptr;
	}
	return handle;
}

SessionCore *session_from_handle(napi_env p_env, napi_value p_handle) {
	void *pointer = nullptr;
	if (napi_get_value_external(p_env, p_handle, &pointer) != napi_ok || pointer == nullptr ||
			static_cast<SessionCore *>(pointer)->magic != SessionCore::MAGIC) {
		return nullptr;
	}
	return static_cast<SessionCore *>(pointer);
}

} // namespace gdws_node
