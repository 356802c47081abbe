// Compiles the library for the benchmark: src/ into build/bench-lib/ (ES modules, as in
// dist/esm). A private copy, so that a run never touches the shared dist/.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIBRARY_DIR } from './config.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Compiles src/ into build/bench-lib/ (the bench's own copy; dist/ is not touched). tsc emits
 * even when the tree has type errors elsewhere, so work in progress does not stop a run.
 */
export function buildLibrary() {
  if (process.env.BENCH_LIBRARY_DIR) return; // another checkout, built there
  if (!existsSync(join(root, 'build', 'Release', 'gdws.node'))) {
    throw new Error('the native addon is not built: run `npm run build:native` first');
  }
  const outDir = fileURLToPath(LIBRARY_DIR);
  rmSync(outDir, { recursive: true, force: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--outDir', outDir, '--declaration', 'false'], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    if (!existsSync(join(outDir, 'index.js'))) throw error;
    console.log('note: src/ has type errors (compiled anyway):');
    console.log(String(error.stdout).trim().split('\n').slice(0, 5).map((line) => `  ${line}`).join('\n'));
  }
  cpSync(join(root, 'src', 'native', 'load-addon.cjs'), join(outDir, 'native', 'load-addon.cjs'));
}

