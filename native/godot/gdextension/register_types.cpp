// The GDExtension entry point (named in gdws.gdextension) and WebSocketCodec's registration on
// the C interface: a RefCounted class whose methods, from codec_methods.h, are reachable both by
// Variant calls (checked argument count and types) and by ptrcalls.
#include "web_socket_codec.h"

#include <cstring>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(_WIN32)
#define GDWS_EXPORT __declspec(dllexport)
#else
#define GDWS_EXPORT __attribute__((visibility("default")))
#endif

namespace {

using gdws_godot::WebSocketCodec;

constexpr uint32_t PROPERTY_USAGE_DEFAULT = 6; // Godot's PROPERTY_USAGE_STORAGE | PROPERTY_USAGE_EDITOR
constexpr int64_t NOTIFICATION_POSTINITIALIZE = 0;

GDExtensionClassLibraryPtr library = nullptr;

// How a parameter or return type crosses the interface: its Variant type, and its conversions
// from and to a ptrcall slot and a Variant.
template <typename T>
struct Arg;

template <>
struct Arg<int64_t> {
	static constexpr GDExtensionVariantType type = GDEXTENSION_VARIANT_TYPE_INT;
	static constexpr GDExtensionClassMethodArgumentMetadata metadata = GDEXTENSION_METHOD_ARGUMENT_METADATA_INT_IS_INT64;
	static int64_t from_ptr(GDExtensionConstTypePtr p_value) { return *static_cast<const int64_t *>(p_value); }
	static int64_t from_variant(GDExtensionConstVariantPtr p_variant) {
		return *static_cast<const int64_t *>(gdx::api.types[type].internal(const_cast<GDExtensionVariantPtr>(p_variant)));
	}
	static void to_ptr(int64_t p_value, GDExtensionTypePtr r_slot) { *static_cast<int64_t *>(r_slot) = p_value; }
};

template <>
struct Arg<bool> {
	static constexpr GDExtensionVariantType type = GDEXTENSION_VARIANT_TYPE_BOOL;
	static constexpr GDExtensionClassMethodArgumentMetadata metadata = GDEXTENSION_METHOD_ARGUMENT_METADATA_NONE;
	static bool from_ptr(GDExtensionConstTypePtr p_value) { return *static_cast<const bool *>(p_value); }
	static bool from_variant(GDExtensionConstVariantPtr p_variant) {
		return *static_cast<const bool *>(gdx::api.types[type].internal(const_cast<GDExtensionVariantPtr>(p_variant)));
	}
	static void to_ptr(bool p_value, GDExtensionTypePtr r_slot) { *static_cast<bool *>(r_slot) = p_value; }
};

// String, PackedByteArray, PackedStringArray, Dictionary, Array.
template <typename T>
struct ValueArg {
	static constexpr GDExtensionVariantType type = T::TYPE;
	static constexpr GDExtensionClassMethodArgumentMetadata metadata = GDEXTENSION_METHOD_ARGUMENT_METADATA_NONE;
	static T from_ptr(GDExtensionConstTypePtr p_value) { return T::copy_of(p_value); }
	static T from_variant(GDExtensionConstVariantPtr p_variant) { return T::from_variant(p_variant); }
	static void to_ptr(const T &p_value, GDExtensionTypePtr r_slot) { p_value.assign_to(r_slot); }
};
template <>
struct Arg<gdx::String> : ValueArg<gdx::String> {};
template <>
struct Arg<gdx::PackedByteArray> : ValueArg<gdx::PackedByteArray> {};
template <>
struct Arg<gdx::PackedStringArray> : ValueArg<gdx::PackedStringArray> {};
template <>
struct Arg<gdx::Dictionary> : ValueArg<gdx::Dictionary> {};
template <>
struct Arg<gdx::Array> : ValueArg<gdx::Array> {};

template <auto F>
struct Binder;

template <typename R, typename... As, R (WebSocketCodec::*F)(As...)>
struct Binder<F> {
	static constexpr GDExtensionInt COUNT = sizeof...(As);

