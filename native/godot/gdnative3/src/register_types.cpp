// GDNative entry points (Godot 3 calls them when it loads the library named in gdws.gdnlib) and
// WebSocketCodec's method registration. Methods are registered with a call wrapper that checks
// the argument count and types, so a wrong call prints an error and returns null instead of
// reading arguments that were not passed.
#include "web_socket_codec.h"

#include <utility>

namespace {

using godot::Variant;
using godot::WebSocketCodec;

template <typename T>
struct ArgType;
template <>
struct ArgType<int64_t> {
	static constexpr Variant::Type type = Variant::INT;
};
template <>
struct ArgType<bool> {
	static constexpr Variant::Type type = Variant::BOOL;
};
template <>
struct ArgType<godot::String> {
	static constexpr Variant::Type type = Variant::STRING;
};
template <>
struct ArgType<godot::PoolByteArray> {
	static constexpr Variant::Type type = Variant::POOL_BYTE_ARRAY;
};
template <>
struct ArgType<godot::PoolStringArray> {
	static constexpr Variant::Type type = Variant::POOL_STRING_ARRAY;
};
template <>
struct ArgType<godot::Dictionary> {
	static constexpr Variant::Type type = Variant::DICTIONARY;
};
template <>
struct ArgType<godot::Array> {
	static constexpr Variant::Type type = Variant::ARRAY;
};

// Printed as "ERROR: WebSocketCodec.<method>: <problem>".
void report(const char *p_method, const godot::String &p_problem) {
	godot::Godot::print_error(p_problem, godot::String("WebSocketCodec.") + p_method, __FILE__, __LINE__);
}

template <auto F>
struct Binder;

template <typename R, typename... As, R (WebSocketCodec::*F)(As...)>
struct Binder<F> {
	static godot_variant call(godot_object *, void *p_method_data, void *p_user_data, int p_count, godot_variant **p_args) {
		const char *name = static_cast<const char *>(p_method_data);
		godot_variant result;
		godot::api->godot_variant_new_nil(&result);
		if (p_count != int(sizeof...(As))) {
			report(name, godot::String("expected {0} arguments, got {1}").format(godot::Array::make(int64_t(sizeof...(As)), p_count)));
			return result;
		}
		Variant **args = reinterpret_cast<Variant **>(p_args);
		const Variant::Type expected[] = { ArgType<As>::type..., Variant::NIL };
		for (int i = 0; i < p_count; i++) {
			if (args[i]->get_type() != expected[i]) {
				report(name, godot::String("argument {0} has the wrong type").format(godot::Array::make(i + 1)));
				return result;
			}
		}
		invoke(static_cast<WebSocketCodec *>(p_user_data), args, &result, std::index_sequence_for<As...>());
		return result;
	}

	template <size_t... I>
	static void invoke(WebSocketCodec *p_self, Variant **p_args, godot_variant *r_result, std::index_sequence<I...>) {
		if constexpr (std::is_void_v<R>) {
			(p_self->*F)(static_cast<As>(*p_args[I])...);
		} else {
			const Variant value((p_self->*F)(static_cast<As>(*p_args[I])...));
			godot::api->godot_variant_destroy(r_result);
			godot::api->godot_variant_new_copy(r_result, reinterpret_cast<const godot_variant *>(&value));
		}
	}
};

template <auto F>
void register_checked(const char *p_name) {
	godot_instance_method method = {};
	method.method = &Binder<F>::call;
	method.method_data = const_cast<char *>(p_name); // a string literal: nothing to free
	godot_method_attributes attributes = {};
	attributes.rpc_type = GODOT_METHOD_RPC_MODE_DISABLED;
	godot::nativescript_api->godot_nativescript_register_method(godot::_RegisterState::nativescript_handle,
			WebSocketCodec::___get_class_name(), p_name, attributes, method);
}

} // namespace

void WebSocketCodec::_register_methods() {
#define GDWS_REGISTER(m_ret, m_name, m_params, m_args, m_names) register_checked<&WebSocketCodec::m_name>(#m_name);
	GDWS_CODEC_METHODS(GDWS_REGISTER)
#undef GDWS_REGISTER
}

extern "C" void GDN_EXPORT godot_gdnative_init(godot_gdnative_init_options *p_options) {
	godot::Godot::gdnative_init(p_options);
}

extern "C" void GDN_EXPORT godot_gdnative_terminate(godot_gdnative_terminate_options *p_options) {
	godot::Godot::gdnative_terminate(p_options);
}

extern "C" void GDN_EXPORT godot_nativescript_init(void *p_handle) {
	godot::Godot::nativescript_init(p_handle);
	godot::register_class<WebSocketCodec>();
}
