// GDNative entry points: Godot 3 calls these when it loads the library named in gdws.gdnlib.
#include <Godot.hpp>

#include "web_socket_codec.h"

extern "C" void GDN_EXPORT godot_gdnative_init(godot_gdnative_init_options *p_options) {
	godot::Godot::gdnative_init(p_options);
}

extern "C" void GDN_EXPORT godot_gdnative_terminate(godot_gdnative_terminate_options *p_options) {
	godot::Godot::gdnative_terminate(p_options);
}

extern "C" void GDN_EXPORT godot_nativescript_init(void *p_handle) {
	godot::Godot::nativescript_init(p_handle);
	godot::register_class<godot::WebSocketCodec>();
}