	static void call(void *, GDExtensionClassInstancePtr p_instance, const GDExtensionConstVariantPtr *p_args, GDExtensionInt p_count,
			GDExtensionVariantPtr r_return, GDExtensionCallError *r_error) {
		r_error->error = GDEXTENSION_CALL_OK;
		r_error->argument = 0;
		r_error->expected = 0;
		if (p_count != COUNT) {
			r_error->error = p_count < COUNT ? GDEXTENSION_CALL_ERROR_TOO_FEW_ARGUMENTS : GDEXTENSION_CALL_ERROR_TOO_MANY_ARGUMENTS;
			r_error->expected = int32_t(COUNT);
			return;
		}
		const GDExtensionVariantType expected[] = { Arg<As>::type..., GDEXTENSION_VARIANT_TYPE_NIL };
		for (GDExtensionInt i = 0; i < COUNT; i++) {
			if (gdx::api.variant_get_type(p_args[i]) != expected[i]) {
				r_error->error = GDEXTENSION_CALL_ERROR_INVALID_ARGUMENT;
				r_error->argument = int32_t(i);
				r_error->expected = int32_t(expected[i]);
				return;
			}
		}
		invoke_call(static_cast<WebSocketCodec *>(p_instance), p_args, r_return, std::index_sequence_for<As...>());
	}

	static void ptrcall(void *, GDExtensionClassInstancePtr p_instance, const GDExtensionConstTypePtr *p_args, GDExtensionTypePtr r_return) {
		invoke_ptrcall(static_cast<WebSocketCodec *>(p_instance), p_args, r_return, std::index_sequence_for<As...>());
	}

	template <size_t... I>
	static void invoke_call(WebSocketCodec *p_self, const GDExtensionConstVariantPtr *p_args, GDExtensionVariantPtr r_return,
			std::index_sequence<I...>) {
		if constexpr (std::is_void_v<R>) {
			(p_self->*F)(Arg<As>::from_variant(p_args[I])...);
		} else {
			gdx::Variant((p_self->*F)(Arg<As>::from_variant(p_args[I])...)).assign_to(r_return);
		}
	}

	template <size_t... I>
	static void invoke_ptrcall(WebSocketCodec *p_self, const GDExtensionConstTypePtr *p_args, GDExtensionTypePtr r_return,
			std::index_sequence<I...>) {
		if constexpr (std::is_void_v<R>) {
			(p_self->*F)(Arg<As>::from_ptr(p_args[I])...);
		} else {
			Arg<R>::to_ptr((p_self->*F)(Arg<As>::from_ptr(p_args[I])...), r_return);
		}
	}
};

// A PropertyInfo whose StringNames and String live as long as it does.
struct Property {
	gdx::StringName name;
	gdx::StringName class_name{ "" };
	gdx::String hint;
	GDExtensionPropertyInfo info;

