// The GDExtension C interface (gdextension_interface.h, Godot 4.5) as this library uses it: the
// interface functions it calls, looked up once by name, plus the per-type constructors,
// destructors and builtin methods of the few Variant types WebSocketCodec exchanges.
// Nothing here comes from extension_api.json: the builtin and class method hashes below are the
// published signature hashes of those methods (stable across Godot 4 releases).
#pragma once

#include <gdextension_interface.h>

namespace gdx {

#define GDX_INTERFACE_FUNCTIONS(F) \
	F(GDExtensionInterfacePrintError, print_error) \
	F(GDExtensionInterfaceVariantNewNil, variant_new_nil) \
	F(GDExtensionInterfaceVariantNewCopy, variant_new_copy) \
	F(GDExtensionInterfaceVariantDestroy, variant_destroy) \
	F(GDExtensionInterfaceVariantGetType, variant_get_type) \
	F(GDExtensionInterfaceVariantHasKey, variant_has_key) \
	F(GDExtensionInterfaceVariantGetKeyed, variant_get_keyed) \
	F(GDExtensionInterfaceGetVariantFromTypeConstructor, get_variant_from_type_constructor) \
	F(GDExtensionInterfaceGetVariantGetInternalPtrFunc, variant_get_ptr_internal_getter) \
	F(GDExtensionInterfaceVariantGetPtrConstructor, variant_get_ptr_constructor) \
	F(GDExtensionInterfaceVariantGetPtrDestructor, variant_get_ptr_destructor) \
	F(GDExtensionInterfaceVariantGetPtrBuiltinMethod, variant_get_ptr_builtin_method) \
	F(GDExtensionInterfaceStringNewWithUtf8CharsAndLen2, string_new_with_utf8_chars_and_len2) \
	F(GDExtensionInterfaceStringToUtf8Chars, string_to_utf8_chars) \
	F(GDExtensionInterfaceStringNameNewWithUtf8Chars, string_name_new_with_utf8_chars) \
	F(GDExtensionInterfacePackedByteArrayOperatorIndex, packed_byte_array_operator_index) \
	F(GDExtensionInterfacePackedByteArrayOperatorIndexConst, packed_byte_array_operator_index_const) \
	F(GDExtensionInterfacePackedStringArrayOperatorIndex, packed_string_array_operator_index) \
	F(GDExtensionInterfacePackedStringArrayOperatorIndexConst, packed_string_array_operator_index_const) \
	F(GDExtensionInterfaceArrayOperatorIndexConst, array_operator_index_const) \
	F(GDExtensionInterfaceDictionaryOperatorIndex, dictionary_operator_index) \
	F(GDExtensionInterfaceClassdbConstructObject2, classdb_construct_object2) \
	F(GDExtensionInterfaceClassdbGetMethodBind, classdb_get_method_bind) \
	F(GDExtensionInterfaceObjectMethodBindPtrcall, object_method_bind_ptrcall) \
	F(GDExtensionInterfaceObjectSetInstance, object_set_instance) \
	F(GDExtensionInterfaceObjectDestroy, object_destroy) \
	F(GDExtensionInterfaceClassdbRegisterExtensionClass5, classdb_register_extension_class5) \
	F(GDExtensionInterfaceClassdbRegisterExtensionClassMethod, classdb_register_extension_class_method) \
	F(GDExtensionInterfaceClassdbUnregisterExtensionClass, classdb_unregister_extension_class)

// What one Variant type offers through the interface (null where the type has none).
struct TypeFunctions {
	GDExtensionPtrConstructor construct = nullptr; // no arguments
	GDExtensionPtrConstructor copy = nullptr; // from a value of the same type
	GDExtensionPtrDestructor destroy = nullptr;
	GDExtensionVariantFromTypeConstructorFunc to_variant = nullptr; // into an uninitialized Variant
	GDExtensionVariantGetInternalPtrFunc internal = nullptr; // the value inside a Variant of this type
	GDExtensionPtrBuiltInMethod size = nullptr; // int size() const
	GDExtensionPtrBuiltInMethod resize = nullptr; // int resize(int)
	GDExtensionPtrBuiltInMethod append = nullptr; // Array: void append(Variant)
};

struct Interface {
#define GDX_DECLARE_FUNCTION(m_type, m_name) m_type m_name = nullptr;
	GDX_INTERFACE_FUNCTIONS(GDX_DECLARE_FUNCTION)
#undef GDX_DECLARE_FUNCTION
	TypeFunctions types[GDEXTENSION_VARIANT_TYPE_VARIANT_MAX];
	GDExtensionMethodBindPtr object_notification = nullptr; // Object.notification(int, bool)
	GDExtensionMethodBindPtr crypto_generate_random_bytes = nullptr; // Crypto.generate_random_bytes(int)
};

extern Interface api;

// Looks up every interface function; false (after printing what is missing, when it can) if the
// engine lacks one, i.e. it is older than Godot 4.5.
bool load_functions(GDExtensionInterfaceGetProcAddress p_get_proc_address);
// The per-type functions and the method binds; needs a running ClassDB (initialization level
// SCENE). False if one is missing.
bool load_types();

// Reports a failure through Godot's error log.
void print_error(const char *p_message, const char *p_function, int p_line);

} // namespace gdx
