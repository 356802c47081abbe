// Measurements over the echo clients: throughput with N messages in flight, and ping-pong
// round-trip times. Both count only what happens after a warm-up.
import { clients, sendErrors } from './echo-clients.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens `connections` connections, keeps `inflight` messages of `size` bytes in flight on each
 * (every echo received is answered with a new message), and counts echoes in the window.
 */
export async function throughput({ impl, ports, size, inflight, connections = 1, warmupMs, durationMs, writes = 'batched' }) {
  const payload = Buffer.alloc(size, 0x5a);
  let received = 0;
  let running = true;
  const errorsBefore = sendErrors;
  const opened = [];
  for (let i = 0; i < connections; i++) {
    const port = ports[i % ports.length];
    const connection = await clients[impl](port, () => {
      received++;
      if (running) connection.send(payload);
    }, writes);
    opened.push(connection);
  }
  for (const connection of opened) for (let i = 0; i < inflight; i++) connection.send(payload);
  await sleep(warmupMs);
  const startCount = received;
  const start = performance.now();
  await sleep(durationMs);
  const messages = received - startCount;
  const seconds = (performance.now() - start) / 1000;
  running = false;
  for (const connection of opened) connection.close();
  if (sendErrors !== errorsBefore) throw new Error(`${impl}: ${sendErrors - errorsBefore} sends failed`);
  return { messages, seconds, messagesPerSecond: messages / seconds, mibPerSecond: (messages * size) / seconds / 2 ** 20 };
}

/** One message in flight: each round trip's time, from send to its echo, in microseconds. */
export async function latency({ impl, port, size, warmupMs, durationMs }) {
  const payload = Buffer.alloc(size, 0x5a);
  const samples = [];
  let sentAt = 0;
  let recording = false;
  let running = true;
  const connection = await clients[impl](port, () => {
    const now = performance.now();
    if (recording) samples.push((now - sentAt) * 1000);
    if (!running) return;
    sentAt = performance.now();
    connection.send(payload);
  });
  sentAt = performance.now();
  connection.send(payload);
  await sleep(warmupMs);
  recording = true;
  await sleep(durationMs);
  running = false;
  recording = false;
  connection.close();
  return samples;
}