	Property(const char *p_name, GDExtensionVariantType p_type) :
			name(p_name) {
		info.type = p_type;
		info.name = name.ptr();
		info.class_name = class_name.ptr();
		info.hint = 0;
		info.hint_string = hint.ptr();
		info.usage = PROPERTY_USAGE_DEFAULT;
	}
	Property(const Property &) = delete;
};

template <auto F>
struct Registrar;

template <typename R, typename... As, R (WebSocketCodec::*F)(As...)>
struct Registrar<F> {
	static void add(const gdx::StringName &p_class, const char *p_name, const std::vector<const char *> &p_argument_names) {
		const gdx::StringName name(p_name);
		const GDExtensionVariantType types[] = { Arg<As>::type..., GDEXTENSION_VARIANT_TYPE_NIL };
		GDExtensionClassMethodArgumentMetadata metadata[] = { Arg<As>::metadata..., GDEXTENSION_METHOD_ARGUMENT_METADATA_NONE };
		std::vector<std::unique_ptr<Property>> arguments;
		std::vector<GDExtensionPropertyInfo> infos;
		size_t i = 0;
		for (const char *argument : p_argument_names) {
			arguments.emplace_back(new Property(argument, types[i++]));
			infos.push_back(arguments.back()->info);
		}

		GDExtensionClassMethodInfo method = {};
		method.name = const_cast<GDExtensionTypePtr>(name.ptr());
		method.method_userdata = nullptr;
		method.call_func = &Binder<F>::call;
		method.ptrcall_func = &Binder<F>::ptrcall;
		method.method_flags = GDEXTENSION_METHOD_FLAGS_DEFAULT;
		method.argument_count = uint32_t(infos.size());
		method.arguments_info = infos.data();
		method.arguments_metadata = metadata;
		if constexpr (std::is_void_v<R>) {
			method.has_return_value = false;
			gdx::api.classdb_register_extension_class_method(library, p_class.ptr(), &method);
		} else {
			Property result("", Arg<R>::type);
			method.has_return_value = true;
			method.return_value_info = &result.info;
			method.return_value_metadata = Arg<R>::metadata;
			gdx::api.classdb_register_extension_class_method(library, p_class.ptr(), &method);
		}
	}
};

template <auto F>
void add_method(const gdx::StringName &p_class, const char *p_name, const std::vector<const char *> &p_argument_names) {
	Registrar<F>::add(p_class, p_name, p_argument_names);
}

// codec_methods.h writes argument names with a leading comma (for D_METHOD); a leading nullptr
// turns them into a call.
template <typename... Names>
std::vector<const char *> argument_names(std::nullptr_t, Names... p_names) {
	return { p_names... };
}

///
/// The class
///

GDExtensionObjectPtr create_instance(void *, GDExtensionBool p_notify_postinitialize) {
	const gdx::StringName parent("RefCounted");
	const gdx::StringName name("WebSocketCodec");
	GDExtensionObjectPtr object = gdx::api.classdb_construct_object2(parent.ptr());
	if (!object) {
		return nullptr;
	}
	gdx::api.object_set_instance(object, name.ptr(), new WebSocketCodec());
	if (p_notify_postinitialize) {
		const bool reversed = false;
		const GDExtensionConstTypePtr args[] = { &NOTIFICATION_POSTINITIALIZE, &reversed };
		gdx::api.object_method_bind_ptrcall(gdx::api.object_notification, object, args, nullptr);
	}
	return object;
}

void free_instance(void *, GDExtensionClassInstancePtr p_instance) {
	delete static_cast<WebSocketCodec *>(p_instance);
}

GDExtensionClassCallVirtual get_virtual(void *, GDExtensionConstStringNamePtr, uint32_t) {
	return nullptr; // WebSocketCodec overrides no virtual method
}

bool registered = false;

void register_class() {
	const gdx::StringName name("WebSocketCodec");
	const gdx::StringName parent("RefCounted");
	const gdx::String no_icon;
	GDExtensionClassCreationInfo5 info = {};
	info.is_virtual = false;
	info.is_abstract = false;
	info.is_exposed = true;
	info.is_runtime = false;
	info.icon_path = no_icon.ptr();
	info.create_instance_func = &create_instance;
	info.free_instance_func = &free_instance;
	info.get_virtual_func = &get_virtual;
	gdx::api.classdb_register_extension_class5(library, name.ptr(), parent.ptr(), &info);

#define GDWS_REGISTER(m_ret, m_name, m_params, m_args, m_names) \
	add_method<&WebSocketCodec::m_name>(name, #m_name, argument_names(nullptr GDWS_UNPAREN m_names));
	GDWS_CODEC_METHODS(GDWS_REGISTER)
#undef GDWS_REGISTER
	registered = true;
}

void initialize(void *, GDExtensionInitializationLevel p_level) {
	if (p_level != GDEXTENSION_INITIALIZATION_SCENE) {
		return;
	}
	if (!gdx::load_types()) {
		gdx::print_error("gdws: WebSocketCodec is not registered", __func__, __LINE__);
		return;
	}
	register_class();
}

void deinitialize(void *, GDExtensionInitializationLevel p_level) {
	if (p_level != GDEXTENSION_INITIALIZATION_SCENE || !registered) {
		return;
	}
	const gdx::StringName name("WebSocketCodec");
	gdx::api.classdb_unregister_extension_class(library, name.ptr());
	registered = false;
}

} // namespace

extern "C" GDWS_EXPORT GDExtensionBool gdws_library_init(GDExtensionInterfaceGetProcAddress p_get_proc_address,
		GDExtensionClassLibraryPtr p_library, GDExtensionInitialization *r_initialization) {
	if (!gdx::load_functions(p_get_proc_address)) {
		return false;
	}
	library = p_library;
	r_initialization->minimum_initialization_level = GDEXTENSION_INITIALIZATION_SCENE;
	r_initialization->userdata = nullptr;
	r_initialization->initialize = &initialize;
	r_initialization->deinitialize = &deinitialize;
	return true;
}
