/**
 * PollLoop: the poll function runs when one of the package's objects has something for it, and
 * never otherwise. Counted, not timed: over a quiet interval it must not run at all; data, a
 * waiting connection, DNS/connect/TLS progress, packets taken while input waited, room in a
 * backed-up socket and every peer timer (handshake, heartbeat, pong, multiplayer handshake) each
 * wake it a bounded number of times. Real sockets on loopback; the other ends are ws, raw sockets
 * or peers of this package.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Error, PollLoop, TcpServer, TlsOptions, WebSocketMultiplayerPeer, WebSocketPeer, X509Certificate } from '../src/index.js';
import { PollLoop as GDPollLoop } from '../src/gdscript.js';
import { createTestPki, type TestPki } from './helpers/certs.js';

const { State, WriteMode } = WebSocketPeer;
const str = (b: Uint8Array) => new TextDecoder().decode(b);
const root = fileURLToPath(new URL('..', import.meta.url));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const later = (cleanup: () => unknown) => cleanups.push(cleanup);

let pki: TestPki;
beforeAll(() => { pki = createTestPki(); });
afterAll(() => pki?.cleanup());

/** Starts a loop that is stopped after the test; `poll` also counts its runs for `runs()`. */
function startLoop(poll: () => void): PollLoop {
  const loop = PollLoop.Start(poll);
  later(() => loop.Stop());
  return loop;
}

