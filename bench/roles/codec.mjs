// The codec alone, in one process and without sockets: our CodecSession (native feed + payload
// views, as WebSocketPeer reads) against ws's Receiver, both parsing the same masked client
// frames delivered in socket-sized chunks.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { serveRequests } from '../lib/child.mjs';
import { LIBRARY_DIR } from '../lib/config.mjs';

const require = createRequire(import.meta.url);
// ws/lib/receiver.js, exported by ws as Receiver.
const { Receiver } = require('ws');
const { CodecSession } = await import(new URL('websocket/codec-session.js', LIBRARY_DIR).href);

/** Masked binary frames of `size` bytes, about `totalBytes` in all, cut into `chunkSize` reads. */
function makeInput(size, totalBytes, chunkSize) {
  const header = size < 126 ? 2 : size <= 0xffff ? 4 : 10;
  const frameLength = header + 4 + size;
  const count = Math.max(1, Math.floor(totalBytes / frameLength));
  const wire = Buffer.allocUnsafe(count * frameLength);
  const payload = randomBytes(size);
  for (let i = 0, at = 0; i < count; i++, at += frameLength) {
    wire[at] = 0x82; // FIN + binary
    if (header === 2) wire[at + 1] = 0x80 | size;
    else if (header === 4) {
      wire[at + 1] = 0x80 | 126;
      wire.writeUInt16BE(size, at + 2);
    } else {
      wire[at + 1] = 0x80 | 127;
      wire.writeBigUInt64BE(BigInt(size), at + 2);
    }
    const key = randomBytes(4);
    key.copy(wire, at + header);
    const body = at + header + 4;
    for (let j = 0; j < size; j++) wire[body + j] = payload[j] ^ key[j & 3];
  }
  const chunks = [];
  for (let at = 0; at < wire.length; at += chunkSize) chunks.push(wire.subarray(at, at + chunkSize));
  return { chunks, count, bytes: count * size };
}

// WebSocketPeer's read path: one receive() per socket read, every message handed to a sink as a
// view of the payload bytes (the peer's sink queues it for GetPacket()).
function parseWithGdws(chunks) {
  const codec = new CodecSession({ role: 'server', maxMessageSize: 0 });
  const sink = {
    messages: 0,
    bytes: 0,
    message(data) {
      this.messages++;
      this.bytes += data.length;
    },
    ping() {},
    pong() {},
  };
  const input = [null];
  for (const chunk of chunks) {
    input[0] = chunk;
    codec.receive(input, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0, sink);
  }
  return { messages: sink.messages, bytes: sink.bytes };
}

function parseWithWs(chunks) {
  const receiver = new Receiver({ isServer: true, maxPayload: 0, binaryType: 'nodebuffer' });
  let messages = 0;
  let bytes = 0;
  receiver.on('message', (data) => {
    messages++;
    bytes += data.length;
  });
  receiver.on('error', (error) => {
    throw error;
  });
  for (const chunk of chunks) receiver.write(chunk);
  return { messages, bytes };
}

const parsers = { gdws: parseWithGdws, ws: parseWithWs };
const MIN_CPU_SECONDS = 0.4;
const inputs = new Map();

const turn = () => new Promise((resolve) => setImmediate(resolve));

serveRequests({
  async run({ impl, size, totalBytes, chunkSize }) {
    const key = `${size}/${totalBytes}/${chunkSize}`;
    if (!inputs.has(key)) inputs.set(key, makeInput(size, totalBytes, chunkSize));
    const input = inputs.get(key);
    // CPU time, not wall time: parsing is synchronous, and on a shared machine the CPU time
    // stays steady while the wall time also counts the moments other processes ran.
    // The input is parsed again (by a fresh parser) until 0.4 s of CPU time have passed.
    const cpuBefore = process.cpuUsage();
    let seconds = 0;
    let messages = 0;
    let bytes = 0;
    while (seconds < MIN_CPU_SECONDS) {
      // Let the event loop turn between passes, as it does between a server's polls (Node runs
      // some deferred work, such as freeing external buffers, only then).
      if (messages > 0) await turn();
      const parsed = parsers[impl](input.chunks);
      // Both parsers deliver synchronously; a short count means the comparison would be wrong.
      if (parsed.messages !== input.count || parsed.bytes !== input.bytes) throw new Error(`${impl} parsed ${parsed.messages}/${input.count} messages`);
      messages += parsed.messages;
      bytes += parsed.bytes;
      const cpu = process.cpuUsage(cpuBefore);
      seconds = (cpu.user + cpu.system) / 1e6;
    }
    return { messages, seconds, messagesPerSecond: messages / seconds, mibPerSecond: bytes / seconds / 2 ** 20 };
  },
});
