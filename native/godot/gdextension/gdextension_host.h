// CodecGlue's host for Godot 4 as a GDExtension: the Variant types of values.h and their
// conversions, on the GDExtension C interface alone (no godot-cpp).
#pragma once

#include "../glue/codec_glue.h"
#include "values.h"

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace gdws_godot {

struct GDExtensionHost {
	using String = gdx::String;
	using Bytes = gdx::PackedByteArray;
	using Strings = gdx::PackedStringArray;
	using Dictionary = gdx::Dictionary;
	using Array = gdx::Array;

	class Reader {
	public:
		explicit Reader(const Bytes &p_bytes) :
				_data(p_bytes.data()), _size(size_t(p_bytes.size())) {}
		const uint8_t *data() const { return _data; }
		size_t size() const { return _size; }

	private:
		const uint8_t *_data;
		size_t _size;
	};

	static Bytes bytes(const uint8_t *p_data, size_t p_size) { return Bytes(p_data, p_size); }
	static String string(std::string_view p_text) { return String(p_text); }
	static std::string utf8(const String &p_text) { return p_text.utf8(); }

	static std::vector<std::string> utf8_list(const Strings &p_list) {
		std::vector<std::string> result;
		const int64_t size = p_list.size();
		for (int64_t i = 0; i < size; i++) {
			result.push_back(p_list.get(i).utf8());
		}
		return result;
	}

	static Strings strings(const std::vector<std::string> &p_list) {
		Strings result;
		result.resize(int64_t(p_list.size()));
		for (size_t i = 0; i < p_list.size(); i++) {
			result.set(int64_t(i), String(p_list[i]));
		}
		return result;
	}

	static Lookup get_int(const Dictionary &p_dictionary, const char *p_key, int64_t *r_value) {
		gdx::Variant value;
		if (!p_dictionary.get(p_key, &value)) {
			return Lookup::MISSING;
		}
		if (value.type() != GDEXTENSION_VARIANT_TYPE_INT) {
			return Lookup::NOT_INT;
		}
		*r_value = *static_cast<const int64_t *>(gdx::api.types[GDEXTENSION_VARIANT_TYPE_INT].internal(value.ptr()));
		return Lookup::INT;
	}

	template <typename T>
	static void set(Dictionary &r_dictionary, const char *p_key, const T &p_value) {
		r_dictionary.set(p_key, gdx::Variant(p_value));
	}

	static size_t size(const Array &p_array) { return size_t(p_array.size()); }

	static bool bytes_at(const Array &p_array, size_t p_index, Bytes *r_bytes) {
		const GDExtensionConstVariantPtr element = p_array.at(int64_t(p_index));
		if (gdx::api.variant_get_type(element) != GDEXTENSION_VARIANT_TYPE_PACKED_BYTE_ARRAY) {
			return false;
		}
		*r_bytes = Bytes::from_variant(element);
		return true;
	}

	static void append(Array &r_array, const Dictionary &p_value) { r_array.append(gdx::Variant(p_value)); }

	// A Crypto made and freed here: it is never shared, so it is destroyed directly.
	static bool random(uint8_t *r_bytes, size_t p_count) {
		const gdx::StringName crypto_class("Crypto");
		GDExtensionObjectPtr crypto = gdx::api.classdb_construct_object2(crypto_class.ptr());
		if (!crypto) {
			return false;
		}
		const int64_t postinitialize = 0; // Object::NOTIFICATION_POSTINITIALIZE
		const bool reversed = false;
		const GDExtensionConstTypePtr notify_args[] = { &postinitialize, &reversed };
		gdx::api.object_method_bind_ptrcall(gdx::api.object_notification, crypto, notify_args, nullptr);
		const int64_t count = int64_t(p_count);
		const GDExtensionConstTypePtr args[] = { &count };
		Bytes random;
		gdx::api.object_method_bind_ptrcall(gdx::api.crypto_generate_random_bytes, crypto, args, random.ptr());
		gdx::api.object_destroy(crypto);
		if (size_t(random.size()) != p_count) {
			return false;
		}
		std::memcpy(r_bytes, random.data(), p_count);
		return true;
	}
};

} // namespace gdws_godot
