// `npm install` step: builds the Node addon with cmake-js (offline: package.json "binary" selects
// Node-API headers from node-api-headers), then compiles the TypeScript when this is a source
// checkout (src/ present and typescript installed).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const node = (script, args) => execFileSync(process.execPath, [script, ...args], { stdio: 'inherit', cwd: root });

node(require.resolve('cmake-js/bin/cmake-js'), ['compile']);

let tsc = null;
try { tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc'); } catch { /* an installed package ships dist/ */ }
if (tsc && existsSync(join(root, 'src'))) node(join(root, 'scripts', 'build-ts.mjs'), []);
