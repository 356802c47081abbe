// The gdws echo server as a node:cluster worker or a worker_threads worker: the same server code
// as the single-process benchmark, started with the port it is given.
import cluster from 'node:cluster';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startGdwsEchoServer } from './echo-servers.mjs';

const report = isMainThread ? (message) => process.send(message) : (message) => parentPort.postMessage(message);
const port = isMainThread ? Number(process.env.BENCH_PORT) : workerData.port;

try {
  const server = await startGdwsEchoServer(port);
  report({ port: server.port });
} catch (error) {
  report({ error: String(error?.message ?? error) });
}
if (cluster.isWorker) process.on('disconnect', () => process.exit(0));