/** Waits (without polling: only the loop polls) until `condition` holds, at most `ms`. */
async function waitFor(condition: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new globalThis.Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Waits until the loop has not run for `quietMs` (the activity of a set-up has settled). */
async function settle(loop: PollLoop, quietMs = 150): Promise<void> {
  let count = loop.GetRunCount();
  for (let i = 0; i < 40; i++) {
    await sleep(quietMs);
    if (loop.GetRunCount() === count) return;
    count = loop.GetRunCount();
  }
  throw new globalThis.Error('the loop never went quiet');
}

function listen(): TcpServer {
  const server = new TcpServer();
  expect(server.Listen(0, '127.0.0.1')).toBe(Error.Ok);
  later(() => server.Stop());
  return server;
}

/** A server that answers one WebSocket upgrade by hand and then lets the test control reading. */
async function rawWebSocketServer(): Promise<{ port: number; socket: Promise<Socket> }> {
  let resolveSocket: (socket: Socket) => void;
  const socket = new Promise<Socket>((resolve) => { resolveSocket = resolve; });
  const server = createServer((s) => {
    let head = '';
    s.on('error', () => {});
    const onData = (data: Buffer) => {
      head += data.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      s.off('data', onData);
      const key = /Sec-WebSocket-Key: (\S+)/i.exec(head)![1]!;
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      s.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      s.pause();
      resolveSocket(s);
    };
    s.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  later(() => new Promise<void>((resolve) => { void socket.then((s) => s.destroy()); server.close(() => resolve()); }));
  return { port: (server.address() as AddressInfo).port, socket };
}

describe('PollLoop', () => {
  it('runs once when started, then never while 40 open peers are idle', async () => {
    const server = listen();
    const served: WebSocketPeer[] = [];
    const clients = Array.from({ length: 20 }, () => {
      const peer = new WebSocketPeer();
      expect(peer.ConnectToUrl(`ws://127.0.0.1:${server.GetLocalPort()}/`)).toBe(Error.Ok);
      later(() => peer.Close(-1));
      return peer;
    });
    const loop = startLoop(() => {
      while (server.IsConnectionAvailable()) {
        const peer = new WebSocketPeer();
        peer.AcceptStream(server.TakeConnection());
        served.push(peer);
        later(() => peer.Close(-1));
      }
      for (const peer of [...clients, ...served]) peer.Poll();
    });
    expect(loop.GetRunCount()).toBe(0); // the first run is on the next turn, not inside Start()
    await waitFor(() => served.length === 20 && [...clients, ...served].every((p) => p.GetReadyState() === State.Open), 5000, 'all open');
    await settle(loop);
    const before = loop.GetRunCount();
    await sleep(600);
    expect(loop.GetRunCount() - before).toBe(0);
    expect(loop.IsRunning()).toBe(true);
  });

  it('wakes for data: a message from ws is answered inside the run that reads it', async () => {
    const server = listen();
    let peer: WebSocketPeer | null = null;
    const loop = startLoop(() => {
      if (!peer && server.IsConnectionAvailable()) {
        peer = new WebSocketPeer();
        peer.AcceptStream(server.TakeConnection());
        const p = peer;
        later(() => p.Close(-1));
      }
      if (!peer) return;
      peer.Poll();
      while (peer.GetAvailablePacketCount() > 0) peer.Send(peer.GetPacket(), WriteMode.Text);
    });
    const ws = new WebSocket(`ws://127.0.0.1:${server.GetLocalPort()}/`);
    later(() => ws.terminate());
    await new Promise((resolve) => ws.once('open', resolve));
    await settle(loop);
    for (let i = 0; i < 5; i++) {
      const before = loop.GetRunCount();
      const reply = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
      ws.send(`ping ${i}`);
      expect(await reply).toBe(`ping ${i}`);
      await settle(loop, 50);
      // The message's data event, plus at most a run for the room watch of the reply's write.
      expect(loop.GetRunCount() - before).toBeGreaterThanOrEqual(1);
      expect(loop.GetRunCount() - before).toBeLessThanOrEqual(3);
    }
  });

  it('wakes for a connection waiting in a TcpServer', async () => {
    const server = listen();
    let available = 0;
    const loop = startLoop(() => {
      while (server.IsConnectionAvailable()) {
        server.TakeConnection()!.DisconnectFromHost();
        available++;
      }
    });
    await settle(loop);
    const before = loop.GetRunCount();
    const socket = connect(server.GetLocalPort(), '127.0.0.1');
    socket.on('error', () => {});
    later(() => socket.destroy());
    await waitFor(() => available === 1, 3000, 'the connection');
    expect(loop.GetRunCount() - before).toBeLessThanOrEqual(3);
  });

  it('wakes for DNS, TCP connect and the server\'s answer: a ws:// client to "localhost" opens', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    later(() => new Promise((resolve) => wss.close(resolve)));
    await new Promise((resolve) => wss.once('listening', resolve));
    wss.on('connection', (ws) => ws.send('welcome'));
    const client = new WebSocketPeer();
    later(() => client.Close(-1));
    const got: string[] = [];
    const loop = startLoop(() => {
      client.Poll();
      while (client.GetAvailablePacketCount() > 0) got.push(str(client.GetPacket()));
    });
    // "localhost" may resolve to ::1 first (refused here: the server is IPv4), then 127.0.0.1.
    expect(client.ConnectToUrl(`ws://localhost:${(wss.address() as AddressInfo).port}/`)).toBe(Error.Ok);
    await waitFor(() => got.length === 1, 5000, 'the welcome message');
    expect(got).toEqual(['welcome']);
    expect(client.GetReadyState()).toBe(State.Open);
    expect(loop.GetRunCount()).toBeLessThanOrEqual(20);
  });

  it('wakes for the TLS handshake: a wss:// client opens against an https ws server', async () => {
    const https = createHttpsServer({ key: pki.server.key, cert: pki.server.chain });
    const wss = new WebSocketServer({ server: https });
    wss.on('connection', (ws) => ws.send('secure welcome'));
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    later(() => new Promise((resolve) => { wss.close(); https.closeAllConnections(); https.close(resolve); }));
    const ca = new X509Certificate();
    expect(ca.LoadFromString(pki.ca.cert)).toBe(Error.Ok);
    const client = new WebSocketPeer();
    later(() => client.Close(-1));
    const got: string[] = [];
    const loop = startLoop(() => {
      client.Poll();
      while (client.GetAvailablePacketCount() > 0) got.push(str(client.GetPacket()));
    });
    expect(client.ConnectToUrl(`wss://127.0.0.1:${(https.address() as AddressInfo).port}/`, TlsOptions.Client(ca))).toBe(Error.Ok);
    await waitFor(() => got.length === 1, 5000, 'the secure welcome');
    expect(got).toEqual(['secure welcome']);
    expect(loop.GetRunCount()).toBeLessThanOrEqual(20);
  });

  it('wakes for the handshake timeout of a client that never sends its request', async () => {
    const server = listen();
    const peer = new WebSocketPeer();
    peer.HandshakeTimeout = 0.3;
    later(() => peer.Close(-1));
    let accepted = false;
    const loop = startLoop(() => {
      if (!accepted && server.IsConnectionAvailable()) accepted = peer.AcceptStream(server.TakeConnection()) === Error.Ok;
      peer.Poll();
    });
    const socket = connect(server.GetLocalPort(), '127.0.0.1');
    socket.on('error', () => {});
    later(() => socket.destroy());
    await waitFor(() => accepted, 3000, 'the accept');
    const start = Date.now();
    await waitFor(() => peer.GetReadyState() === State.Closed, 3000, 'the timeout');
    expect(Date.now() - start).toBeGreaterThanOrEqual(250);
    expect(peer.GetCloseReason()).toMatch(/^handshake timed out after 0\.3 s/);
    expect(loop.GetRunCount()).toBeLessThanOrEqual(8);
  });

  it('wakes for heartbeat pings (answered by ws) and drops a peer whose pongs never come', async () => {
    const server = listen();
    const peers: WebSocketPeer[] = [];
    const loop = startLoop(() => {
      while (server.IsConnectionAvailable()) {
        const peer = new WebSocketPeer();
        peer.HeartbeatInterval = 0.2;
        peer.AcceptStream(server.TakeConnection());
        peers.push(peer);
        later(() => peer.Close(-1));
      }
      for (const peer of peers) peer.Poll();
    });
    // ws answers pings by itself; a raw socket that completed the upgrade never does.
    const ws = new WebSocket(`ws://127.0.0.1:${server.GetLocalPort()}/`);
    later(() => ws.terminate());
    const raw = connect(server.GetLocalPort(), '127.0.0.1');
    raw.on('error', () => {});
    later(() => raw.destroy());
    raw.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await waitFor(() => peers.length === 2, 3000, 'both connections');
    const start = loop.GetRunCount();
    // The raw peer: ping at once, no pong by the next ping (0.2 s later) → dropped.
    await waitFor(() => peers.some((p) => p.GetReadyState() === State.Closed), 3000, 'the drop');
    expect(peers.filter((p) => p.GetReadyState() === State.Open)).toHaveLength(1);
    const wsPeer = peers.find((p) => p.GetReadyState() === State.Open)!;
    await sleep(1000);
    expect(wsPeer.GetReadyState()).toBe(State.Open);
    expect(wsPeer.GetRoundTripTime()).toBeGreaterThanOrEqual(0);
    // About 5 pings per second, each a timer run and a pong run: tens of runs, not a busy loop.
    const runs = loop.GetRunCount() - start;
    expect(runs).toBeGreaterThanOrEqual(4);
    expect(runs).toBeLessThanOrEqual(40);
  });

  it('wakes for packets taken while input waited: 50 messages through a queue of 4', async () => {
    const server = listen();
    let peer: WebSocketPeer | null = null;
    const got: string[] = [];
    startLoop(() => {
      if (!peer && server.IsConnectionAvailable()) {
        peer = new WebSocketPeer();
        peer.MaxQueuedPackets = 4;
        peer.AcceptStream(server.TakeConnection());
        const p = peer;
        later(() => p.Close(-1));
      }
      if (!peer) return;
      peer.Poll();
      while (peer.GetAvailablePacketCount() > 0) got.push(str(peer.GetPacket()));
    });
    const ws = new WebSocket(`ws://127.0.0.1:${server.GetLocalPort()}/`);
    later(() => ws.terminate());
    await new Promise((resolve) => ws.once('open', resolve));
    for (let i = 0; i < 50; i++) ws.send(`m${i}`);
    await waitFor(() => got.length === 50, 5000, `50 messages (got ${got.length})`);
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  });

  it('wakes for room: sends refused by OutboundBufferSize resume when the other side reads again', async () => {
    const { port, socket } = await rawWebSocketServer();
    const client = new WebSocketPeer();
    client.OutboundBufferSize = 64 * 1024;
    later(() => client.Close(-1));
    const chunk = new Uint8Array(16 * 1024);
    const total = 400; // 6.4 MiB: far more than the socket buffers hold while the server does not read
    let sent = 0;
    let refused = 0;
    const loop = startLoop(() => {
      client.Poll();
      if (client.GetReadyState() !== State.Open) return;
      while (sent < total) {
        if (client.Send(chunk) !== Error.Ok) {
          refused++;
          break;
        }
        sent++;
      }
    });
    expect(client.ConnectToUrl(`ws://127.0.0.1:${port}/`)).toBe(Error.Ok);
    const server = await socket;
    await waitFor(() => refused > 0, 5000, 'a refused send');
    await settle(loop);
    const stalledAt = sent;
    expect(stalledAt).toBeLessThan(total);
    // Nothing happens while the server does not read...
    await sleep(300);
    expect(sent).toBe(stalledAt);
    // ...and everything goes once it does: no activity but the socket's room wakes the loop.
    server.on('data', () => {});
    server.resume();
    await waitFor(() => sent === total, 10_000, `all sends (at ${sent})`);
  });

  it('wakes for a multiplayer server\'s handshake timeout', async () => {
    const peer = new WebSocketMultiplayerPeer();
    peer.HandshakeTimeout = 0.3;
    expect(peer.CreateServer(0, '127.0.0.1')).toBe(Error.Ok);
    later(() => peer.Close());
    const loop = startLoop(() => peer.Poll());
    const socket = connect(peer.GetLocalPort(), '127.0.0.1');
    socket.on('error', () => {});
    later(() => socket.destroy());
    let closed = false;
    socket.on('close', () => { closed = true; });
    await waitFor(() => closed, 3000, 'the server to drop the silent connection');
    expect(loop.GetRunCount()).toBeLessThanOrEqual(10);
  });

  it('stops cleanly: no run after Stop(), Wake() runs it while running, the GDScript face has start()', async () => {
    let runs = 0;
    const loop = PollLoop.Start(() => { runs++; });
    await sleep(20);
    expect(runs).toBe(1);
    loop.Wake();
    loop.Wake();
    await sleep(20);
    expect(runs).toBe(2); // coalesced
    loop.Stop();
    expect(loop.IsRunning()).toBe(false);
    loop.Wake();
    const server = listen(); // activity of any object: nothing runs any more
    const socket = connect(server.GetLocalPort(), '127.0.0.1');
    socket.on('error', () => {});
    later(() => socket.destroy());
    await sleep(100);
    expect(runs).toBe(2);

    const gd = GDPollLoop.start(() => {});
    expect(gd.is_running()).toBe(true);
    gd.stop();
    expect(gd.is_running()).toBe(false);
    expect(() => PollLoop.Start('poll' as unknown as () => void)).toThrow(TypeError);
  });

  it('keeps nothing alive: a process whose connections have closed ends with its loop still started', () => {
    const script = [
      "import { GodotError, PollLoop, TcpServer, WebSocketPeer } from 'godot-websocket-peer';",
      'const server = new TcpServer();',
      "if (server.Listen(0, '127.0.0.1') !== GodotError.Ok) process.exit(2);",
      'const client = new WebSocketPeer();',
      'const peer = new WebSocketPeer();',
      'let accepted = false;',
      "client.ConnectToUrl('ws://127.0.0.1:' + server.GetLocalPort() + '/');",
      'const loop = PollLoop.Start(() => {',
      '  if (!accepted && server.IsConnectionAvailable()) accepted = peer.AcceptStream(server.TakeConnection()) === GodotError.Ok;',
      '  client.Poll(); peer.Poll();',
      "  if (client.GetReadyState() === WebSocketPeer.State.Open && peer.GetReadyState() === WebSocketPeer.State.Open) client.Close(1000, 'bye');",
      '  if (client.GetReadyState() === WebSocketPeer.State.Closed && peer.GetReadyState() === WebSocketPeer.State.Closed) server.Stop();',
      '});',
      "process.on('exit', () => console.log('exited', peer.GetCloseCode(), loop.IsRunning(), loop.GetRunCount() < 30));",
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 10_000 });
    expect(out.trim()).toBe('exited 1000 true true');
  });
});
