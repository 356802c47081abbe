// Scale-out server process: runs the gdws echo server in the main thread ('plain'), under
// node:cluster (workers share one port through the primary), or in worker_threads (each worker
// listens on a port of its own; clients spread over them).
import cluster from 'node:cluster';
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { serveRequests } from '../lib/child.mjs';
import { HOST } from '../lib/config.mjs';

const WORKER = new URL('./scale-worker.mjs', import.meta.url);
const START_TIMEOUT_MS = 10_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen({ host: HOST, port: 0 }, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function firstMessage(emitter, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start`)), START_TIMEOUT_MS);
    emitter.once('message', (message) => {
      clearTimeout(timer);
      if (message.error) reject(new Error(`${what}: ${message.error}`));
      else resolve(message.port);
    });
    emitter.once('exit', (code) => reject(new Error(`${what} exited (${code})`)));
  });
}

async function start({ mode, workers }) {
  if (mode === 'plain') {
    const { startGdwsEchoServer } = await import('./echo-servers.mjs');
    return [(await startGdwsEchoServer(0)).port];
  }
  if (mode === 'worker_threads') {
    const threads = Array.from({ length: workers }, () => new Worker(WORKER, { workerData: { port: 0 } }));
    return Promise.all(threads.map((thread, i) => firstMessage(thread, `worker thread ${i}`)));
  }
  if (mode === 'cluster') {
    const port = await freePort();
    // silent: a worker that fails to listen also throws inside node:cluster; its stack is noise here.
    cluster.setupPrimary({ exec: new URL(WORKER).pathname, silent: true });
    const forked = Array.from({ length: workers }, () => cluster.fork({ BENCH_PORT: String(port) }));
    await Promise.all(forked.map((worker, i) => firstMessage(worker, `cluster worker ${i}`)));
    return [port];
  }
  throw new Error(`unknown mode ${mode}`);
}

serveRequests({ start });
