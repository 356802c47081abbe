// Echo throughput over one connection with 100 messages in flight, and 64 B ping-pong latency.
// One server process and one client process per implementation, started once; every round runs
// the implementations one after another in a rotating order.
import { Child } from '../lib/child.mjs';
import { median } from '../lib/stats.mjs';

const IMPLS = ['gdws', 'ws', 'net'];
const SERVER = new URL('../roles/server.mjs', import.meta.url);
const CLIENT = new URL('../roles/client.mjs', import.meta.url);

/** How the clients write (see bench/roles/echo-clients.mjs); every size runs in both modes. */
export const CLIENT_WRITES = [
  { writes: 'batched', label: 'batched client writes' },
  { writes: 'per-send', label: 'a client write per Send' },
];

export const THROUGHPUT_SIZES = [
  { size: 16, label: '16 B', unit: 'msg/s', target: { against: 'ws', value: 3 } },
  { size: 1024, label: '1 KiB', unit: 'msg/s', target: { against: 'ws', value: 3 } },
  { size: 64 * 1024, label: '64 KiB', unit: 'MiB/s', target: { against: 'net', value: 1 } },
  { size: 1024 * 1024, label: '1 MiB', unit: 'MiB/s', target: { against: 'net', value: 1 } },
];

export function rotated(list, round) {
  return list.map((_, i) => list[(i + round) % list.length]);
}

export async function startEchoPairs() {
  const pairs = {};
  for (const impl of IMPLS) {
    const server = new Child(SERVER, [], { execArgv: ['--expose-gc'] });
    const client = new Child(CLIENT);
    const { port } = await server.request('start', { impl });
    pairs[impl] = { server, client, port };
  }
  return pairs;
}

export async function stopEchoPairs(pairs) {
  await Promise.all(Object.values(pairs).flatMap(({ server, client }) => [server.stop(), client.stop()]));
}

export async function runThroughput(pairs, { rounds, warmupMs, durationMs, log, sizes = THROUGHPUT_SIZES, modes = CLIENT_WRITES }) {
  const rows = [];
  for (const { writes, label: mode } of modes) {
    for (const { size, label, unit, target } of sizes) {
      const samples = Object.fromEntries(IMPLS.map((impl) => [impl, []]));
      for (let round = 0; round < rounds; round++) {
        for (const impl of rotated(IMPLS, round)) {
          const { client, port } = pairs[impl];
          const result = await client.request('throughput', { impl, ports: [port], size, inflight: 100, warmupMs, durationMs, writes });
          samples[impl].push(unit === 'msg/s' ? result.messagesPerSecond : result.mibPerSecond);
        }
      }
      for (const impl of IMPLS) {
        const errors = await pairs[impl].server.request('sendErrors');
        if (errors > 0) throw new Error(`${impl} server: ${errors} sends failed`);
      }
      const values = Object.fromEntries(IMPLS.map((impl) => [impl, median(samples[impl])]));
      log(`echo ${label}, ${mode}: ${IMPLS.map((impl) => `${impl} ${samples[impl].map((v) => v.toFixed(0)).join('/')}`).join('  ')}`);
      rows.push({ name: `echo, 100 in flight, ${label}, ${mode}`, unit, values, target });
    }
  }
  return rows;
}

export async function runLatency(pairs, { rounds, warmupMs, durationMs, log }) {
  const p50 = Object.fromEntries(IMPLS.map((impl) => [impl, []]));
  const p99 = Object.fromEntries(IMPLS.map((impl) => [impl, []]));
  for (let round = 0; round < rounds; round++) {
    for (const impl of rotated(IMPLS, round)) {
      const { client, port } = pairs[impl];
      const result = await client.request('latency', { impl, port, size: 64, warmupMs, durationMs });
      p50[impl].push(result.p50);
      p99[impl].push(result.p99);
    }
  }
  log(`latency p50 µs: ${IMPLS.map((impl) => `${impl} ${p50[impl].map((v) => v.toFixed(0)).join('/')}`).join('  ')}`);
  log(`latency p99 µs: ${IMPLS.map((impl) => `${impl} ${p99[impl].map((v) => v.toFixed(0)).join('/')}`).join('  ')}`);
  const target = { against: 'ws', value: 1, atMost: true };
  return [
    { name: 'ping-pong 64 B, round trip p50', unit: 'µs', values: medians(p50), target },
    { name: 'ping-pong 64 B, round trip p99', unit: 'µs', values: medians(p99), target },
  ];
}

function medians(samples) {
  return Object.fromEntries(Object.entries(samples).map(([impl, values]) => [impl, median(values)]));
}
