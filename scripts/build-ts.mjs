// Generates src/native/constants.ts from the C++ headers, then compiles src/ twice: dist/esm
// (ES modules) and dist/cjs (CommonJS), each with declarations.
// Plain .cjs helpers (the addon loader) are copied into both trees as they are.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

// The shared constants first: src/native/constants.ts is generated from the C++ headers.
execFileSync(process.execPath, [join(root, 'scripts', 'gen-constants.mjs')], { stdio: 'inherit' });
rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const [config, out] of [['tsconfig.json', 'esm'], ['tsconfig.cjs.json', 'cjs']]) {
  execFileSync(process.execPath, [tsc, '-p', join(root, config)], { stdio: 'inherit' });
  copyPlainFiles(join(root, 'src'), join(root, 'dist', out));
}
writeFileSync(join(root, 'dist', 'cjs', 'package.json'), '{ "type": "commonjs" }\n');

function copyPlainFiles(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) copyPlainFiles(source, join(to, entry.name));
    else if (entry.name.endsWith('.cjs') || entry.name.endsWith('.d.cts')) {
      mkdirSync(to, { recursive: true });
      cpSync(source, join(to, entry.name));
    }
  }
}
