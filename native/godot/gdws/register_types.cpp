#include "register_types.h"

#include "web_socket_codec.h"

#ifdef GDWS_GDEXTENSION
#include <gdextension_interface.h>
#include <godot_cpp/core/defs.hpp>
#include <godot_cpp/godot.hpp>
#endif

void initialize_gdws_module(ModuleInitializationLevel p_level) {
	if (p_level != MODULE_INITIALIZATION_LEVEL_SCENE) {
		return;
	}
	GDREGISTER_CLASS(WebSocketCodec);
}

void uninitialize_gdws_module(ModuleInitializationLevel p_level) {
}

#ifdef GDWS_GDEXTENSION
// GDExtension entry point, named in gdws.gdextension. The engine module needs none.
extern "C" GDExtensionBool GDE_EXPORT gdws_library_init(GDExtensionInterfaceGetProcAddress p_get_proc_address, GDExtensionClassLibraryPtr p_library, GDExtensionInitialization *r_initialization) {
	GDExtensionBinding::InitObject init_object(p_get_proc_address, p_library, r_initialization);
	init_object.register_initializer(initialize_gdws_module);
	init_object.register_terminator(uninitialize_gdws_module);
	init_object.set_minimum_library_initialization_level(MODULE_INITIALIZATION_LEVEL_SCENE);
	return init_object.init();
}
#endif
