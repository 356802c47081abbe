/**
 * WebSocketPeer.AcceptHttpUpgrade: WebSocket peers on the port of a node:http / node:https server
 * that keeps serving ordinary requests. After the upgrade the peer must behave exactly as one
 * that AcceptStream()ed a TcpServer stream: subprotocols, HandshakeHeaders, limits, states,
 * GetRequestedUrl (wss:// over https), GetConnectedHost/Port, and the same HTTP answer, byte for
 * byte, for a request that is not a valid upgrade. Clients: our WebSocketPeer, ws, raw sockets.
 */
import { get as httpGet, createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { get as httpsGet, createServer as createHttpsServer } from 'node:https';
import { connect, Socket, type AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Error, TcpServer, TlsOptions, WebSocketPeer, X509Certificate } from '../src/index.js';
import { WebSocketPeer as GDWebSocketPeer, OK } from '../src/gdscript.js';
import { createTestPki, type TestPki } from './helpers/certs.js';
import { pollUntil } from './helpers/loop.js';

const { State, WriteMode } = WebSocketPeer;
/** Polls every peer of a list that grows while the test runs (peers made in 'upgrade' events). */
const all = (peers: { Poll(): unknown }[]) => ({ Poll: () => { for (const peer of peers) peer.Poll(); } });
const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

let pki: TestPki;
beforeAll(() => { pki = createTestPki(); });
afterAll(() => pki?.cleanup());

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * An HTTP(S) server whose ordinary requests get "plain <url>" and whose upgrades are handed to a
 * new WebSocketPeer (configured by `configure`), the way a user wires it.
 */
async function startServer(options: { https?: boolean; configure?: (peer: WebSocketPeer) => void } = {}) {
  const peers: WebSocketPeer[] = [];
  const results: Error[] = [];
  const handler = (request: IncomingMessage, response: import('node:http').ServerResponse) => response.end(`plain ${request.url}`);
  const server: Server = options.https
    ? createHttpsServer({ key: pki.server.key, cert: pki.server.chain }, handler)
    : createHttpServer(handler);
  server.on('upgrade', (request, socket, head) => {
    const peer = new WebSocketPeer();
    options.configure?.(peer);
    results.push(peer.AcceptHttpUpgrade(request, socket, head));
    peers.push(peer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const peer of peers) peer.Close(-1);
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { server, port, peers, results };
}

function fetchText(url: string, ca?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    get(url, ca ? { ca } : {}, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve(`${response.statusCode} ${body}`));
    }).on('error', reject);
  });
}

function client(url: string, setup?: (peer: WebSocketPeer) => void, tls: TlsOptions | null = null): WebSocketPeer {
  const peer = new WebSocketPeer();
  setup?.(peer);
  expect(peer.ConnectToUrl(url, tls)).toBe(Error.Ok);
  cleanups.push(() => peer.Close(-1));
  return peer;
}

