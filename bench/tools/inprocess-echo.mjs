// Development tool (not part of npm run bench): an echo server and its client in ONE process,
// 100 messages in flight, so that a CPU profile shows both ends of the data path and the CPU
// time per message is measurable on a busy machine:
//   node [--cpu-prof] bench/tools/inprocess-echo.mjs [size=16] [seconds=3] [impl=gdws|ws|net] [writes=batched|per-send]
// (INFLIGHT=n changes the 100 messages in flight)
// gdws needs build/bench-lib (any `npm run bench` run compiles it).
import { startEchoServer } from '../roles/echo-servers.mjs';
import { clients } from '../roles/echo-clients.mjs';

const size = Number(process.argv[2] ?? 16);
const seconds = Number(process.argv[3] ?? 3);
const impl = process.argv[4] ?? 'gdws';
const writes = process.argv[5] ?? 'batched';
const INFLIGHT = Number(process.env.INFLIGHT ?? 100);

const server = await startEchoServer(impl);
const payload = Buffer.alloc(size, 0x5a);
let received = 0;
let running = true;
const connection = await clients[impl](server.port, () => {
  received++;
  if (running) connection.send(payload);
}, writes);
const started = performance.now();
const cpuAtStart = process.cpuUsage();
for (let i = 0; i < INFLIGHT; i++) connection.send(payload);
setTimeout(() => {
  running = false;
  const rate = received / ((performance.now() - started) / 1000);
  // CPU time per echoed message (both ends): steadier than the rate on a shared machine.
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuPerMessage = (cpu.user + cpu.system) / received;
  console.log(`${impl} ${writes} ${size} B: ${Math.round(rate).toLocaleString('en-US')} msg/s, ${((rate * size) / 2 ** 20).toFixed(0)} MiB/s, ${cpuPerMessage.toFixed(3)} cpu-µs/msg`);
  connection.close();
  server.close();
  setTimeout(() => process.exit(0), 50);
}, seconds * 1000);
