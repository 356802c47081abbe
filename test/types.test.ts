// Type tests: what a strict TypeScript user compiles against the published declarations (the
// package's "exports", so dist/ must be built). Three sets, one tsc run:
// - every ```js example of README.md, extracted verbatim (so README and types cannot drift),
//   checked as JavaScript under strict (checkJs, as an editor does);
// - test/types/compile/: strict TypeScript that must compile (ES module and CommonJS);
// - test/types/fail/: lines that must NOT compile, each marked `// error: TSnnnn` with the error
//   tsc must report there; any other error, or a marked line that compiles, fails the test.
// A second run compiles test/types/compile/*.mts with "moduleResolution": "Bundler".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'build', 'type-tests');
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const compileDir = join(root, 'test', 'types', 'compile');
const failDir = join(root, 'test', 'types', 'fail');

const STRICT = {
  target: 'ES2022',
  lib: ['ES2022', 'ESNext.Disposable'],
  types: ['node'],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noEmit: true,
  skipLibCheck: false, // our .d.ts files are checked too
  allowJs: true,
  checkJs: true,
};

interface Diagnostic { file: string; line: number; code: string; text: string }

/** The ```js blocks of README.md with the line each starts on. */
function readmeExamples(): { line: number; code: string }[] {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
  const blocks: { line: number; code: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```js') continue;
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1] !== '```') i++;
    blocks.push({ line: start + 1, code: lines.slice(start, i + 1).join('\n') });
    i++;
  }
  return blocks;
}

function runTsc(config: object, name: string): Diagnostic[] {
  const file = join(work, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  const result = spawnSync(process.execPath, [tsc, '-p', file, '--pretty', 'false'], { cwd: work, encoding: 'utf8', timeout: 120_000 });
  const out = result.stdout + result.stderr;
  const diagnostics: Diagnostic[] = [];
  for (const line of out.split('\n')) {
    const match = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
    if (match) diagnostics.push({ file: relative(root, resolve(work, match[1]!)), line: Number(match[2]), code: match[3]!, text: match[4]! });
    else if (/error TS\d+/.test(line)) diagnostics.push({ file: '?', line: 0, code: 'TS?', text: line });
  }
  if (result.status !== 0 && diagnostics.length === 0) throw new Error(`tsc failed without diagnostics:\n${out}`);
  return diagnostics;
}

/** `// error: TS2345` marks in the must-fail files: "file:line TS2345". */
function expectedFailures(): string[] {
  const marks: string[] = [];
  for (const name of readdirSync(failDir)) {
    readFileSync(join(failDir, name), 'utf8').split('\n').forEach((text, index) => {
      const mark = /\/\/ error: (TS\d+(?:, TS\d+)*)\s*$/.exec(text);
      if (mark) for (const code of mark[1]!.split(', ')) marks.push(`test/types/fail/${name}:${index + 1} ${code}`);
    });
  }
  return marks.sort();
}

let examples: { line: number; code: string }[] = [];
let nodeNext: Diagnostic[] = [];
let bundler: Diagnostic[] = [];

beforeAll(() => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'readme'), { recursive: true });
  examples = readmeExamples();
  for (const example of examples) {
    writeFileSync(join(work, 'readme', `readme-line-${example.line}.mjs`), `// README.md line ${example.line}\n${example.code}\n`);
  }
  const rel = (dir: string) => relative(work, dir).split('\\').join('/');
  nodeNext = runTsc({
    compilerOptions: { ...STRICT, module: 'NodeNext', moduleResolution: 'NodeNext' },
    include: ['readme/*.mjs', `${rel(compileDir)}/*`, `${rel(failDir)}/*`],
  }, 'tsconfig.nodenext.json');
  bundler = runTsc({
    compilerOptions: { ...STRICT, module: 'ESNext', moduleResolution: 'Bundler' },
    include: [`${rel(compileDir)}/*.mts`],
  }, 'tsconfig.bundler.json');
}, 180_000);

const show = (list: Diagnostic[]) => list.map((d) => `${d.file}:${d.line} ${d.code} ${d.text}`);

describe('type tests (tsc, strict)', () => {
  it('extracts every ```js example of the README', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    expect(examples.every((example) => example.code.includes("from 'godot-websocket-peer"))).toBe(true);
  });

  it('the README examples compile', () => {
    expect(show(nodeNext.filter((d) => d.file.startsWith('build/type-tests/readme/')))).toEqual([]);
  });

  it('test/types/compile compiles (NodeNext ES module and CommonJS, and Bundler)', () => {
    expect(show(nodeNext.filter((d) => d.file.startsWith('test/types/compile/')))).toEqual([]);
    expect(show(bundler)).toEqual([]);
  });

  it('test/types/fail fails exactly on its marked lines, with the marked errors', () => {
    const expected = expectedFailures();
    expect(expected.length).toBeGreaterThanOrEqual(30);
    const got = nodeNext.filter((d) => d.file.startsWith('test/types/fail/')).map((d) => `${d.file}:${d.line} ${d.code}`);
    expect([...new Set(got)].sort()).toEqual(expected);
  });

  it('nothing else reports an error (declarations included)', () => {
    expect(show(nodeNext.filter((d) => !/^(build\/type-tests\/readme|test\/types)\//.test(d.file)))).toEqual([]);
  });
});