describe('AcceptHttpUpgrade on a node:http server', () => {
  it('serves ordinary requests and WebSocket peers on one port, as AcceptStream would', async () => {
    const { port, peers, results } = await startServer({
      configure: (peer) => {
        peer.SupportedProtocols = ['chat', 'json'];
        peer.HandshakeHeaders = ['X-Served-By: gdws'];
      },
    });
    expect(await fetchText(`http://127.0.0.1:${port}/page?x=1`)).toBe('200 plain /page?x=1');

    const ours = client(`ws://127.0.0.1:${port}/game?room=7`, (peer) => { peer.SupportedProtocols = ['json', 'chat']; });
    await pollUntil([ours, all(peers)], () => ours.GetReadyState() === State.Open && peers[0]?.GetReadyState() === State.Open);
    const served = peers[0]!;
    expect(results).toEqual([Error.Ok]);
    expect(ours.GetSelectedProtocol()).toBe('json');
    expect(served.GetSelectedProtocol()).toBe('json');
    expect(served.GetRequestedUrl()).toBe(`ws://127.0.0.1:${port}/game?room=7`);
    expect(served.GetConnectedHost()).toBe('127.0.0.1');
    expect(served.GetConnectedPort()).toBeGreaterThan(0);
    expect(served.GetConnectedPort()).not.toBe(port);

    // Messages both ways, with their kind.
    expect(ours.SendText('hello')).toBe(Error.Ok);
    expect(ours.Send(new Uint8Array([0, 1, 255]))).toBe(Error.Ok);
    const got: string[] = [];
    await pollUntil([ours, served], () => {
      while (served.GetAvailablePacketCount() > 0) {
        const packet = served.GetPacket();
        got.push(served.WasStringPacket() ? `text ${str(packet)}` : `binary ${[...packet].join(',')}`);
        served.Send(packet, served.WasStringPacket() ? WriteMode.Text : WriteMode.Binary);
      }
      return got.length === 2 && ours.GetAvailablePacketCount() === 2;
    });
    expect(got).toEqual(['text hello', 'binary 0,1,255']);
    expect(str(ours.GetPacket())).toBe('hello');
    expect(ours.WasStringPacket()).toBe(true);

    // The HTTP server still serves while the peer is open.
    expect(await fetchText(`http://127.0.0.1:${port}/again`)).toBe('200 plain /again');

    // Closing: the server side starts it, both end Closed with the code and reason.
    served.Close(4001, 'done');
    expect(served.GetReadyState()).toBe(State.Closing);
    await pollUntil([ours, served], () => ours.GetReadyState() === State.Closed && served.GetReadyState() === State.Closed);
    expect([ours.GetCloseCode(), ours.GetCloseReason()]).toEqual([4001, 'done']);
    expect(served.GetCloseCode()).toBe(4001);
  });

  it('ws as the client sees the subprotocol and the HandshakeHeaders', async () => {
    const { port, peers } = await startServer({
      configure: (peer) => {
        peer.SupportedProtocols = ['v2'];
        peer.HandshakeHeaders = ['X-Served-By: gdws'];
      },
    });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, ['v1', 'v2']);
    cleanups.push(() => ws.terminate());
    let servedBy: string | undefined;
    ws.on('upgrade', (response) => { servedBy = response.headers['x-served-by'] as string; });
    let reply: string | null = null;
    ws.on('message', (data) => { reply = String(data); });
    ws.on('open', () => ws.send('from ws'));
    await pollUntil(peers, () => {
      const peer = peers[0];
      if (peer) while (peer.GetAvailablePacketCount() > 0) peer.SendText(`echo ${str(peer.GetPacket())}`);
      return reply !== null;
    });
    expect(reply).toBe('echo from ws');
    expect(ws.protocol).toBe('v2');
    expect(servedBy).toBe('gdws');
  });

  it('applies the peer limits: a message over InboundBufferSize closes with 1009', async () => {
    const { port, peers } = await startServer({ configure: (peer) => { peer.InboundBufferSize = 1024; } });
    const ours = client(`ws://127.0.0.1:${port}/`, (peer) => { peer.OutboundBufferSize = 1 << 20; });
    await pollUntil([ours, all(peers)], () => ours.GetReadyState() === State.Open && peers[0]?.GetReadyState() === State.Open);
    expect(ours.Send(new Uint8Array(2048))).toBe(Error.Ok);
    await pollUntil([ours, all(peers)], () => peers[0]!.GetReadyState() === State.Closed && ours.GetReadyState() === State.Closed);
    expect(ours.GetCloseCode()).toBe(1009);
    expect(peers[0]!.GetAvailablePacketCount()).toBe(0);
  });

  it('frames sent with the request (Node\'s "head" bytes) are not lost', async () => {
    const { port, peers } = await startServer();
    const socket = connect(port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    socket.on('error', () => {});
    const mask = Buffer.from([1, 2, 3, 4]);
    const payload = Buffer.from('early');
    const frame = Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))]);
    socket.write(Buffer.concat([Buffer.from(upgradeRequest()), frame]));
    await pollUntil(peers, () => (peers[0]?.GetAvailablePacketCount() ?? 0) > 0);
    expect(str(peers[0]!.GetPacket())).toBe('early');
    expect(peers[0]!.WasStringPacket()).toBe(true);
  });

  it('the GDScript face has accept_http_upgrade', async () => {
    const peers: GDWebSocketPeer[] = [];
    const server = createHttpServer((_, response) => response.end());
    server.on('upgrade', (request, socket, head) => {
      const peer = GDWebSocketPeer.new();
      expect(peer.accept_http_upgrade(request, socket, head)).toBe(OK);
      peers.push(peer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
    const ours = client(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/gd`);
    await pollUntil([ours, all(peers)], () => peers[0]?.get_ready_state() === GDWebSocketPeer.STATE_OPEN && ours.GetReadyState() === State.Open);
    expect(peers[0]!.get_requested_url()).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/gd$/);
    peers[0]!.close(-1);
  });

  it('refuses arguments that are not an upgrade event\'s, and a busy peer', async () => {
    const peer = new WebSocketPeer();
    const socket = new Socket();
    const request = { method: 'GET', url: '/', httpVersion: '1.1', rawHeaders: [] } as unknown as IncomingMessage;
    expect(() => peer.AcceptHttpUpgrade({} as IncomingMessage, socket, Buffer.alloc(0))).toThrow(TypeError);
    expect(() => peer.AcceptHttpUpgrade(request, new Duplex(), Buffer.alloc(0))).toThrow(TypeError);
    expect(() => peer.AcceptHttpUpgrade(request, socket, 'head' as unknown as Buffer)).toThrow(TypeError);
    socket.destroy();
    expect(peer.AcceptHttpUpgrade(request, socket, Buffer.alloc(0))).toBe(Error.InvalidParameter);
    expect(peer.GetCloseReason()).toBe('AcceptHttpUpgrade: the socket is already closed');

    const { port, peers } = await startServer();
    const ours = client(`ws://127.0.0.1:${port}/`);
    await pollUntil([ours, all(peers)], () => peers[0]?.GetReadyState() === State.Open);
    const other = new Socket();
    expect(peers[0]!.AcceptHttpUpgrade(request, other, Buffer.alloc(0))).toBe(Error.AlreadyInUse);
    expect(peers[0]!.GetReadyState()).toBe(State.Open);
    other.destroy();
  });
});

describe('AcceptHttpUpgrade on a node:https server', () => {
  it('serves https requests and wss:// peers on one port; GetRequestedUrl says wss://', async () => {
    const { port, peers } = await startServer({ https: true, configure: (peer) => { peer.SupportedProtocols = ['game']; } });
    expect(await fetchText(`https://localhost:${port}/secure`, pki.ca.cert)).toBe('200 plain /secure');

    const ca = new X509Certificate();
    expect(ca.LoadFromString(pki.ca.cert)).toBe(Error.Ok);
    const ours = client(`wss://localhost:${port}/play`, (peer) => { peer.SupportedProtocols = ['game']; }, TlsOptions.Client(ca));
    await pollUntil([ours, all(peers)], () => ours.GetReadyState() === State.Open && peers[0]?.GetReadyState() === State.Open);
    const served = peers[0]!;
    expect(served.GetRequestedUrl()).toBe(`wss://localhost:${port}/play`);
    expect(served.GetSelectedProtocol()).toBe('game');
    expect(served.GetConnectedHost()).toBe('127.0.0.1');
    expect(served.GetConnectedPort()).toBeGreaterThan(0);

    expect(ours.SendText('over tls')).toBe(Error.Ok);
    await pollUntil([ours, served], () => served.GetAvailablePacketCount() > 0);
    expect(str(served.GetPacket())).toBe('over tls');
    expect(served.Send(text('back'), WriteMode.Text)).toBe(Error.Ok);
    await pollUntil([ours, served], () => ours.GetAvailablePacketCount() > 0);
    expect(str(ours.GetPacket())).toBe('back');

    ours.Close(1000, 'bye');
    await pollUntil([ours, served], () => ours.GetReadyState() === State.Closed && served.GetReadyState() === State.Closed);
    expect([served.GetCloseCode(), served.GetCloseReason()]).toEqual([1000, 'bye']);
    expect(await fetchText(`https://localhost:${port}/after`, pki.ca.cert)).toBe('200 plain /after');
  });
});

/** A request that passes Node's HTTP parser (so it reaches 'upgrade'): `change` rewrites it. */
function upgradeRequest(change: (lines: string[]) => string[] = (l) => l, body = ''): string {
  const lines = ['GET /path HTTP/1.1', 'Host: 127.0.0.1', 'Upgrade: websocket', 'Connection: Upgrade',
    `Sec-WebSocket-Key: ${KEY}`, 'Sec-WebSocket-Version: 13'];
  return `${change(lines).join('\r\n')}\r\n\r\n${body}`;
}

/** Sends raw bytes and collects everything until the server closes (or 3 s). */
function exchange(port: number, request: string, pollables: () => WebSocketPeer[], tick: () => void): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from(request, 'latin1')));
    let got = '';
    socket.on('data', (data) => { got += data.toString('latin1'); });
    socket.on('error', () => {});
    const timer = setInterval(() => { tick(); for (const peer of pollables()) peer.Poll(); }, 2);
    const finish = () => { clearInterval(timer); socket.destroy(); resolve(got); };
    socket.on('close', finish);
    setTimeout(finish, 3000);
  });
}

