// Benchmark server process: one echo server (gdws, ws or net), plus what the idle and memory
// measurements ask of it. Started with --expose-gc so memory is measured after a collection.
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
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 10);
    await new Promise((resolve) => setTimeout(resolve, durationMs));
    clearInterval(timer);
    return { peak: Math.max(peak, process.memoryUsage.rss()) };
  },
  openConnections: () => server.openConnections(),
  sendErrors: () => server.sendErrors(),
  memory() {
    collectGarbage();
    const usage = process.memoryUsage();
    return { rss: usage.rss, heapTotal: usage.heapTotal, heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers };
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
  close() {
    server?.close();
    server = null;
  },
});
