// WebSocketCodec for Godot 4 as an engine module. Its methods are ../glue/codec_methods.h's list,
// forwarding to the shared CodecGlue. NOT COMPILED HERE (see module_host.h).
#pragma once

#include "core/object/class_db.h"
#include "core/object/ref_counted.h"

#include "../glue/codec_methods.h"
#include "module_host.h"

class WebSocketCodec : public RefCounted {
	GDCLASS(WebSocketCodec, RefCounted);

	gdws_godot::CodecGlue<gdws_godot::ModuleHost> _glue;

protected:
	static void _bind_methods();

public:
	using Int = int64_t;
	using Bool = bool;
	using Bytes = PackedByteArray;
	using Strings = PackedStringArray;

	GDWS_CODEC_METHODS(GDWS_DECLARE_FORWARD)
};
