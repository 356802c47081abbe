// Benchmark server process: one echo server (gdws, ws or net), plus what the idle and memory
// measurements ask of it. Started with --expose-gc so memory is measured after a collection.
import { readFileSync } from 'node:fs';
import { getHeapSnapshot, getHeapSpaceStatistics } from 'node:v8';
import { serveRequests } from '../lib/child.mjs';
import { startBoundedEchoServer, startEchoServer } from './echo-servers.mjs';

let server = null;

function collectGarbage() {
  if (typeof globalThis.gc !== 'function') throw new Error('server needs --expose-gc');
  for (let i = 0; i < 3; i++) globalThis.gc();
}

serveRequests({
  async start({ impl }) {
    server = await startEchoServer(impl);
    return { port: server.port };
  },
  async startBounded({ impl, bufferSize }) {
    server = await startBoundedEchoServer(impl, bufferSize);
    return { port: server.port };
  },
  /** The highest RSS seen, sampled every 10 ms for durationMs (while a peer floods the server). */
  async watchRss({ durationMs }) {
    let peak = process.memoryUsage.rss();
    let atPeak = null;
    const timer = setInterval(() => {
      const rss = process.memoryUsage.rss();
      if (rss > peak) {
        peak = rss;
        if (process.env.BENCH_DEBUG) atPeak = process.memoryUsage();
      }
    }, 10);
    await new Promise((resolve) => setTimeout(resolve, durationMs));
    clearInterval(timer);
    return { peak: Math.max(peak, process.memoryUsage.rss()), atPeak };
  },
  openConnections: () => server.openConnections(),
  sendErrors: () => server.sendErrors(),
  /** detail (connection-memory.mjs): V8 spaces and resident bytes by mapping too (not for the bench's RSS rows). */
  memory({ detail = false } = {}) {
    collectGarbage();
    const usage = process.memoryUsage();
    const basic = { rss: usage.rss, heapTotal: usage.heapTotal, heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers };
    if (!detail) return basic;
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, space.space_size]));
    return { ...basic, newSpace: spaces.new_space, oldSpace: spaces.old_space, ...residentByMapping() };
  },
  /** Live heap objects by kind and constructor: { "object Foo": [count, bytes] } (after a collection). */
  async heapStats() {
    collectGarbage();
    return summarizeSnapshot(JSON.parse(await readStream(getHeapSnapshot())));
  },
  /** Times `sweeps` Poll() sweeps over every peer while nothing arrives (gdws only). */
  idleSweeps({ sweeps }) {
    server.pause();
    // A few unmeasured sweeps first: the first ones after 10,000 handshakes run cold code.
    for (let i = 0; i < 5; i++) server.sweep();
    collectGarbage();
    const times = [];
    let peers = 0;
    for (let i = 0; i < sweeps; i++) {
      const start = process.hrtime.bigint();
      peers = server.sweep();
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return { peers, times };
  },
  /** The process's CPU time over `ms` of wall time, in percent of one core, and the poll runs meanwhile. */
  async cpu({ ms }) {
    const runsBefore = server.runCount?.() ?? NaN;
    const before = process.cpuUsage();
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, ms));
    const used = process.cpuUsage(before);
    const wallMs = performance.now() - start;
    return { percent: ((used.user + used.system) / 1000 / wallMs) * 100, runs: (server.runCount?.() ?? NaN) - runsBefore };
  },
  close() {
    server?.close();
    server = null;
  },
});

/**
 * Resident bytes of the malloc heap (brk) and of anonymous mappings (V8's heap pages, large
 * malloc blocks): where RSS grew beyond V8's own accounting.
 */
function residentByMapping() {
  let mallocHeap = 0;
  let anonymous = 0;
  let region = '';
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) region = mapping[1];
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && region === '[heap]') mallocHeap += Number(rss[1]) * 1024;
    else if (rss && region === '') anonymous += Number(rss[1]) * 1024;
  }
  return { mallocHeap, anonymous };
}

async function readStream(stream) {
  const parts = [];
  for await (const part of stream) parts.push(part);
  return parts.join('');
}

/**
 * Counts and bytes per kind and constructor. Plain objects, arrays, closures and strings are
 * also named by what holds them ("Array ← WebSocketPeer.supportedProtocols"), so a growth can be
 * traced to the field that keeps it.
 */
function summarizeSnapshot(snapshot) {
  const { node_fields: fields, node_types: [types], edge_fields: edgeFields, edge_types: [edgeTypes] } = snapshot.snapshot.meta;
  const stride = fields.length;
  const edgeStride = edgeFields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const edgeCountAt = fields.indexOf('edge_count');
  const edgeTypeAt = edgeFields.indexOf('type');
  const edgeNameAt = edgeFields.indexOf('name_or_index');
  const edgeToAt = edgeFields.indexOf('to_node');
  const { nodes, edges, strings } = snapshot;
  const nameOf = (i) => {
    const type = types[nodes[i + typeAt]];
    return type === 'object' || type === 'native' || type === 'closure' ? `${type} ${strings[nodes[i + nameAt]]}` : type;
  };
  // The first named (property or context) edge that holds each node.
  const holder = new Map();
  for (let i = 0, e = 0; i < nodes.length; i += stride) {
    const count = nodes[i + edgeCountAt];
    for (let k = 0; k < count; k++, e += edgeStride) {
      const to = edges[e + edgeToAt];
      if (holder.has(to)) continue;
      const edgeType = edgeTypes[edges[e + edgeTypeAt]];
      if (edgeType !== 'property' && edgeType !== 'context' && edgeType !== 'internal') continue;
      const edgeName = edgeType === 'element' ? '[]' : strings[edges[e + edgeNameAt]];
      holder.set(to, `${strings[nodes[i + nameAt]]}.${edgeName}`);
    }
  }
  const totals = {};
  for (let i = 0; i < nodes.length; i += stride) {
    let key = nameOf(i);
    if (/^(object (Object|Array)|closure|array|string|concatenated string|hidden)/.test(key)) key += ` ← ${holder.get(i) ?? '?'}`;
    const entry = (totals[key] ??= [0, 0]);
    entry[0]++;
    entry[1] += nodes[i + sizeAt];
  }
  return totals;
}
