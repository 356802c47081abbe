#include "values.h"

#include <cstring>

namespace gdx {

String::String(std::string_view p_utf8) :
		Value(Uninitialized()) {
	api.string_new_with_utf8_chars_and_len2(_opaque, p_utf8.data(), GDExtensionInt(p_utf8.size()));
}

std::string String::utf8() const {
	const GDExtensionInt length = api.string_to_utf8_chars(_opaque, nullptr, 0);
	std::string result(size_t(length), '\0');
	if (length > 0) {
		api.string_to_utf8_chars(_opaque, result.data(), length);
	}
	return result;
}

StringName::StringName(const char *p_name) :
		Value(Uninitialized()) {
	api.string_name_new_with_utf8_chars(_opaque, p_name);
}

PackedByteArray::PackedByteArray(const uint8_t *p_data, size_t p_size) {
	if (p_size > 0) {
		resize(int64_t(p_size));
		std::memcpy(api.packed_byte_array_operator_index(_opaque, 0), p_data, p_size);
	}
}

const uint8_t *PackedByteArray::data() const {
	return size() > 0 ? api.packed_byte_array_operator_index_const(_opaque, 0) : nullptr;
}

String PackedStringArray::get(int64_t p_index) const {
	return String::copy_of(api.packed_string_array_operator_index_const(_opaque, p_index));
}

void PackedStringArray::set(int64_t p_index, const String &p_value) {
	p_value.assign_to(api.packed_string_array_operator_index(_opaque, p_index));
}

bool Dictionary::get(const char *p_key, Variant *r_value) const {
	// Through Variant::get_keyed: unlike the const index operator it reports an absent key.
	const Variant self(*this);
	const Variant key{ String(p_key) };
	GDExtensionBool valid = false;
	if (!api.variant_has_key(self.ptr(), key.ptr(), &valid) || !valid) {
		return false;
	}
	api.variant_destroy(r_value->_opaque);
	api.variant_get_keyed(self.ptr(), key.ptr(), r_value->_opaque, &valid);
	return valid;
}

void Dictionary::set(const char *p_key, const Variant &p_value) {
	const Variant key{ String(p_key) };
	p_value.assign_to(api.dictionary_operator_index(_opaque, key.ptr()));
}

GDExtensionConstVariantPtr Array::at(int64_t p_index) const {
	return api.array_operator_index_const(_opaque, p_index);
}

void Array::append(const Variant &p_value) {
	const GDExtensionConstTypePtr args[] = { p_value.ptr() };
	api.types[TYPE].append(_opaque, args, nullptr, 1);
}

} // namespace gdx
