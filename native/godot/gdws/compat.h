// One source tree, two builds: as an engine module (compiled inside Godot 4's source tree) or as
// a GDExtension (against godot-cpp 4.x, where SConstruct defines GDWS_GDEXTENSION). Only the
// includes and the few API differences below change between the two.
#pragma once

#ifdef GDWS_GDEXTENSION

#include <godot_cpp/classes/crypto.hpp>
#include <godot_cpp/classes/ref_counted.hpp>
#include <godot_cpp/core/class_db.hpp>
#include <godot_cpp/godot.hpp>
#include <godot_cpp/variant/array.hpp>
#include <godot_cpp/variant/dictionary.hpp>
#include <godot_cpp/variant/packed_byte_array.hpp>
#include <godot_cpp/variant/packed_string_array.hpp>
#include <godot_cpp/variant/string.hpp>

using namespace godot;

// godot-cpp instantiates engine classes through ClassDB.
#define GDWS_NEW_CRYPTO() Ref<Crypto>(memnew(Crypto))

#else

#include "core/crypto/crypto.h"
#include "core/object/class_db.h"
#include "core/object/ref_counted.h"
#include "core/string/ustring.h"
#include "core/variant/array.h"
#include "core/variant/dictionary.h"
#include "modules/register_module_types.h"

// Inside the engine Crypto comes from the factory its implementation (mbedtls module) installs.
#define GDWS_NEW_CRYPTO() Ref<Crypto>(Crypto::create())

#endif
