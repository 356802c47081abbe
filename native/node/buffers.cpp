#include "buffers.h"

namespace gdws_node {

napi_value hand_over(napi_env p_env, std::vector<uint8_t> &&p_bytes) {
	napi_value result = nullptr;
	std::vector<uint8_t> *owned = new std::vector<uint8_t>(std::move(p_bytes));
	const napi_status status = napi_create_external_buffer(
			p_env, owned->size(), owned->data(), [](napi_env, void *, void *p_hint) { delete static_cast<std::vector<uint8_t> *>(p_hint); },
			owned, &result);
	if (status != napi_ok) {
		result = copy_to_buffer(p_env, owned->data(), owned->size());
		delete owned;
	}
	return result;
}

napi_value copy_to_buffer(napi_env p_env, const uint8_t *p_data, size_t p_length) {
	napi_value result = nullptr;
	napi_create_buffer_copy(p_env, p_length, p_data, nullptr, &result);
	return result;
}

} // namespace gdws_node
