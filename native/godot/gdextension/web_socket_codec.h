// WebSocketCodec for Godot 4 as a GDExtension: the extension instance behind each engine object
// (a RefCounted). Its methods are ../glue/codec_methods.h's list, forwarding to the shared
// CodecGlue; register_types.cpp registers them.
#pragma once

#include "../glue/codec_methods.h"
#include "gdextension_host.h"

namespace gdws_godot {

class WebSocketCodec {
	CodecGlue<GDExtensionHost> _glue;

public:
	using Int = int64_t;
	using Bool = bool;
	using String = gdx::String;
	using Bytes = gdx::PackedByteArray;
	using Strings = gdx::PackedStringArray;
	using Dictionary = gdx::Dictionary;
	using Array = gdx::Array;

	GDWS_CODEC_METHODS(GDWS_DECLARE_FORWARD)
};

} // namespace gdws_godot
