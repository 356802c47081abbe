'use strict';
// The only place that touches the compiled addon. CommonJS so that both the ESM and the CJS
// builds can load it with __dirname (dist/esm/ and dist/cjs/ sit two levels below the package).
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const candidates = [
  join(root, 'build', 'Release', 'gdws.node'),
  join(root, 'build', 'Debug', 'gdws.node'),
];

function loadAddon() {
  const failures = [];
  for (const file of candidates) {
    try {
      return require(file);
    } catch (error) {
      failures.push(`  ${file}: ${error && error.code === 'MODULE_NOT_FOUND' ? 'not built' : error.message}`);
    }
  }
  throw new Error(
    'godot-websocket-peer: the native addon could not be loaded.\n' + failures.join('\n') +
    '\nBuild it with `npm run build:native` (cmake-js; needs cmake and a C++17 compiler) or ' +
    '`npm run build:gyp` (node-gyp), or reinstall the package with `npm install`.',
  );
}

module.exports = loadAddon;
