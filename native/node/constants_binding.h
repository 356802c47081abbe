// `constants`: the shared numbers and names as the compiler sees them, keyed like
// scripts/gen-constants.mjs's readHeaders(), so test/constants.test.ts can check that the
// generated TypeScript says what the compiled codec does.
#pragma once

#include <napi.h>

namespace gdws_node {

void register_constants(Napi::Env p_env, Napi::Object p_exports);

} // namespace gdws_node
