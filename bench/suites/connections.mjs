// Many connections: the Poll() sweep over 10,000 idle peers, and the server's memory per
// connection. The connections come from plain-socket clients in two other processes.
import { Child } from '../lib/child.mjs';
import { median } from '../lib/stats.mjs';
import { rotated } from './echo.mjs';

const SERVER = new URL('../roles/server.mjs', import.meta.url);
const CLIENT = new URL('../roles/client.mjs', import.meta.url);
const CONNECTOR_PROCESSES = 2;
/** Handshakes in flight per client process: TcpServer listens with Godot's backlog of 8. */
const CONCURRENCY = 8;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function connectMany(server, port, count, raw = false) {
  const connectors = Array.from({ length: CONNECTOR_PROCESSES }, () => new Child(CLIENT));
  const share = Math.ceil(count / CONNECTOR_PROCESSES);
  const started = performance.now();
  await Promise.all(
    connectors.map((connector, i) =>
      connector.request('connect', { port, count: Math.min(share, count - i * share), concurrency: CONCURRENCY, raw }, 180_000),
    ),
  );
  // The server may publish the last handshakes a poll later than the client saw its 101.
  const deadline = performance.now() + 10_000;
  while ((await server.request('openConnections')) < count) {
    if (performance.now() > deadline) throw new Error('not every connection opened on the server');
    await sleep(20);
  }
  return { connectors, seconds: (performance.now() - started) / 1000 };
}

export async function runIdleSweep({ connections, sweeps, log }) {
  const server = new Child(SERVER, [], { execArgv: ['--expose-gc'] });
  let connectors = [];
  try {
    const { port } = await server.request('start', { impl: 'gdws' });
    const connected = await connectMany(server, port, connections);
    connectors = connected.connectors;
    log(`idle: ${connections} connections in ${connected.seconds.toFixed(1)} s`);
    const { peers, times } = await server.request('idleSweeps', { sweeps });
    if (peers !== connections) throw new Error(`swept ${peers} peers, expected ${connections}`);
    log(`idle sweep ms: ${times.map((t) => t.toFixed(3)).join(' ')}`);
    return [
      {
        name: `${connections.toLocaleString('en-US')} idle peers, one Poll() sweep (median of ${sweeps})`,
        unit: 'ms',
        values: { gdws: median(times) },
        target: { against: 'absolute', value: 1, unit: 'ms', atMost: true },
      },
    ];
  } finally {
    await Promise.all([server.stop(), ...connectors.map((c) => c.stop())]);
  }
}

/** gdws and ws, and idle raw TCP sockets (net) as the floor any WebSocket server stands on. */
export async function runMemory({ connections, rounds, log }) {
  const impls = ['gdws', 'ws', 'net'];
  const samples = { gdws: [], ws: [], net: [] };
  for (let round = 0; round < rounds; round++) {
    for (const impl of rotated(impls, round)) {
      const server = new Child(SERVER, [], { execArgv: ['--expose-gc'] });
      let connectors = [];
      try {
        const { port } = await server.request('start', { impl });
        const before = await server.request('memory');
        connectors = (await connectMany(server, port, connections, impl === 'net')).connectors;
        const after = await server.request('memory');
        samples[impl].push((after.rss - before.rss) / connections / 1024);
      } finally {
        await Promise.all([server.stop(), ...connectors.map((c) => c.stop())]);
      }
    }
  }
  log(`rss KiB/conn: ${impls.map((impl) => `${impl} ${samples[impl].map((v) => v.toFixed(2)).join('/')}`).join('  ')}`);
  return [
    {
      name: `${connections.toLocaleString('en-US')} connections, server RSS per connection`,
      unit: 'KiB',
      values: { gdws: median(samples.gdws), ws: median(samples.ws), net: median(samples.net) },
      target: { against: 'ws', value: 0.7, atMost: true },
    },
  ];
}

/**
 * A peer floods a server that reads and echoes but never reads the echoes: the server's RSS
 * growth (highest sample during the flood, against the RSS after a collection before it), with
 * 1 MiB buffers. gdws stops reading once its packet queue is full (Send refuses while 1 MiB is
 * unwritten); ws pauses its socket while more than 1 MiB waits to be written; net likewise.
 */
export async function runFlood({ rounds, log, size = 16 * 1024, durationMs = 2000, bufferSize = 2 ** 20 }) {
  const impls = ['gdws', 'ws', 'net'];
  const samples = { gdws: [], ws: [], net: [] };
  const written = { gdws: [], ws: [], net: [] };
  for (let round = 0; round < rounds; round++) {
    for (const impl of rotated(impls, round)) {
      const server = new Child(SERVER, [], { execArgv: ['--expose-gc'] });
      const client = new Child(CLIENT);
      try {
        const { port } = await server.request('startBounded', { impl, bufferSize });
        const before = await server.request('memory');
        const [{ peak, atPeak }, flood] = await Promise.all([
          server.request('watchRss', { durationMs: durationMs + 300 }),
          client.request('flood', { port, size, durationMs, raw: impl === 'net' }),
        ]);
        samples[impl].push((peak - before.rss) / 2 ** 20);
        if (process.env.BENCH_DEBUG && atPeak) {
          const mib = (key) => `${key} ${((atPeak[key] - before[key]) / 2 ** 20).toFixed(1)}`;
          log(`${impl} at the peak, growth in MiB: ${['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'].map(mib).join(', ')}`);
        }
        written[impl].push(flood.written / 2 ** 20);
      } finally {
        await Promise.all([server.stop(), client.stop()]);
      }
    }
  }
  log(`flood RSS growth MiB: ${impls.map((impl) => `${impl} ${samples[impl].map((v) => v.toFixed(1)).join('/')}`).join('  ')}`);
  log(`flood MiB the client wrote: ${impls.map((impl) => `${impl} ${written[impl].map((v) => v.toFixed(0)).join('/')}`).join('  ')}`);
  return [
    {
      name: `a peer floods ${size / 1024} KiB messages and never reads, server RSS growth (${bufferSize / 2 ** 20} MiB buffers)`,
      unit: 'MiB',
      values: { gdws: median(samples.gdws), ws: median(samples.ws), net: median(samples.net) },
      target: { against: 'ws', value: 1, atMost: true },
    },
  ];
}
