#pragma once

#include "modules/register_module_types.h"

// The module is named after this directory: Godot calls initialize_gdws_module.
void initialize_gdws_module(ModuleInitializationLevel p_level);
void uninitialize_gdws_module(ModuleInitializationLevel p_level);
