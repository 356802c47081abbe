// `npm run build:gyp`: builds the addon with node-gyp from binding.gyp. Points node-gyp at the
// running Node's own headers (<prefix>/include/node) so nothing is downloaded; without them
// node-gyp falls back to its usual header download.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nodeGyp = join(dirname(createRequire(import.meta.url).resolve('node-gyp/package.json')), 'bin', 'node-gyp.js');
const prefix = join(dirname(process.execPath), '..');
const nodedir = existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
execFileSync(process.execPath, [nodeGyp, 'rebuild', ...nodedir], { cwd: root, stdio: 'inherit' });
