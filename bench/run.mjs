// npm run bench            quick suite (under 3 minutes)
// npm run bench -- --full  adds 10,000-connection memory and cluster/worker_threads scale-out
// npm run bench -- --only=echo,latency,codec,idle,loop,variant,memory,flood,scale   runs just those parts
//                  --sizes=16,1024 (echo sizes)  --writes=batched|per-send (echo client mode)
//                  --rounds=N (default 5)
//
// Every comparison runs our WebSocketPeer (gdws), ws (with bufferutil) and a raw TCP
// length-prefixed echo (net) in the same run, alternating, and reports the median of the rounds.
// Servers and clients are separate processes on 127.0.0.1. This is a measurement, not a test:
// it exits 0 whatever the numbers are, and a part that breaks is reported in the table's notes.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopAllChildren } from './lib/child.mjs';
import { buildLibrary } from './lib/build.mjs';
import { LIBRARY_DIR } from './lib/config.mjs';
import { checkWsUsesBufferutil, describeMachine, loadAverage } from './lib/machine.mjs';
import { renderMarkdown, targetMet, withRatios } from './lib/table.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const full = args.includes('--full');
const only = args.find((arg) => arg.startsWith('--only='))?.slice(7).split(',');
const QUICK_PARTS = ['codec', 'echo', 'latency', 'idle', 'loop', 'variant'];
const FULL_PARTS = [...QUICK_PARTS, 'memory', 'flood', 'scale'];
const parts = only ?? (full ? FULL_PARTS : QUICK_PARTS);
const ROUNDS = Number(args.find((arg) => arg.startsWith('--rounds='))?.slice(9) ?? 5);
/** --sizes=16,1024 limits the echo throughput sizes (for quick looks while optimizing). */
const SIZES = args.find((arg) => arg.startsWith('--sizes='))?.slice(8).split(',').map(Number);
/** --writes=per-send runs the echo in one client mode only (both by default). */
const WRITES = args.find((arg) => arg.startsWith('--writes='))?.slice(9).split(',');
/** The whole run is bounded: a hung child cannot keep it alive. */
const RUN_TIMEOUT_MS = (full ? 15 : 5) * 60_000;
const MANY_CONNECTIONS = 10_000;
/** Descriptors a server process needs besides its connections (listeners, IPC, stdio, Node's own). */
const FILE_HEADROOM = 200;

/** The soft limit on open files, as the child processes inherit it. */
function openFileLimit() {
  try {
    const value = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return value === 'unlimited' ? Infinity : Number(value);
  } catch {
    return 1024;
  }
}

const log = (line) => console.log(`  ${line}`);

