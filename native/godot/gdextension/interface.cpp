#include "interface.h"

#include "values.h"

namespace gdx {

Interface api;

namespace {

// Signature hashes (the same for every packed array and Array with that signature).
constexpr GDExtensionInt HASH_SIZE = 3173160232; // int size() const
constexpr GDExtensionInt HASH_RESIZE = 848867239; // int resize(int)
constexpr GDExtensionInt HASH_ARRAY_APPEND = 3316032543; // void Array.append(Variant)
constexpr GDExtensionInt HASH_OBJECT_NOTIFICATION = 4023243586; // void Object.notification(int, bool)
constexpr GDExtensionInt HASH_CRYPTO_GENERATE_RANDOM_BYTES = 47165747; // PackedByteArray Crypto.generate_random_bytes(int)

bool load_type(GDExtensionVariantType p_type, bool p_value_type) {
	TypeFunctions &functions = api.types[p_type];
	functions.to_variant = api.get_variant_from_type_constructor(p_type);
	functions.internal = api.variant_get_ptr_internal_getter(p_type);
	if (!p_value_type) {
		return functions.to_variant && functions.internal;
	}
	functions.construct = api.variant_get_ptr_constructor(p_type, 0);
	functions.copy = api.variant_get_ptr_constructor(p_type, 1);
	functions.destroy = api.variant_get_ptr_destructor(p_type);
	return functions.to_variant && functions.internal && functions.construct && functions.copy && functions.destroy;
}

GDExtensionPtrBuiltInMethod builtin(GDExtensionVariantType p_type, const char *p_name, GDExtensionInt p_hash) {
	const StringName name(p_name);
	return api.variant_get_ptr_builtin_method(p_type, name.ptr(), p_hash);
}

GDExtensionMethodBindPtr method_bind(const char *p_class, const char *p_method, GDExtensionInt p_hash) {
	const StringName class_name(p_class);
	const StringName method(p_method);
	return api.classdb_get_method_bind(class_name.ptr(), method.ptr(), p_hash);
}

} // namespace

void print_error(const char *p_message, const char *p_function, int p_line) {
	if (api.print_error) {
		api.print_error(p_message, p_function, __FILE__, p_line, false);
	}
}

bool load_functions(GDExtensionInterfaceGetProcAddress p_get_proc_address) {
	// print_error first, so that a missing function can be named.
	bool complete = true;
#define GDX_LOAD_FUNCTION(m_type, m_name) \
	api.m_name = reinterpret_cast<m_type>(p_get_proc_address(#m_name)); \
	if (!api.m_name) { \
		print_error("gdws: this Godot lacks the GDExtension function " #m_name " (Godot 4.5 or later is needed)", __func__, __LINE__); \
		complete = false; \
	}
	GDX_INTERFACE_FUNCTIONS(GDX_LOAD_FUNCTION)
#undef GDX_LOAD_FUNCTION
	return complete;
}

bool load_types() {
	bool complete = load_type(GDEXTENSION_VARIANT_TYPE_BOOL, false) && load_type(GDEXTENSION_VARIANT_TYPE_INT, false);
	const GDExtensionVariantType values[] = {
		GDEXTENSION_VARIANT_TYPE_STRING,
		GDEXTENSION_VARIANT_TYPE_STRING_NAME,
		GDEXTENSION_VARIANT_TYPE_DICTIONARY,
		GDEXTENSION_VARIANT_TYPE_ARRAY,
		GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY,
		GDEXTENSION_VARIANT_TYPE_PACKED_STRING_ARRAY,
	};
	for (GDExtensionVariantType type : values) {
		complete = load_type(type, true) && complete;
	}
	if (!complete) {
		return false; // StringName (needed below) may not work
	}
	for (GDExtensionVariantType type : { GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY, GDEXTENSION_VARIANT_TYPE_PACKED_STRING_ARRAY,
				 GDEXTENSION_VARIANT_TYPE_ARRAY }) {
		api.types[type].size = builtin(type, "size", HASH_SIZE);
		api.types[type].resize = builtin(type, "resize", HASH_RESIZE);
		complete = complete && api.types[type].size && api.types[type].resize;
	}
	api.types[GDEXTENSION_VARIANT_TYPE_ARRAY].append = builtin(GDEXTENSION_VARIANT_TYPE_ARRAY, "append", HASH_ARRAY_APPEND);
	api.object_notification = method_bind("Object", "notification", HASH_OBJECT_NOTIFICATION);
	api.crypto_generate_random_bytes = method_bind("Crypto", "generate_random_bytes", HASH_CRYPTO_GENERATE_RANDOM_BYTES);
	complete = complete && api.types[GDEXTENSION_VARIANT_TYPE_ARRAY].append && api.object_notification && api.crypto_generate_random_bytes;
	if (!complete) {
		print_error("gdws: a builtin method or method bind was not found (hash mismatch?)", __func__, __LINE__);
	}
	return complete;
}

} // namespace gdx
