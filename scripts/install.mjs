// `npm install` step.
// - Installed from the registry or a tarball: uses the prebuilt addon in prebuilds/<tag>/ when one
//   ships for this platform and loads; compiles from source only when none does, or when asked
//   with npm's usual switch (`npm install --build-from-source`, npm_config_build_from_source=true,
//   or =godot-websocket-peer to build only this package).
// - A source checkout (src/ present): always compiles the addon, as the C++ may have changed, then
//   the TypeScript.
// Compiling uses cmake-js offline (package.json "binary" selects Node-API headers from
// node-api-headers) and needs CMake and a C++17 compiler.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const node = (script, args) => execFileSync(process.execPath, [script, ...args], { stdio: 'inherit', cwd: root });
const sourceCheckout = existsSync(join(root, 'src'));

const why = sourceCheckout ? null : reasonToCompile();
if (sourceCheckout || why !== null) {
  if (why) console.log(`godot-websocket-peer: compiling the addon from source: ${why}`);
  try {
    node(require.resolve('cmake-js/bin/cmake-js'), ['compile']);
  } catch {
    console.error('godot-websocket-peer: compiling the addon failed; it needs CMake >= 3.15 and a C++17 compiler on PATH ' +
      '(Debian/Ubuntu: apt-get install cmake g++; macOS: xcode-select --install and brew install cmake; ' +
      'Windows: Visual Studio Build Tools with "Desktop development with C++").');
    process.exit(1);
  }
}

let tsc = null;
try { tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc'); } catch { /* an installed package ships dist/ */ }
if (tsc && sourceCheckout) node(join(root, 'scripts', 'build-ts.mjs'), []);

/** Why an installed package must compile (null: the prebuilt binary serves). */
function reasonToCompile() {
  if (buildFromSourceRequested()) return 'requested with --build-from-source';
  const loader = require(join(root, 'dist', 'cjs', 'native', 'load-addon.cjs'));
  const prebuilt = loader.prebuiltPath();
  if (!prebuilt) return `no prebuilt binary for ${loader.prebuildTag()} in this package`;
  try {
    require(prebuilt);
    return null;
  } catch (error) {
    return `the prebuilt binary for ${loader.prebuildTag()} does not load here (${String(error?.message ?? error).split('\n')[0]})`;
  }
}

/** npm's switch, as node-pre-gyp and prebuild-install read it: true, or a list of package names. */
function buildFromSourceRequested() {
  const value = (process.env.npm_config_build_from_source ?? '').trim();
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  return value.split(',').map((name) => name.trim()).includes('godot-websocket-peer');
}
