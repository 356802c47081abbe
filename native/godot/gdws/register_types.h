#pragma once

#include "compat.h"

// The module is named after this directory: Godot calls initialize_gdws_module.
void initialize_gdws_module(ModuleInitializationLevel p_level);
void uninitialize_gdws_module(ModuleInitializationLevel p_level);
