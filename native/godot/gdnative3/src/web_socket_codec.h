// WebSocketCodec for Godot 3 (GDNative / NativeScript, godot-cpp 3.2). Its methods are
// ../../glue/codec_methods.h's list, forwarding to the shared CodecGlue.
#pragma once

#include <Godot.hpp>
#include <Reference.hpp>

#include "../../glue/codec_methods.h"
#include "godot3_host.h"

namespace godot {

class WebSocketCodec : public Reference {
	GODOT_CLASS(WebSocketCodec, Reference)

	gdws_godot::CodecGlue<gdws_godot::Godot3Host> _glue;

public:
	using Int = int64_t;
	using Bool = bool;
	using Bytes = PoolByteArray;
	using Strings = PoolStringArray;

	static void _register_methods();
	void _init() {}

	GDWS_CODEC_METHODS(GDWS_DECLARE_FORWARD)
};

} // namespace godot
