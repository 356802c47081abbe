// PollLoop: what an event-driven poll loop costs while idle, and how fast it answers.
// - idle CPU: a server holding 1,000 idle open WebSocket connections (plain-socket clients in
//   two other processes); the server process's CPU time over a window of wall time
//   (process.cpuUsage), gdws under PollLoop against ws and idle raw TCP sockets (net). For
//   contrast, the same gdws server under a 16 ms setInterval frame timer.
// - reply latency: one connection, one 64 B message at a time, round trips measured by an
//   event-driven client: ws's client for the gdws PollLoop server and for the ws server, the raw
//   length-prefixed client for net; and the frame-timer gdws server for contrast.
import { Child } from '../lib/child.mjs';
import { median } from '../lib/stats.mjs';
import { connectMany } from './connections.mjs';
import { rotated } from './echo.mjs';

const SERVER = new URL('../roles/server.mjs', import.meta.url);
const CLIENT = new URL('../roles/client.mjs', import.meta.url);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Server implementation → the table column it is reported in. */
const IDLE = [['gdws-loop', 'gdws'], ['ws', 'ws'], ['net', 'net']];

export async function runPollLoop({ connections = 1000, rounds, windowMs = 2000, log }) {
  const idle = await idleCpu({ connections, rounds, windowMs, log });
  const replies = await replyLatency({ rounds, log });
  return {
    rows: [...idle.rows, ...replies.rows],
    notes: [
      `For contrast, the same gdws server polled by a 16 ms setInterval frame timer: ${idle.timer.toFixed(2)} % CPU idle with ` +
        `${connections.toLocaleString('en-US')} peers, round trip p50 ${replies.timer.p50.toFixed(0)} µs, p99 ${replies.timer.p99.toFixed(0)} µs; ` +
        `a setImmediate loop keeps a core busy (about 100 %) whenever it has peers. PollLoop ran its poll function ` +
        `${idle.runs} times in the ${rounds} idle windows (${(windowMs / 1000).toFixed(0)} s each).`,
    ],
  };
}

async function startServer(impl, connections) {
  const server = new Child(SERVER, [], { execArgv: ['--expose-gc'] });
  try {
    const { port } = await server.request('start', { impl });
    const { connectors } = await connectMany(server, port, connections, impl === 'net');
    return { server, connectors };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function idleCpu({ connections, rounds, windowMs, log }) {
  const samples = { gdws: [], ws: [], net: [] };
  let runs = 0;
  const started = [];
  try {
    for (const [impl, column] of IDLE) {
      const { server, connectors } = await startServer(impl, connections);
      started.push(server, ...connectors);
      await sleep(1000); // the handshakes' last polls and timers settle
      for (let round = 0; round < rounds; round++) {
        const { percent, runs: loopRuns } = await server.request('cpu', { ms: windowMs }, windowMs + 10_000);
        samples[column].push(percent);
        if (impl === 'gdws-loop') runs += loopRuns;
      }
      await Promise.all([server.stop(), ...connectors.map((c) => c.stop())]);
    }
    const { server, connectors } = await startServer('gdws-timer', connections);
    started.push(server, ...connectors);
    await sleep(1000);
    const timer = (await server.request('cpu', { ms: windowMs }, windowMs + 10_000)).percent;
    await Promise.all([server.stop(), ...connectors.map((c) => c.stop())]);
    log(`idle CPU % with ${connections} peers: ${Object.entries(samples).map(([k, v]) => `${k} ${v.map((x) => x.toFixed(2)).join('/')}`).join('  ')}  (16 ms timer ${timer.toFixed(2)}; PollLoop runs ${runs})`);
    return {
      rows: [{
        name: `${connections.toLocaleString('en-US')} idle peers, server CPU (gdws: PollLoop)`,
        unit: '%',
        values: { gdws: median(samples.gdws), ws: median(samples.ws), net: median(samples.net) },
        target: { against: 'absolute', value: 1, unit: '%', atMost: true },
      }],
      timer,
      runs,
    };
  } finally {
    await Promise.all(started.map((child) => child.stop()));
  }
}

async function replyLatency({ rounds, log }) {
  const pairs = {};
  try {
    for (const impl of ['gdws-loop', 'gdws-timer', 'ws', 'net']) {
      const server = new Child(SERVER, [], { execArgv: ['--expose-gc'] });
      const client = new Child(CLIENT);
      pairs[impl] = { server, client, port: (await server.request('start', { impl })).port };
    }
    const clientOf = { 'gdws-loop': 'ws', 'gdws-timer': 'ws', ws: 'ws', net: 'net' };
    const p50 = { 'gdws-loop': [], 'gdws-timer': [], ws: [], net: [] };
    const p99 = { 'gdws-loop': [], 'gdws-timer': [], ws: [], net: [] };
    for (let round = 0; round < rounds; round++) {
      for (const impl of rotated(Object.keys(pairs), round)) {
        const { client, port } = pairs[impl];
        const result = await client.request('latency', { impl: clientOf[impl], port, size: 64, warmupMs: 200, durationMs: 800 });
        p50[impl].push(result.p50);
        p99[impl].push(result.p99);
      }
    }
    log(`reply p50 µs: ${Object.entries(p50).map(([k, v]) => `${k} ${v.map((x) => x.toFixed(0)).join('/')}`).join('  ')}`);
    log(`reply p99 µs: ${Object.entries(p99).map(([k, v]) => `${k} ${v.map((x) => x.toFixed(0)).join('/')}`).join('  ')}`);
    const values = (samples) => ({ gdws: median(samples['gdws-loop']), ws: median(samples.ws), net: median(samples.net) });
    const target = { against: 'absolute', value: 1000, unit: 'µs', atMost: true };
    return {
      rows: [
        { name: 'reply to a 64 B message, event-driven client, round trip p50 (gdws: PollLoop server)', unit: 'µs', values: values(p50), target },
        { name: 'reply to a 64 B message, event-driven client, round trip p99 (gdws: PollLoop server)', unit: 'µs', values: values(p99), target },
      ],
      timer: { p50: median(p50['gdws-timer']), p99: median(p99['gdws-timer']) },
    };
  } finally {
    await Promise.all(Object.values(pairs).flatMap(({ server, client }) => [server.stop(), client.stop()]));
  }
}
