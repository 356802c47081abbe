// What `npm pack` puts in the tarball: what a user needs to run the package (dist/, the prebuilt
// addon when present) and to compile it from source when no prebuilt binary matches (the codec,
// the Node glue, CMakeLists.txt, the install script) — and nothing else: no tests, benchmarks,
// examples, engine glue, C++ tests or fuzz corpus.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

interface PackEntry { path: string; size: number }

function packedFiles(): string[] {
  // --ignore-scripts: the listing only, no prepack/postpack hooks.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const [report] = JSON.parse(out) as [{ files: PackEntry[] }];
  return report.files.map((f) => f.path).sort();
}

describe('npm pack', () => {
  const files = packedFiles();

  it('holds the license, the README, both entry points with their types, and what a source build needs', () => {
    for (const needed of [
      'LICENSE', 'README.md', 'package.json',
      'dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/esm/gdscript.js', 'dist/esm/gdscript.d.ts',
      'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/gdscript.js', 'dist/cjs/gdscript.d.ts', 'dist/cjs/package.json',
      'dist/cjs/native/load-addon.cjs',
      'CMakeLists.txt', 'native/codec/CMakeLists.txt', 'native/codec/include/gdws/codec.h', 'native/codec/src/session.cpp',
      'native/node/addon.cpp', 'scripts/install.mjs',
    ]) expect(files, needed).toContain(needed);
    // Every source file CMakeLists.txt compiles is there (a source build must not miss one).
    const cmake = readFileSync(`${root}CMakeLists.txt`, 'utf8') + readFileSync(`${root}native/codec/CMakeLists.txt`, 'utf8');
    const sources = [...cmake.matchAll(/^\s+((?:native\/node|src)\/\S+\.cpp)$/gm)].map((m) => m[1]!.startsWith('src/') ? `native/codec/${m[1]}` : m[1]!);
    expect(sources.length).toBeGreaterThan(10);
    for (const source of sources) expect(files, source).toContain(source);
  });

  it('leaves out tests, benchmarks, examples, engine glue, C++ tests, fuzzers and developer scripts', () => {
    const unwanted = files.filter((path) =>
      /^(test|bench|examples|doc|src|\.ci|\.github)\//.test(path) ||
      /^native\/(godot|codec\/(test|fuzz))\//.test(path) ||
      (path.startsWith('scripts/') && path !== 'scripts/install.mjs') ||
      /^(binding\.gyp|tsconfig.*|vitest\.config\.ts|package-lock\.json)$/.test(path) ||
      /\.test\.|\.map$/.test(path));
    expect(unwanted).toEqual([]);
  });

  it('has the metadata a registry page and a package manager need', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(`${root}LICENSE`, 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} godot-websocket-peer contributors\n/);
    expect(pkg.repository?.url).toMatch(/^git\+https:\/\/.+\.git$/);
    expect(pkg.keywords).toEqual(expect.arrayContaining(['godot', 'websocket']));
    expect(pkg.engines?.node).toMatch(/^>=\d+/);
  });
});
