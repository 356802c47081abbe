#!/usr/bin/env node
// npm run fuzz [-- --seconds N] [target ...]: builds the codec's libFuzzer targets
// (native/codec/fuzz/fuzz_*.cpp, clang++-16 with ASan + LeakSanitizer + UBSan) into build/fuzz and
// runs each for N seconds (default 60), starting from the committed seeds
// (native/codec/fuzz/corpus/<target>) and the corpus earlier runs grew in build/fuzz/corpus/<target>.
// Exits non-zero on any crash, broken invariant, leak, sanitizer report or hang; the input that
// caused it is left in build/fuzz/artifacts/ with the command that replays it.
// npm run fuzz -- --coverage [target ...]: instead, runs every input of those corpora once through a
// coverage build (build/fuzz-coverage) and prints llvm-cov's report for native/codec/src.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fuzzDir = join(root, 'native', 'codec', 'fuzz');
const build = join(root, 'build', 'fuzz');
const compiler = process.env.FUZZ_CXX || 'clang++-16';
// llvm-profdata-16 / llvm-cov-16 go with clang++-16.
const llvmSuffix = compiler.match(/-\d+$/)?.[0] ?? '';
// Longer than the handshake size cap (4096), so the parsers see heads that cross it.
const MAX_LEN = 4200;

function usage(message) {
  console.error(`fuzz: ${message}\nusage: npm run fuzz -- [--seconds N] [target ...]`);
  process.exit(2);
}

function parseArguments(argv) {
  let seconds = 60;
  let coverage = false;
  const targets = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--coverage') {
      coverage = true;
    } else if (argv[i] === '--seconds') {
      seconds = Number(argv[++i]);
      if (!Number.isInteger(seconds) || seconds < 1) usage('--seconds takes a whole number of seconds, at least 1');
    } else if (argv[i].startsWith('-')) {
      usage(`unknown option ${argv[i]}`);
    } else {
      targets.push(argv[i].replace(/^fuzz_/, ''));
    }
  }
  return { seconds, coverage, targets };
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root });
  if (result.error) usage(`${command} could not be started: ${result.error.message}`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Runs one target and resolves with its exit code, the tail of its output and its final stats.
function fuzzOne(target, seconds) {
  const corpus = join(build, 'corpus', target);
  const artifacts = join(build, 'artifacts');
  mkdirSync(corpus, { recursive: true });
  mkdirSync(artifacts, { recursive: true });
  const args = [
    `-max_total_time=${seconds}`,
    `-max_len=${MAX_LEN}`,
    '-timeout=10', // an input that runs 10 s is a hang
    '-rss_limit_mb=2048',
    '-print_final_stats=1',
    `-artifact_prefix=${artifacts}/${target}-`,
    corpus,
    join(fuzzDir, 'corpus', target),
  ];
  const env = {
    ...process.env,
    ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=1:symbolize=1',
    UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
  };
  return new Promise((resolvePromise) => {
    const child = spawn(join(build, 'fuzz', `fuzz_${target}`), args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-64 * 1024);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code, signal) => resolvePromise({ code: code ?? 128, signal, output, args }));
  });
}

function summary(output) {
  const done = [...output.matchAll(/^#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+) corp: (\d+)\//gm)].at(-1);
  if (!done) return null;
  return { runs: Number(done[1]), cov: Number(done[2]), ft: Number(done[3]), corpus: Number(done[4]) };
}

const { seconds, coverage, targets: wanted } = parseArguments(process.argv.slice(2));
const all = readdirSync(fuzzDir)
  .filter((name) => /^fuzz_.*\.cpp$/.test(name))
  .map((name) => name.slice('fuzz_'.length, -'.cpp'.length))
  .sort();
for (const name of wanted) if (!all.includes(name)) usage(`no target ${name} (targets: ${all.join(', ')})`);
const targets = wanted.length ? wanted : all;

if (spawnSync(compiler, ['--version'], { stdio: 'ignore' }).status !== 0) {
  usage(`${compiler} is missing: apt-get install clang-16 libfuzzer-16-dev (or set FUZZ_CXX)`);
}
function buildTargets(dir, extra) {
  run('cmake', ['-S', join(root, 'native', 'codec'), '-B', dir, `-DCMAKE_CXX_COMPILER=${compiler}`,
    '-DGDWS_BUILD_FUZZERS=ON', '-DCMAKE_BUILD_TYPE=RelWithDebInfo', ...extra]);
  run('cmake', ['--build', dir, '--parallel', process.env.JOBS || '2', '--target', ...targets.map((t) => `fuzz_${t}`)]);
}

// Each input of the grown and the seed corpus once, then llvm-cov's per-file report of the codec.
function coverageReport() {
  const dir = join(root, 'build', 'fuzz-coverage');
  buildTargets(dir, ['-DGDWS_FUZZ_COVERAGE=ON']);
  const profiles = join(dir, 'profiles');
  rmSync(profiles, { recursive: true, force: true });
  mkdirSync(profiles, { recursive: true });
  const binaries = targets.map((t) => join(dir, 'fuzz', `fuzz_${t}`));
  targets.forEach((target, i) => {
    const corpus = join(build, 'corpus', target);
    mkdirSync(corpus, { recursive: true });
    const result = spawnSync(binaries[i], ['-runs=0', `-max_len=${MAX_LEN}`, corpus, join(fuzzDir, 'corpus', target)], {
      env: { ...process.env, LLVM_PROFILE_FILE: join(profiles, `${target}.profraw`) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (result.status !== 0) usage(`fuzz_${target} failed on its corpus: ${result.stderr.toString().slice(-2000)}`);
  });
  const merged = join(dir, 'merged.profdata');
  run(`llvm-profdata${llvmSuffix}`, ['merge', '-sparse', '-o', merged, ...targets.map((t) => join(profiles, `${t}.profraw`))]);
  const sources = readdirSync(join(root, 'native', 'codec', 'src')).filter((f) => f.endsWith('.cpp')).map((f) => join(root, 'native', 'codec', 'src', f));
  run(`llvm-cov${llvmSuffix}`, ['report', binaries[0], ...binaries.slice(1).flatMap((b) => ['-object', b]), `-instr-profile=${merged}`, ...sources]);
}

if (coverage) {
  coverageReport();
  process.exit(0);
}
buildTargets(build, []);

let failed = 0;
for (const target of targets) {
  const result = await fuzzOne(target, seconds);
  const stats = summary(result.output);
  // Every sanitizer also makes libFuzzer exit non-zero; the text check guards against a
  // report that somehow did not.
  const report = /(ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|invariant broken)/.test(result.output);
  if (result.code !== 0 || report || !stats) {
    failed++;
    console.log(result.output.split('\n').slice(-60).join('\n'));
    console.log(`fuzz ${target}: FAILED (exit ${result.code}${result.signal ? `, ${result.signal}` : ''})`);
    console.log(`  replay: ${join(build, 'fuzz', `fuzz_${target}`)} ${join(build, 'artifacts')}/${target}-<crash-…>`);
  } else {
    console.log(`fuzz ${target}: ${seconds} s, ${stats.runs} runs, cov ${stats.cov}, ft ${stats.ft}, corpus ${stats.corpus}: no crash, leak or sanitizer report`);
  }
}
// The C++ runners' summary line, so CI's summary counts the targets.
console.log(`${targets.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
