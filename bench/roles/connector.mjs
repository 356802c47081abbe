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
