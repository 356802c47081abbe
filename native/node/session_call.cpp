#include "session_call.h"

namespace gdws_node {

SessionCall::SessionCall(napi_env p_env, napi_callback_info p_info, const char *p_usage, size_t p_argc, bool p_handle_first) :
		_env(p_env), _usage(p_usage) {
	if (napi_get_cb_info(p_env, p_info, &_argc, _argv, nullptr, nullptr) != napi_ok || _argc < p_argc) {
		_failed = true;
		return;
	}
	if (p_handle_first) {
		_core = session_from_handle(p_env, _argv[0]);
		_failed = _core == nullptr;
	}
}

bool SessionCall::has(size_t p_index) const {
	napi_valuetype type = napi_undefined;
	return p_index < _argc && napi_typeof(_env, _argv[p_index], &type) == napi_ok && type != napi_undefined;
}

double SessionCall::number(size_t p_index) {
	double value = 0;
	if (_failed || napi_get_value_double(_env, _argv[p_index], &value) != napi_ok) {
		_failed = true;
		return 0;
	}
	return value;
}

size_t SessionCall::room(size_t p_index) {
	const double value = number(p_index);
	return value >= 9007199254740992.0 ? SIZE_MAX : static_cast<size_t>(value > 0 ? value : 0);
}

const uint8_t *SessionCall::bytes(size_t p_index, size_t &r_length) {
	napi_typedarray_type type;
	void *data = nullptr;
	r_length = 0;
	if (_failed || napi_get_typedarray_info(_env, _argv[p_index], &type, &r_length, &data, nullptr, nullptr) != napi_ok ||
			type != napi_uint8_array) {
		_failed = true;
		r_length = 0;
		return nullptr;
	}
	return static_cast<const uint8_t *>(data);
}

double *SessionCall::float64s(size_t p_index, size_t &r_length) {
	napi_typedarray_type type;
	void *data = nullptr;
	r_length = 0;
	if (_failed || napi_get_typedarray_info(_env, _argv[p_index], &type, &r_length, &data, nullptr, nullptr) != napi_ok ||
			type != napi_float64_array) {
		_failed = true;
		r_length = 0;
		return nullptr;
	}
	return static_cast<double *>(data);
}

void SessionCall::chunks(size_t p_index, std::vector<gdws::Chunk> &r_chunks) {
	r_chunks.clear();
	if (_failed) {
		return;
	}
	napi_valuetype type = napi_undefined;
	napi_typeof(_env, _argv[p_index], &type);
	if (type == napi_null || type == napi_undefined) {
		return;
	}
	bool is_array = false;
	uint32_t count = 0;
	if (napi_is_array(_env, _argv[p_index], &is_array) != napi_ok || !is_array || napi_get_array_length(_env, _argv[p_index], &count) != napi_ok) {
		_failed = true;
		return;
	}
	r_chunks.reserve(count);
	for (uint32_t i = 0; i < count; i++) {
		napi_value element;
		napi_typedarray_type element_type;
		void *data = nullptr;
		size_t length = 0;
		if (napi_get_element(_env, _argv[p_index], i, &element) != napi_ok ||
				napi_get_typedarray_info(_env, element, &element_type, &length, &data, nullptr, nullptr) != napi_ok ||
				element_type != napi_uint8_array) {
			_failed = true;
			r_chunks.clear();
			return;
		}
		r_chunks.push_back({ static_cast<uint8_t *>(data), length });
	}
}

napi_value SessionCall::fail() {
	if (!_thrown) {
		bool pending = false;
		napi_is_exception_pending(_env, &pending);
		if (!pending) {
			napi_throw_type_error(_env, nullptr, _usage);
		}
		_thrown = true;
	}
	return nullptr;
}

napi_value SessionCall::undefined() const {
	napi_value value;
	napi_get_undefined(_env, &value);
	return value;
}

napi_value SessionCall::null() const {
	napi_value value;
	napi_get_null(_env, &value);
	return value;
}

napi_value SessionCall::number_value(double p_value) const {
	napi_value value;
	napi_create_double(_env, p_value, &value);
	return value;
}

} // namespace gdws_node
