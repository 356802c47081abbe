#!/usr/bin/env node
// npm run test:engine — the shared codec inside Godot (not part of npm test: it needs godot-cpp).
//  1. godot-cpp 3.2 in GODOT_CPP_DIR (default <repo>/../.cache/godot-cpp-3.2): built once with
//     scons if its sources are there; if they are not, stop and say how to get them.
//  2. The Godot 3 GDNative library (native/godot/gdnative3 + glue + codec) into build/godot3/.
//  3. The Godot 4 GDExtension library (native/godot/gdextension + glue + codec) into build/godot4/,
//     against gdextension_interface.h of godot-cpp at godot-4.5-stable in GODOT_CPP4_DIR (checked by
//     its git blob id), and checked to export its entry point and to need no symbol from outside.
//     Godot 4 itself cannot load it here: the only Godot 4 on this machine is a web build without
//     GDExtension support.
//  4. The Node addon, if it is not built yet (npm run build:native).
//  5. vitest on test/engine/: the traces replayed in godot3-server and compared with Node's
//     results byte for byte, and WebSocket echoes between GDScript and Node in both directions.
// Both libraries are compiled with -Wall -Werror. The last two lines are the verdicts.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const godotCpp = resolve(process.env.GODOT_CPP_DIR || join(root, '..', '.cache', 'godot-cpp-3.2'));
const godotCpp4 = process.env.GODOT_CPP4_DIR ? resolve(process.env.GODOT_CPP4_DIR) : '';
const cppLibrary = join(godotCpp, 'bin', 'libgodot-cpp.linux.release.64.a');
const build3 = join(root, 'build', 'godot3');
const build4 = join(root, 'build', 'godot4');
const jobs = process.env.JOBS || '2';
// `git ls-tree godot-4.5-stable gdextension/gdextension_interface.h` in godot-cpp.
const INTERFACE_4_5_BLOB = 'c71ae6e51272c34c3ee59d575823df1febfeb8db';

function run(command, args, options = {}) {
  console.log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) fail(`${command} could not be started: ${result.error.message}`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function output(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) fail(`${command} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr}`);
  return result.stdout;
}

function fail(message) {
  console.error(`test:engine: ${message}`);
  process.exit(1);
}

function have(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function gitBlobId(file) {
  const content = readFileSync(file);
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

if (!have('scons')) fail('scons is missing (apt-get install scons).');
if (!have(process.env.GODOT3_BIN || 'godot3-server')) fail('godot3-server is missing (apt-get install godot3-server), or set GODOT3_BIN.');

// Godot 4's inputs first: a missing one should not cost a 5-minute godot-cpp 3 build.
if (!godotCpp4) {
  fail(`GODOT_CPP4_DIR is not set. Export godot-cpp at tag godot-4.5-stable once, outside this repository:
  git clone https://github.com/godotengine/godot-cpp --branch godot-4.5-stable --depth 1 <dir>
then rerun with GODOT_CPP4_DIR=<dir>. Only gdextension/gdextension_interface.h is used.`);
}
const interfaceHeader = join(godotCpp4, 'gdextension', 'gdextension_interface.h');
if (!existsSync(interfaceHeader)) fail(`${interfaceHeader} is missing: GODOT_CPP4_DIR must be a godot-cpp 4.x tree.`);
const interfaceBlob = gitBlobId(interfaceHeader);
if (interfaceBlob !== INTERFACE_4_5_BLOB) {
  fail(`${interfaceHeader} is not godot-4.5-stable's (git blob ${interfaceBlob}, expected ${INTERFACE_4_5_BLOB}).`);
}

if (!existsSync(cppLibrary)) {
  const sources = existsSync(join(godotCpp, 'SConstruct')) && existsSync(join(godotCpp, 'godot-headers', 'api.json'));
  if (!sources) {
    fail(`no godot-cpp 3.2 in ${godotCpp}. Get it once (outside this repository), then rerun:
  git clone -b 3.2 https://github.com/godotengine/godot-cpp ${godotCpp}
  git clone https://github.com/godotengine/godot-headers ${join(godotCpp, 'godot-headers')}
  git -C ${join(godotCpp, 'godot-headers')} checkout 815f34e1e96c09122449105c55aba501654da029
or point GODOT_CPP_DIR at an existing godot-cpp 3.2 tree. The first build takes about 5 minutes.`);
  }
  console.log(`Building godot-cpp 3.2 in ${godotCpp} (once; about 5 minutes on 2 cores)`);
  run('scons', ['platform=linux', 'bits=64', 'target=release', 'generate_bindings=yes', `-j${jobs}`], { cwd: godotCpp });
}

run('scons', ['-Q', `-j${jobs}`, `godot_cpp=${godotCpp}`, `build_dir=${build3}`], { cwd: join(root, 'native', 'godot', 'gdnative3') });
run('scons', ['-Q', `-j${jobs}`, `godot_cpp=${godotCpp4}`, `build_dir=${build4}`], { cwd: join(root, 'native', 'godot', 'gdextension') });

// What can be checked of the Godot 4 library without a Godot that loads it: the entry point is
// exported (and nothing else of ours), and every symbol it needs resolves without the engine
// (the engine is reached only through the interface's function pointers).
const library4 = join(build4, `libgdws.linux.${process.arch === 'arm64' ? 'arm64' : 'x86_64'}.so`);
const exported = output('nm', ['-D', '--defined-only', library4])
  .split('\n')
  .map((line) => line.trim().split(/\s+/))
  .filter((fields) => fields.length === 3 && /^[TD]$/.test(fields[1]))
  .map((fields) => fields[2]);
if (exported.join(',') !== 'gdws_library_init') fail(`${library4} should export only gdws_library_init, exports: ${exported.join(', ')}`);
const unresolved = output('ldd', ['-r', library4]).split('\n').filter((line) => /undefined symbol/.test(line));
if (unresolved.length > 0) fail(`${library4} has unresolved symbols:\n${unresolved.join('\n')}`);

if (!existsSync(join(root, 'build', 'Release', 'gdws.node'))) run('npm', ['run', 'build:native'], { cwd: root });

const summaryDir = mkdtempSync(join(tmpdir(), 'gdws-engine-'));
const summaryFile = join(summaryDir, 'summary.json');
try {
  run(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', join(root, 'test', 'engine', 'vitest.config.ts')], {
    cwd: root,
    env: { ...process.env, GDWS_GODOT3_LIB: join(build3, 'libgdws.so'), GDWS_ENGINE_SUMMARY: summaryFile },
  });
  if (!existsSync(summaryFile)) fail('the trace replay wrote no summary');
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  console.log(`engine godot3: ${summary.replays} replays (${summary.traces} traces in every chunking) equal to Node's, byte for byte`);
  console.log(`engine godot3: ${summary.traces} traces identical`);
  console.log('engine godot4: compiled against godot-4.5-stable');
} finally {
  rmSync(summaryDir, { recursive: true, force: true });
}
