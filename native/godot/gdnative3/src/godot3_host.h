// CodecGlue's host for Godot 3 (GDNative, godot-cpp 3.2): its types and their conversions.
#pragma once

#include <Array.hpp>
#include <Crypto.hpp>
#include <Dictionary.hpp>
#include <Godot.hpp>
#include <PoolArrays.hpp>
#include <String.hpp>

#include "../../glue/codec_glue.h"

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace gdws_godot {

struct Godot3Host {
	using String = godot::String;
	using Bytes = godot::PoolByteArray;
	using Strings = godot::PoolStringArray;
	using Dictionary = godot::Dictionary;
	using Array = godot::Array;

	// Holds Godot 3's read lock: the pointer is valid while the Reader lives.
	class Reader {
	public:
		explicit Reader(const Bytes &p_bytes) :
				_read(p_bytes.read()), _size(size_t(p_bytes.size())) {}
		const uint8_t *data() const { return _size > 0 ? _read.ptr() : nullptr; }
		size_t size() const { return _size; }

	private:
		Bytes::Read _read;
		size_t _size;
	};

	static Bytes bytes(const uint8_t *p_data, size_t p_size) {
		Bytes result;
		result.resize(int(p_size));
		if (p_size > 0) {
			Bytes::Write write = result.write();
			std::memcpy(write.ptr(), p_data, p_size);
		}
		return result;
	}

	// String(const char *) stops at the first NUL; parse with an explicit length instead. String
	// holds exactly one godot_string, so the C API can fill it in place.
	static String string(std::string_view p_text) {
		String result;
		godot::api->godot_string_parse_utf8_with_len(reinterpret_cast<godot_string *>(&result), p_text.data(), int(p_text.size()));
		return result;
	}

	static std::string utf8(const String &p_text) {
		godot::CharString utf8 = p_text.utf8();
		return std::string(utf8.get_data(), size_t(utf8.length()));
	}

	// By value: godot-cpp 3.2's PoolStringArray::operator[] is not const.
	static std::vector<std::string> utf8_list(Strings p_list) {
		std::vector<std::string> result;
		for (int i = 0; i < p_list.size(); i++) {
			result.push_back(utf8(p_list[i]));
		}
		return result;
	}

	static Strings strings(const std::vector<std::string> &p_list) {
		Strings result;
		for (const std::string &item : p_list) {
			result.append(string(item));
		}
		return result;
	}

	static Lookup get_int(const Dictionary &p_dictionary, const char *p_key, int64_t *r_value) {
		if (!p_dictionary.has(p_key)) {
			return Lookup::MISSING;
		}
		const godot::Variant value = p_dictionary[p_key];
		if (value.get_type() != godot::Variant::INT) {
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
		const godot::Variant value = p_array[int(p_index)];
		if (value.get_type() != godot::Variant::POOL_BYTE_ARRAY) {
			return false;
		}
		*r_bytes = value;
		return true;
	}

	static void append(Array &r_array, const Dictionary &p_value) { r_array.append(p_value); }

	static bool random(uint8_t *r_bytes, size_t p_count) {
		godot::Ref<godot::Crypto> crypto(godot::Crypto::_new());
		const Bytes random = crypto->generate_random_bytes(int64_t(p_count));
		if (size_t(random.size()) != p_count) {
			return false;
		}
		Reader read(random);
		std::memcpy(r_bytes, read.data(), p_count);
		return true;
	}
};

} // namespace gdws_godot
