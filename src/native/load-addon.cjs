'use strict';
// The only place that touches the compiled addon. CommonJS so that it can find the package root
// with __dirname: dist/cjs/native/ sits three levels below it, src/native/ (tests run from
// source) two levels.
//
// Where the addon comes from, first match wins:
//   build/Release/gdws.node   compiled here: a source checkout, or an install that built from
//                             source (no prebuilt binary matched, or --build-from-source)
//   prebuilds/<tag>/gdws.node shipped in the npm package, <tag> = platform-arch[-musl]
//                             (Node-API 8: one binary serves every supported Node version)
const { existsSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');

const root = basename(dirname(__dirname)) === 'src' ? join(__dirname, '..', '..') : join(__dirname, '..', '..', '..');

/** Whether this Linux runs on musl (Alpine): Node reports no glibc version there. */
function isMusl() {
  if (process.platform !== 'linux') return false;
  const header = process.report && typeof process.report.getReport === 'function' ? process.report.getReport().header : null;
  return !(header && header.glibcVersionRuntime);
}

/** The prebuilds/ folder name for this platform: linux-x64, linux-arm64-musl, darwin-arm64, win32-x64. */
function prebuildTag() {
  return `${process.platform}-${process.arch}${isMusl() ? '-musl' : ''}`;
}

/** The prebuilt binary for this platform in the package, or null when none is shipped. */
function prebuiltPath() {
  const file = join(root, 'prebuilds', prebuildTag(), 'gdws.node');
  return existsSync(file) ? file : null;
}

function candidates() {
  const list = [join(root, 'build', 'Release', 'gdws.node'), join(root, 'build', 'Debug', 'gdws.node')];
  const prebuilt = prebuiltPath();
  if (prebuilt) list.push(prebuilt);
  return list;
}

/** Where the addon was loaded from (for diagnostics and tests). */
let loadedFrom = null;

function loadAddon() {
  const failures = [];
  for (const file of candidates()) {
    if (!existsSync(file)) continue;
    try {
      const addon = require(file);
      loadedFrom = file;
      return addon;
    } catch (error) {
      failures.push(`  ${file}: ${error && error.message}`);
    }
  }
  throw new Error(
    'godot-websocket-peer: the native addon could not be loaded.\n' +
    (failures.length ? failures.join('\n') : `  no prebuilt binary for ${prebuildTag()} and build/Release/gdws.node is not built`) +
    '\nReinstall the package to compile it from source (`npm rebuild godot-websocket-peer --build-from-source`; ' +
    'needs CMake and a C++17 compiler), or in a source checkout run `npm run build:native`.',
  );
}

module.exports = loadAddon;
module.exports.prebuildTag = prebuildTag;
module.exports.prebuiltPath = prebuiltPath;
module.exports.loadedFrom = () => loadedFrom;
