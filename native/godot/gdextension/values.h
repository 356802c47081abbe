// Godot's Variant types, held and released through the GDExtension interface: the handful that
// WebSocketCodec exchanges with GDScript (String, StringName, PackedByteArray, PackedStringArray,
// Dictionary, Array, Variant). Each owns opaque storage at least as large as Godot's value on any
// build and is constructed, copied and destroyed only by Godot's own functions.
#pragma once

#include "interface.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gdx {

// Largest String, StringName, Packed*Array, Dictionary or Array: one or two pointers.
constexpr size_t VALUE_STORAGE = 16;
// Largest Variant: 24 bytes with 32-bit reals, 40 with 64-bit reals.
constexpr size_t VARIANT_STORAGE = 40;

template <GDExtensionVariantType T>
class Value {
public:
	static constexpr GDExtensionVariantType TYPE = T;

	Value() { api.types[T].construct(_opaque, nullptr); }
	Value(const Value &p_other) { copy_construct(_opaque, p_other._opaque); }
	~Value() { api.types[T].destroy(_opaque); }
	Value &operator=(const Value &p_other) {
		if (this != &p_other) {
			api.types[T].destroy(_opaque);
			copy_construct(_opaque, p_other._opaque);
		}
		return *this;
	}

	// A copy of a value Godot owns (a ptrcall argument, an array element).
	static Value copy_of(GDExtensionConstTypePtr p_value) {
		Value result{ Uninitialized() };
		copy_construct(result._opaque, p_value);
		return result;
	}
	// A copy of the value inside a Variant that holds this type.
	static Value from_variant(GDExtensionConstVariantPtr p_variant) {
		return copy_of(api.types[T].internal(const_cast<GDExtensionVariantPtr>(p_variant)));
	}

	GDExtensionTypePtr ptr() { return _opaque; }
	GDExtensionConstTypePtr ptr() const { return _opaque; }

	// Replaces the value at p_target (initialized, owned by Godot: a ptrcall's return slot).
	void assign_to(GDExtensionTypePtr p_target) const {
		api.types[T].destroy(p_target);
		copy_construct(p_target, _opaque);
	}
	// Constructs a Variant holding a copy of this value at p_variant (uninitialized).
	void to_variant(GDExtensionUninitializedVariantPtr p_variant) const {
		api.types[T].to_variant(p_variant, const_cast<GDExtensionTypePtr>(static_cast<GDExtensionConstTypePtr>(_opaque)));
	}

	int64_t size() const {
		int64_t size = 0;
		api.types[T].size(const_cast<GDExtensionTypePtr>(static_cast<GDExtensionConstTypePtr>(_opaque)), nullptr, &size, 0);
		return size;
	}
	void resize(int64_t p_size) {
		const GDExtensionConstTypePtr args[] = { &p_size };
		int64_t error = 0;
		api.types[T].resize(_opaque, args, &error, 1);
	}

protected:
	struct Uninitialized {};
	explicit Value(Uninitialized) {}

	static void copy_construct(GDExtensionUninitializedTypePtr p_target, GDExtensionConstTypePtr p_source) {
		const GDExtensionConstTypePtr args[] = { p_source };
		api.types[T].copy(p_target, args);
	}

	alignas(8) uint8_t _opaque[VALUE_STORAGE] = {};
};

class String : public Value<GDEXTENSION_VARIANT_TYPE_STRING> {
public:
	using Value::Value;
	String() = default;
	String(const Value &p_value) :
			Value(p_value) {}
	// From UTF-8 bytes (NUL bytes included).
	explicit String(std::string_view p_utf8);
	std::string utf8() const;
};

class StringName : public Value<GDEXTENSION_VARIANT_TYPE_STRING_NAME> {
public:
	explicit StringName(const char *p_name);
};

class PackedByteArray : public Value<GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY> {
public:
	using Value::Value;
	PackedByteArray() = default;
	PackedByteArray(const Value &p_value) :
			Value(p_value) {}
	PackedByteArray(const uint8_t *p_data, size_t p_size);
	// Null when empty (the interface refuses index 0 of an empty array).
	const uint8_t *data() const;
};

class PackedStringArray : public Value<GDEXTENSION_VARIANT_TYPE_PACKED_STRING_ARRAY> {
public:
	using Value::Value;
	PackedStringArray() = default;
	PackedStringArray(const Value &p_value) :
			Value(p_value) {}
	String get(int64_t p_index) const;
	void set(int64_t p_index, const String &p_value);
};

class Variant {
public:
	Variant() { api.variant_new_nil(_opaque); }
	Variant(const Variant &p_other) { api.variant_new_copy(_opaque, p_other._opaque); }
	Variant &operator=(const Variant &p_other) = delete;
	~Variant() { api.variant_destroy(_opaque); }

	template <GDExtensionVariantType T>
	explicit Variant(const Value<T> &p_value) { p_value.to_variant(_opaque); }
	explicit Variant(int64_t p_value) { api.types[GDEXTENSION_VARIANT_TYPE_INT].to_variant(_opaque, &p_value); }
	explicit Variant(bool p_value) { api.types[GDEXTENSION_VARIANT_TYPE_BOOL].to_variant(_opaque, &p_value); }

	GDExtensionVariantType type() const { return api.variant_get_type(_opaque); }
	GDExtensionVariantPtr ptr() { return _opaque; }
	GDExtensionConstVariantPtr ptr() const { return _opaque; }

	// Replaces the Variant at p_target (initialized, owned by Godot) with a copy of this one.
	void assign_to(GDExtensionVariantPtr p_target) const {
		api.variant_destroy(p_target);
		api.variant_new_copy(p_target, _opaque);
	}

private:
	friend class Dictionary;
	struct Uninitialized {};
	explicit Variant(Uninitialized) {}

	alignas(8) uint8_t _opaque[VARIANT_STORAGE] = {};
};

class Dictionary : public Value<GDEXTENSION_VARIANT_TYPE_DICTIONARY> {
public:
	using Value::Value;
	Dictionary() = default;
	Dictionary(const Value &p_value) :
			Value(p_value) {}
	// False when the key is absent.
	bool get(const char *p_key, Variant *r_value) const;
	void set(const char *p_key, const Variant &p_value);
};

class Array : public Value<GDEXTENSION_VARIANT_TYPE_ARRAY> {
public:
	using Value::Value;
	Array() = default;
	Array(const Value &p_value) :
			Value(p_value) {}
	// The element at p_index, owned by the array.
	GDExtensionConstVariantPtr at(int64_t p_index) const;
	void append(const Variant &p_value);
};

} // namespace gdx