describe('a request that is not a valid upgrade', () => {
  const cases: [string, string][] = [
    ['wrong version (426)', upgradeRequest((l) => l.map((x) => x.replace('Version: 13', 'Version: 8')))],
    ['no key', upgradeRequest((l) => l.filter((x) => !x.startsWith('Sec-WebSocket-Key')))],
    ['a key that is not 16 bytes', upgradeRequest((l) => l.map((x) => x.replace(KEY, 'c2hvcnQ=')))],
    ['POST', upgradeRequest((l) => [l[0]!.replace('GET', 'POST'), ...l.slice(1)])],
    ['HTTP/1.0', upgradeRequest((l) => [l[0]!.replace('1.1', '1.0'), ...l.slice(1)])],
    ['no Host', upgradeRequest((l) => l.filter((x) => !x.startsWith('Host')))],
    ['two Hosts', upgradeRequest((l) => [...l, 'Host: other'])],
    ['Upgrade: h2c', upgradeRequest((l) => l.map((x) => x.replace('Upgrade: websocket', 'Upgrade: h2c')))],
    ['a body', upgradeRequest((l) => [...l, 'Content-Length: 3'], 'abc')],
    ['a fragment in the target', upgradeRequest((l) => [l[0]!.replace('/path', '/path#frag'), ...l.slice(1)])],
    ['a head over 4096 bytes (431)', upgradeRequest((l) => [...l, `X-Big: ${'a'.repeat(5000)}`])],
    ['a subprotocol the server does not speak', upgradeRequest((l) => [...l, 'Sec-WebSocket-Protocol: other'])],
  ];

  it.each(cases)('%s: the same HTTP answer and reason as AcceptStream', async (_, request) => {
    // AcceptStream on a TcpServer stream...
    const tcp = new TcpServer();
    expect(tcp.Listen(0, '127.0.0.1')).toBe(Error.Ok);
    cleanups.push(() => tcp.Stop());
    const viaStream = new WebSocketPeer();
    viaStream.SupportedProtocols = ['chat'];
    const streamAnswer = await exchange(tcp.GetLocalPort(), request, () => [viaStream], () => {
      if (tcp.IsConnectionAvailable()) viaStream.AcceptStream(tcp.TakeConnection());
    });
    // ...and AcceptHttpUpgrade on an http.Server.
    const { port, peers } = await startServer({ configure: (peer) => { peer.SupportedProtocols = ['chat']; } });
    const upgradeAnswer = await exchange(port, request, () => peers, () => {});

    expect(streamAnswer).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(upgradeAnswer).toBe(streamAnswer);
    expect(peers).toHaveLength(1);
    expect(peers[0]!.GetReadyState()).toBe(State.Closed);
    expect(viaStream.GetReadyState()).toBe(State.Closed);
    expect(peers[0]!.GetCloseReason()).toBe(viaStream.GetCloseReason());
    expect(peers[0]!.GetRequestedUrl()).toBe(viaStream.GetRequestedUrl().replace(`:${tcp.GetLocalPort()}`, `:${port}`));
  });
});