async function main() {
  buildLibrary();
  const machine = describeMachine();
  const bufferutil = checkWsUsesBufferutil();
  const machineLine = `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, ws ${machine.ws} + bufferutil ${machine.bufferutil} (loaded by ws: ${bufferutil})`;
  console.log(`machine: ${machineLine}`);
  if (bufferutil !== 'yes') console.log(`warning: ws runs without bufferutil (${bufferutil})`);

  const { runCodec } = await import('./suites/codec.mjs');
  const { CLIENT_WRITES, THROUGHPUT_SIZES, runLatency, runThroughput, startEchoPairs, stopEchoPairs } = await import('./suites/echo.mjs');
  const { runFlood, runIdleSweep, runMemory } = await import('./suites/connections.mjs');
  const { runScale } = await import('./suites/scale.mjs');
  const { runPollLoop } = await import('./suites/poll-loop.mjs');

  const started = performance.now();
  const loadBefore = loadAverage();
  const rows = [];
  const extra = [];
  const failures = [];
  // A part that breaks is reported and the run goes on: the bench never fails a build.
  const part = async (name, title, run) => {
    if (!parts.includes(name)) return;
    console.log(`${title}…`);
    try {
      await run();
    } catch (error) {
      const message = String(error?.message ?? error).split('\n')[0];
      console.log(`  ${name} failed: ${message}`);
      failures.push(`${name}: ${message}`);
    }
  };
  const connections = Math.min(MANY_CONNECTIONS, openFileLimit() - FILE_HEADROOM);
  if (connections < MANY_CONNECTIONS) {
    console.log(`note: ulimit -n allows ${connections + FILE_HEADROOM} files: ${connections.toLocaleString('en-US')} connections instead of 10,000`);
  }

  await part('codec', 'codec alone', async () => rows.push(...(await runCodec({ rounds: ROUNDS, log }))));
  if (parts.includes('echo') || parts.includes('latency')) {
    let pairs = null;
    try {
      pairs = await startEchoPairs();
      await part('echo', 'echo throughput', async () => {
        const sizes = SIZES ? THROUGHPUT_SIZES.filter(({ size }) => SIZES.includes(size)) : THROUGHPUT_SIZES;
        const modes = WRITES ? CLIENT_WRITES.filter(({ writes }) => WRITES.includes(writes)) : CLIENT_WRITES;
        rows.push(...(await runThroughput(pairs, { rounds: ROUNDS, warmupMs: 200, durationMs: 800, log, sizes, modes })));
      });
      await part('latency', 'ping-pong latency', async () =>
        rows.push(...(await runLatency(pairs, { rounds: ROUNDS, warmupMs: 200, durationMs: 800, log }))),
      );
    } catch (error) {
      failures.push(`echo servers: ${String(error?.message ?? error).split('\n')[0]}`);
    } finally {
      if (pairs) await stopEchoPairs(pairs);
    }
  }
  await part('idle', 'idle sweep', async () => rows.push(...(await runIdleSweep({ connections, sweeps: 25, log }))));
  await part('loop', 'PollLoop: idle CPU with 1,000 peers, reply latency', async () => {
    const { rows: loopRows, notes } = await runPollLoop({ connections: Math.min(1000, connections), rounds: ROUNDS, log });
    rows.push(...loopRows);
    extra.push(...notes);
  });
  await part('memory', 'memory per connection', async () => rows.push(...(await runMemory({ connections, rounds: ROUNDS, log }))));
  await part('flood', 'a peer that floods and never reads', async () => rows.push(...(await runFlood({ rounds: ROUNDS, log }))));
  await part('scale', 'scale-out', async () => extra.push(...(await runScale({ rounds: ROUNDS, log }))));
  await part('variant', 'Variant encode/decode vs JSON', async () => {
    const variantModule = join(fileURLToPath(LIBRARY_DIR), 'variant', 'index.js');
    const output = execFileSync(process.execPath, [join(root, 'bench', 'variant.mjs')], {
      encoding: 'utf8', timeout: 120_000, env: { ...process.env, VARIANT_MODULE: variantModule },
    }).trim();
    log(output.split('\n').join('\n  '));
    extra.push(['Variant (GetVar/PutVar) against JSON.stringify/JSON.parse of the same data:', '', '```', output, '```'].join('\n'));
  });
  if (failures.length > 0) extra.push(['Parts that failed in this run:', '', ...failures.map((f) => `- ${f}`)].join('\n'));

  const loadAfter = loadAverage();
  const table = renderMarkdown(rows.map(withRatios));
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  const report = [
    '# Benchmark results',
    '',
    `\`${command}\`, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${seconds} s.`,
    '',
    `Machine: ${machineLine}. Load average (1 min) ${loadBefore} at the start, ${loadAfter} at the end.`,
    '',
    table,
    ...(extra.length ? ['', extra.join('\n')] : []),
    '',
    `Medians of ${ROUNDS} rounds; implementations alternate within each round. gdws = this package`,
    '(WebSocketPeer polled with setImmediate), ws = ws with bufferutil, net = raw TCP with a 4-byte',
    'length prefix (the I/O limit). Throughput and latency use the same implementation on both ends,',
    'each in its own process. InboundBufferSize and ws maxPayload are 128 MiB and OutboundBufferSize 0',
    '(no limit, as in ws) so that 100 messages of 1 MiB fit in flight. Ratios are gdws / other.',
    'See bench/README.md.',
    '',
  ].join('\n');
  console.log(`\n${table}${extra.length ? `\n\n${extra.join('\n')}` : ''}\n`);
  const checked = rows.map(withRatios).filter((row) => targetMet(row) !== '');
  const missed = checked.filter((row) => targetMet(row) === 'NOT met');
  console.log(`load average ${loadBefore} → ${loadAfter}`);
  console.log(`targets: ${checked.length - missed.length} of ${checked.length} met (${seconds} s)`);
  for (const row of missed) console.log(`  NOT met: ${row.name}`);
  writeFileSync(join(root, 'bench', 'RESULTS.md'), report);
  console.log('written to bench/RESULTS.md');
}

const watchdog = setTimeout(() => {
  console.error(`bench: gave up after ${RUN_TIMEOUT_MS / 60_000} minutes`);
  process.exit(0);
}, RUN_TIMEOUT_MS);
watchdog.unref();

try {
  await main();
} catch (error) {
  // Still exit 0: the bench reports, it never fails a build.
  console.error(`bench failed: ${error?.stack ?? error}`);
} finally {
  await stopAllChildren();
}
