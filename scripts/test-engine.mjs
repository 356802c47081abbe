#!/usr/bin/env node
// npm run test:engine — the shared codec inside the real Godot 3 engine (not part of npm test).
//  1. godot-cpp 3.2 in GODOT_CPP_DIR (default <repo>/../.cache/godot-cpp-3.2): built once with
//     scons if its sources are there; if they are not, stop and say how to get them.
//  2. The GDNative library from native/godot/gdnative3 + native/codec (scons, into build/godot3/).
//  3. The Node addon, if it is not built yet (npm run build:native).
//  4. vitest on test/engine/: the traces replayed in godot3-server and compared with Node's
//     results byte for byte, and WebSocket echoes between GDScript and Node in both directions.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const godotCpp = resolve(process.env.GODOT_CPP_DIR || join(root, '..', '.cache', 'godot-cpp-3.2'));
const cppLibrary = join(godotCpp, 'bin', 'libgodot-cpp.linux.release.64.a');
const buildDir = join(root, 'build', 'godot3');
const jobs = process.env.JOBS || '2';

function run(command, args, options = {}) {
  console.log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) fail(`${command} could not be started: ${result.error.message}`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function fail(message) {
  console.error(`test:engine: ${message}`);
  process.exit(1);
}

function have(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

if (!have('scons')) fail('scons is missing (apt-get install scons).');
if (!have(process.env.GODOT3_BIN || 'godot3-server')) fail('godot3-server is missing (apt-get install godot3-server), or set GODOT3_BIN.');

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

run('scons', ['-Q', `-j${jobs}`, `godot_cpp=${godotCpp}`, `build_dir=${buildDir}`], { cwd: join(root, 'native', 'godot', 'gdnative3') });

if (!existsSync(join(root, 'build', 'Release', 'gdws.node'))) run('npm', ['run', 'build:native'], { cwd: root });

run(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', join(root, 'test', 'engine', 'vitest.config.ts')], {
  cwd: root,
  env: { ...process.env, GDWS_GODOT3_LIB: join(buildDir, 'libgdws.so') },
});
