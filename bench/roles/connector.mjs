// Many idle WebSocket connections at little cost to the client process: each is a plain socket
// that sends an RFC 6455 upgrade request and waits for the 101, then stays quiet.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { HOST } from '../lib/config.mjs';

const HANDSHAKE_TIMEOUT_MS = 30_000;

export class Connector {
  constructor() {
    this.sockets = [];
  }

  /**
   * Opens `count` connections, at most `concurrency` handshakes at a time. `raw`: plain TCP
   * connections without a WebSocket handshake (for the raw net server).
   */
  async connect({ port, count, concurrency, raw = false }) {
    let started = 0;
    const worker = async () => {
      while (started < count) {
        started++;
        this.sockets.push(await (raw ? connectRaw(port) : handshake(port)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    return this.sockets.length;
  }

  closeAll() {
    for (const socket of this.sockets) socket.destroy();
    const closed = this.sockets.length;
    this.sockets = [];
    return closed;
  }
}

/**
 * A peer that floods: after the handshake it sends `size`-byte binary messages (masked frames,
 * or length-prefixed for raw TCP) as fast as the socket takes them for `durationMs`, and never
 * reads a byte. Resolves to the bytes the socket accepted.
 */
export async function flood({ port, size, durationMs, raw = false }) {
  const socket = await (raw ? connectRaw(port) : handshake(port));
  socket.pause(); // never read the echoes
  const message = raw ? Buffer.concat([lengthPrefix(size), Buffer.alloc(size, 0x5a)]) : maskedFrame(size);
  let written = 0;
  const deadline = performance.now() + durationMs;
  await new Promise((resolve) => {
    const pump = () => {
      while (performance.now() < deadline) {
        written += message.length;
        if (!socket.write(message)) {
          socket.once('drain', pump);
          return;
        }
      }
      resolve();
    };
    // A server that stops reading never drains the socket again: the deadline ends the flood.
    const timer = setTimeout(resolve, durationMs);
    timer.unref();
    pump();
  });
  socket.destroy();
  return { written };
}

function lengthPrefix(length) {
  const prefix = Buffer.allocUnsafe(4);
  prefix.writeUInt32BE(length, 0);
  return prefix;
}

/** One masked binary frame (FIN) with a `size`-byte payload. */
function maskedFrame(size) {
  const header = size < 126 ? 2 : size <= 0xffff ? 4 : 10;
  const frame = Buffer.alloc(header + 4 + size, 0);
  frame[0] = 0x82;
  if (header === 2) frame[1] = 0x80 | size;
  else if (header === 4) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(size, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(size), 2);
  }
  randomBytes(4).copy(frame, header);
  return frame;
}

function connectRaw(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve(socket);
    });
  });
}

function handshake(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port });
    const timer = setTimeout(() => fail(new Error('handshake timed out')), HANDSHAKE_TIMEOUT_MS);
    let head = '';
    const fail = (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.on('error', fail);
    socket.on('connect', () => {
      socket.write(
        `GET / HTTP/1.1\r\nHost: ${HOST}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    const onData = (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      clearTimeout(timer);
      if (!head.startsWith('HTTP/1.1 101')) return fail(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
      socket.off('error', fail);
      socket.on('error', () => {});
      resolve(socket);
    };
    socket.on('data', onData);
  });
}
