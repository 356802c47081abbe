/** A raw TCP client that completed the WebSocket upgrade with one of our server peers. */
import { connect, type Socket } from 'node:net';
import { TcpServer, WebSocketPeer } from '../../src/index.js';
import { pollUntil } from './loop.js';

export interface RawClient {
  tcp: TcpServer;
  server: WebSocketPeer;
  socket: Socket;
  /** Every byte the server sent after its 101 response. */
  frames(): Buffer;
  ended(): boolean;
  close(): void;
}

export async function openRawClient(configureServer?: (peer: WebSocketPeer) => void): Promise<RawClient> {
  const tcp = new TcpServer();
  tcp.Listen(0, '127.0.0.1');
  const server = new WebSocketPeer();
  configureServer?.(server);
  const socket = connect({ port: tcp.GetLocalPort(), host: '127.0.0.1' });
  const received: Buffer[] = [];
  let ended = false;
  socket.on('data', (d) => received.push(d));
  socket.on('close', () => { ended = true; });
  socket.on('error', () => {});
  socket.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
  await pollUntil([server], () => {
    if (tcp.IsConnectionAvailable()) server.AcceptStream(tcp.TakeConnection());
    return server.GetReadyState() === WebSocketPeer.State.Open;
  });
  return {
    tcp,
    server,
    socket,
    frames() {
      const all = Buffer.concat(received);
      return all.subarray(all.indexOf('\r\n\r\n') + 4);
    },
    ended: () => ended,
    close() {
      socket.destroy();
      server.Dispose();
      tcp.Stop();
    },
  };
}
