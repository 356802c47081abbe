// Development tool: compile src/ into build/bench-lib/ without running anything.
import { buildLibrary } from '../lib/build.mjs';

buildLibrary();
