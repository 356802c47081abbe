// CodecGlue's host for Godot 4 as an engine module: the engine's own types and conversions.
// NOT COMPILED HERE (no Godot 4 source tree on our machines): written against Godot 4.5's API.
#pragma once

#include "core/crypto/crypto.h"
#include "core/string/ustring.h"
#include "core/variant/array.h"
#include "core/variant/dictionary.h"
#include "core/variant/variant.h"

#include "../glue/codec_glue.h"

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace gdws_godot {

struct ModuleHost {
	using String = ::String;
	using Bytes = ::PackedByteArray;
	using Strings = ::PackedStringArray;
	using Dictionary = ::Dictionary;
	using Array = ::Array;

	// Keeps a reference to the array, so its memory stays put while the Reader lives.
	class Reader {
	public:
		explicit Reader(const Bytes &p_bytes) :
				_bytes(p_bytes) {}
		const uint8_t *data() const { return _bytes.ptr(); }
		size_t size() const { return size_t(_bytes.size()); }

	private:
		Bytes _bytes;
	};

	static Bytes bytes(const uint8_t *p_data, size_t p_size) {
		Bytes result;
		result.resize(int64_t(p_size));
		if (p_size > 0) {
			std::memcpy(result.ptrw(), p_data, p_size);
		}
		return result;
	}

	static String string(std::string_view p_text) { return String::utf8(p_text.data(), int(p_text.size())); }

	static std::string utf8(const String &p_text) {
		const CharString utf8 = p_text.utf8();
		return std::string(utf8.get_data(), size_t(utf8.length()));
	}

	static std::vector<std::string> utf8_list(const Strings &p_list) {
		std::vector<std::string> result;
		for (int64_t i = 0; i < p_list.size(); i++) {
			result.push_back(utf8(p_list[i]));
		}
		return result;
	}

	static Strings strings(const std::vector<std::string> &p_list) {
		Strings result;
		for (const std::string &item : p_list) {
			result.push_back(string(item));
		}
		return result;
	}

	static Lookup get_int(const Dictionary &p_dictionary, const char *p_key, int64_t *r_value) {
		if (!p_dictionary.has(p_key)) {
			return Lookup::MISSING;
		}
		const Variant &value = p_dictionary[p_key];
		if (value.get_type() != Variant::INT) {
			return Lookup::NOT_INT;
		}
		*r_value = int64_t(value);
		return Lookup::INT;
	}

	template <typename T>
	static void set(Dictionary &r_dictionary, const char *p_key, const T &p_value) {
		r_dictionary[p_key] = p_value;
	}

	static size_t size(const Array &p_array) { return size_t(p_array.size()); }

	static bool bytes_at(const Array &p_array, size_t p_index, Bytes *r_bytes) {
		const Variant &value = p_array[int64_t(p_index)];
		if (value.get_type() != Variant::PACKED_BYTE_ARRAY) {
			return false;
		}
		*r_bytes = value;
		return true;
	}

	static void append(Array &r_array, const Dictionary &p_value) { r_array.push_back(p_value); }

	// Crypto from the factory its implementation (the mbedtls module) installs.
	static bool random(uint8_t *r_bytes, size_t p_count) {
		Ref<Crypto> crypto = Ref<Crypto>(Crypto::create());
		if (crypto.is_null()) {
			return false;
		}
		const Bytes random = crypto->generate_random_bytes(int(p_count));
		if (size_t(random.size()) != p_count) {
			return false;
		}
		std::memcpy(r_bytes, random.ptr(), p_count);
		return true;
	}
};

} // namespace gdws_godot
