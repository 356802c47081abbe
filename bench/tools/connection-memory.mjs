// Development tool (not part of npm run bench): what one idle connection costs a server, by part.
//   node bench/tools/connection-memory.mjs [impl=gdws|ws|net] [connections=2000]
// Opens the connections from another process (as the memory part of the bench does) and prints
// the growth per connection of RSS, V8's heap and external memory, and the live heap objects by
// constructor (from heap snapshots before and after). Native memory outside V8 (sockets' libuv
// handles, the codec's sessions) is what RSS grew by beyond the heap.
import { Child, stopAllChildren } from '../lib/child.mjs';

const impl = process.argv[2] ?? 'gdws';
const count = Number(process.argv[3] ?? 2000);
const SERVER = new URL('../roles/server.mjs', import.meta.url);
const CLIENT = new URL('../roles/client.mjs', import.meta.url);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens the connections to a fresh server and returns what `measure` saw before and after. */
async function withConnections(measure) {
  const server = new Child(SERVER, [], { execArgv: ['--expose-gc'] });
  const client = new Child(CLIENT);
  try {
    const { port } = await server.request('start', { impl });
    const before = await measure(server);
    await client.request('connect', { port, count, concurrency: 8, raw: impl === 'net' }, 180_000);
    while ((await server.request('openConnections')) < count) await sleep(20);
    await sleep(200);
    return [before, await measure(server)];
  } finally {
    await Promise.all([server.stop(), client.stop()]);
  }
}

try {
  // Two servers: a heap snapshot leaves memory behind that would blur the RSS of the first.
  const [memoryBefore, memoryAfter] = await withConnections((server) => server.request('memory', { detail: true }));
  const [heapBefore, heapAfter] = await withConnections((server) => server.request('heapStats', {}, 120_000));
  const per = (key) => (memoryAfter[key] - memoryBefore[key]) / count;
  console.log(`${impl}, ${count} idle connections, growth per connection:`);
  for (const key of ['rss', 'heapUsed', 'external', 'arrayBuffers']) console.log(`  ${key.padEnd(12)} ${per(key).toFixed(0).padStart(6)} B`);
  // V8 grows its young generation (up to 2 x 16 MiB) as objects survive; those pages count in
  // RSS once allocation has run through them, whatever is live.
  for (const key of ['newSpace', 'oldSpace']) console.log(`  ${key.padEnd(12)} ${per(key).toFixed(0).padStart(6)} B committed`);
  for (const key of ['mallocHeap', 'anonymous']) console.log(`  ${key.padEnd(12)} ${per(key).toFixed(0).padStart(6)} B resident (${key === 'mallocHeap' ? 'malloc arena' : "anonymous mappings: V8's pages, large malloc blocks"})`);
  console.log(`  rss - heapUsed - external ≈ ${(per('rss') - per('heapUsed') - per('external')).toFixed(0)} B (native memory outside V8, and heap pages)`);
  const rows = [];
  for (const key of new Set([...Object.keys(heapBefore), ...Object.keys(heapAfter)])) {
    const [countAfter, bytesAfter] = heapAfter[key] ?? [0, 0];
    const [countBefore, bytesBefore] = heapBefore[key] ?? [0, 0];
    const bytes = (bytesAfter - bytesBefore) / count;
    if (Math.abs(bytes) >= 4) rows.push([key, (countAfter - countBefore) / count, bytes]);
  }
  rows.sort((a, b) => b[2] - a[2]);
  const total = rows.reduce((sum, row) => sum + row[2], 0);
  console.log(`  live heap objects (snapshot), ${total.toFixed(0)} B per connection in these rows:`);
  for (const [key, objects, bytes] of rows.slice(0, 40)) console.log(`    ${bytes.toFixed(0).padStart(6)} B  ${objects.toFixed(2).padStart(5)}×  ${key}`);
} finally {
  await stopAllChildren();
}
