'use strict';
// The only place that touches the compiled addon. CommonJS so that both the ESM and the CJS
// builds can load it with __dirname: dist/esm/native/ and dist/cjs/native/ sit three levels below
// the package root, src/native/ (tests run from source) two levels.
const { join } = require('node:path');

const candidates = [join(__dirname, '..', '..', '..'), join(__dirname, '..', '..')].flatMap((root) => [
  join(root, 'build', 'Release', 'gdws.node'),
  join(root, 'build', 'Debug', 'gdws.node'),
]);

function loadAddon() {
  const failures = [];
  for (const file of candidates) {
    try {
      return require(file);
    } catch (error) {
      if (error && error.code === 'MODULE_NOT_FOUND') continue;
      failures.push(`  ${file}: ${error.message}`);
    }
  }
  throw new Error(
    'godot-websocket-peer: the native addon could not be loaded.\n' +
    (failures.length ? failures.join('\n') : '  build/Release/gdws.node is not built') +
    '\nBuild it with `npm run build:native` (cmake-js; needs cmake and a C++17 compiler) or ' +
    '`npm run build:gyp` (node-gyp), or reinstall the package with `npm install`.',
  );
}

module.exports = loadAddon;
