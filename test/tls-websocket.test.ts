/**
 * wss:// end to end over loopback: WebSocketPeer's client verification (a failed check ends in
 * Closed with a clear reason and sends nothing), Godot's server chain TcpServer → StreamPeerTls →
 * WebSocketPeer, and interop with `ws` (client and https server) and headless Chromium trusting
 * the test CA.
 */
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import WebSocket, { WebSocketServer } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CryptoKey, Error, StreamPeerTls, TcpServer, TlsOptions, WebSocketPeer, X509Certificate } from '../src/index.js';
import { createTestPki, type TestCertificate, type TestPki } from './helpers/certs.js';
import { pollUntil } from './helpers/loop.js';
import { launchBrowser, type BrowserHandle } from './peers/chromium.js';

const { State, WriteMode } = WebSocketPeer;
const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

let pki: TestPki;
let trusted: X509Certificate;
beforeAll(() => {
  pki = createTestPki();
  trusted = new X509Certificate();
  expect(trusted.LoadFromString(pki.ca.cert)).toBe(Error.Ok);
});
afterAll(() => pki?.cleanup());

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function serverOptions(cert: TestCertificate): TlsOptions {
  const key = new CryptoKey();
  const chain = new X509Certificate();
  if (key.LoadFromString(cert.key) !== Error.Ok || chain.LoadFromString(cert.chain) !== Error.Ok) {
    throw new globalThis.Error('test certificate did not load');
  }
  return TlsOptions.Server(key, chain);
}

/**
 * Our wss echo server, wired as in Godot: TcpServer → StreamPeerTls.AcceptStream →
 * WebSocketPeer.AcceptStream. Echoes each message with its frame type.
 */
class OurWssEchoServer {
  readonly tcp = new TcpServer();
  readonly peers: WebSocketPeer[] = [];
  private readonly options: TlsOptions;

  constructor(cert: TestCertificate, bind = '127.0.0.1') {
    this.options = serverOptions(cert);
    expect(this.tcp.Listen(0, bind)).toBe(Error.Ok);
    cleanups.push(() => this.stop());
  }

  get port(): number {
    return this.tcp.GetLocalPort();
  }

  Poll(): void {
    while (this.tcp.IsConnectionAvailable()) {
      const tls = new StreamPeerTls();
      expect(tls.AcceptStream(this.tcp.TakeConnection(), this.options)).toBe(Error.Ok);
      const peer = new WebSocketPeer();
      expect(peer.AcceptStream(tls)).toBe(Error.Ok);
      this.peers.push(peer);
    }
    for (const peer of this.peers) {
      peer.Poll();
      while (peer.GetAvailablePacketCount() > 0) {
        const packet = peer.GetPacket();
        peer.Send(packet, peer.WasStringPacket() ? WriteMode.Text : WriteMode.Binary);
      }
    }
  }

  /** Polls every millisecond until stopped, for peers driven by their own event loop (ws, Chromium). */
  pollInBackground(): () => void {
    const timer = setInterval(() => this.Poll(), 1);
    return () => clearInterval(timer);
  }

  stop(): void {
    for (const peer of this.peers) peer.Dispose();
    this.tcp.Stop();
  }
}

/** A plain Node TLS server that only records what reaches it: did anything follow the handshake? */
async function recordingTlsServer(cert: TestCertificate) {
  const record = { connections: 0, closed: 0, applicationBytes: 0 };
  const server = createTlsServer({ key: cert.key, cert: cert.chain }, (socket) => {
    socket.on('data', (chunk: Buffer) => {
      record.applicationBytes += chunk.length;
    });
    socket.on('error', () => {});
  });
  server.on('connection', (socket) => {
    record.connections++;
    socket.on('close', () => record.closed++);
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { record, port: (server.address() as AddressInfo).port };
}

async function openClient(url: string, options: TlsOptions | null, server: { Poll(): void }): Promise<WebSocketPeer> {
  const client = new WebSocketPeer();
  cleanups.push(() => client.Dispose());
  expect(client.ConnectToUrl(url, options)).toBe(Error.Ok);
  await pollUntil([client, server], () => client.GetReadyState() !== State.Connecting, 5000, 'the client handshake');
  return client;
}

/** Text and binary through an open client and back from an echo server. */
async function expectEcho(client: WebSocketPeer, server: { Poll(): void }): Promise<void> {
  expect(client.GetReadyState(), client.GetCloseReason()).toBe(State.Open);
  expect(client.SendText('hello over TLS ✓')).toBe(Error.Ok);
  const binary = new Uint8Array(40_000).map((_, i) => (i * 13) & 0xff);
  expect(client.Send(binary)).toBe(Error.Ok);
  await pollUntil([client, server], () => client.GetAvailablePacketCount() >= 2, 5000, 'two echoes');
  expect(str(client.GetPacket())).toBe('hello over TLS ✓');
  expect(client.WasStringPacket()).toBe(true);
  expect(Buffer.from(client.GetPacket()).equals(binary)).toBe(true);
  expect(client.WasStringPacket()).toBe(false);
}

describe('wss:// client verification (WebSocketPeer.ConnectToUrl)', () => {
  it('connects with a trusted chain; the server reports a wss:// requested URL', async () => {
    const server = new OurWssEchoServer(pki.server);
    const client = await openClient(`wss://localhost:${server.port}/game?room=1`, TlsOptions.Client(trusted), server);
    await expectEcho(client, server);
    expect(server.peers[0]!.GetRequestedUrl()).toBe(`wss://localhost:${server.port}/game?room=1`);
    expect(client.GetRequestedUrl()).toBe(`wss://localhost:${server.port}/game?room=1`);
    expect(client.GetConnectedHost()).toBe('127.0.0.1');
    expect(client.GetConnectedPort()).toBe(server.port);
    client.Close(4000, 'done');
    await pollUntil([client, server], () => client.GetReadyState() === State.Closed && server.peers[0]!.GetReadyState() === State.Closed, 3000, 'both closed');
    expect(server.peers[0]!.GetCloseCode()).toBe(4000);
    expect(server.peers[0]!.GetCloseReason()).toBe('done');
    expect(client.GetCloseCode()).toBe(4000);
  });

  it('connects to an IP address through its IP SAN, over IPv4 and IPv6', async () => {
    const v4 = new OurWssEchoServer(pki.server);
    await expectEcho(await openClient(`wss://127.0.0.1:${v4.port}/`, TlsOptions.Client(trusted), v4), v4);
    const v6 = new OurWssEchoServer(pki.server, '::1');
    await expectEcho(await openClient(`wss://[::1]:${v6.port}/`, TlsOptions.Client(trusted), v6), v6);
  });

  it('over wss, a burst beyond OutboundBufferSize in one event-loop turn waits for the next turn', async () => {
    // Node's TLS socket completes writes a turn later, so within one turn what was written still
    // counts as not taken by the OS (Godot's TLS writes synchronously): the limit holds, and the
    // next turn frees it.
    const server = new OurWssEchoServer(pki.server);
    const client = await openClient(`wss://localhost:${server.port}/`, TlsOptions.Client(trusted), server);
    const message = new Uint8Array(10_000);
    const results: Error[] = [];
    for (let i = 0; i < 20; i++) results.push(client.Send(message));
    const accepted = results.filter((r) => r === Error.Ok).length;
    expect(accepted).toBeGreaterThanOrEqual(6); // 6 × 10 KB fit 65535 even before anything is written
    expect(results.slice(accepted).every((r) => r === Error.OutOfMemory)).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.Send(message)).toBe(Error.Ok);
    const peer = server.peers[0]!; // polled alone: no echo
    let received = 0;
    await pollUntil([client, peer], () => {
      while (peer.GetAvailablePacketCount() > 0 && peer.GetPacket().length === message.length) received++;
      return received === accepted + 1;
    }, 5000, 'every accepted message');
  });

  const failures: [string, () => TestCertificate, () => TlsOptions | null, RegExp][] = [
    ['a wrong host', () => pki.wrongHost, () => TlsOptions.Client(trusted), /certificate is not valid for "localhost"/],
    ['an unknown CA', () => pki.unknownCa, () => TlsOptions.Client(trusted), /certificate is not trusted/],
    ['an expired certificate', () => pki.expired, () => TlsOptions.Client(trusted), /certificate is not trusted: it has expired/],
    ['the default CA store', () => pki.server, () => null, /certificate is not trusted/],
    ['an override that does not match', () => pki.server, () => TlsOptions.Client(trusted, 'other.example'), /not valid for "other\.example"/],
  ];
  for (const [label, cert, options, reason] of failures) {
    it(`${label}: Closed with a clear reason, and not one byte of HTTP sent`, async () => {
      const { record, port } = await recordingTlsServer(cert());
      const client = await openClient(`wss://localhost:${port}/`, options(), { Poll() {} });
      expect(client.GetReadyState()).toBe(State.Closed);
      expect(client.GetCloseReason()).toMatch(reason);
      expect(client.GetCloseCode()).toBe(-1);
      expect(client.GetAvailablePacketCount()).toBe(0);
      expect(client.SendText('x')).toBe(Error.Failed);
      await pollUntil([], () => record.closed === record.connections && record.connections > 0, 3000, 'the server to see the close');
      expect(record.connections).toBe(1);
      expect(record.applicationBytes).toBe(0);
    });
  }

  it('ClientUnsafe() connects to an untrusted server; Client(ca, override) to a certificate for another name', async () => {
    const untrusted = new OurWssEchoServer(pki.unknownCa);
    await expectEcho(await openClient(`wss://localhost:${untrusted.port}/`, TlsOptions.ClientUnsafe(), untrusted), untrusted);
    const otherName = new OurWssEchoServer(pki.wrongHost);
    await expectEcho(await openClient(`wss://127.0.0.1:${otherName.port}/`, TlsOptions.Client(trusted, 'wrong.example'), otherName), otherName);
  });

  it('refuses server options, and wrong option types', () => {
    const client = new WebSocketPeer();
    expect(client.ConnectToUrl('wss://localhost:1/', serverOptions(pki.server))).toBe(Error.InvalidParameter);
    expect(() => client.ConnectToUrl('wss://localhost:1/', { verify: false })).toThrow(TypeError);
    expect(client.GetReadyState()).toBe(State.Closed);
  });
});

describe('wss:// server (TcpServer → StreamPeerTls → WebSocketPeer)', () => {
  it('WebSocketPeer.AcceptStream takes only a StreamPeerTls that is over a TCP stream', () => {
    const peer = new WebSocketPeer();
    expect(peer.AcceptStream(new StreamPeerTls())).toBe(Error.InvalidParameter);
  });

  it('a client that rejects our certificate leaves our peer Closed, never Open', async () => {
    const server = new OurWssEchoServer(pki.unknownCa);
    const stopPolling = server.pollInBackground();
    cleanups.push(stopPolling);
    const error = await new Promise<globalThis.Error>((resolve) => {
      const ws = new WebSocket(`wss://localhost:${server.port}/`, { ca: pki.ca.cert });
      ws.on('open', () => resolve(new globalThis.Error('ws opened')));
      ws.on('error', resolve);
    });
    expect(error.message).toMatch(/self-signed|unable to verify|issuer/i);
    await pollUntil([server], () => server.peers.length === 1 && server.peers[0]!.GetReadyState() === State.Closed, 3000, 'our peer to close');
    expect(server.peers[0]!.GetCloseReason()).not.toBe('');
  });
});

describe('wss:// interop with ws', () => {
  it("ws's client (trusting the test CA) against our wss server", async () => {
    const server = new OurWssEchoServer(pki.server);
    const stopPolling = server.pollInBackground();
    cleanups.push(stopPolling);
    const received: { data: Buffer; binary: boolean }[] = [];
    const closed = await new Promise<{ code: number; reason: string }>((resolve, reject) => {
      const ws = new WebSocket(`wss://localhost:${server.port}/from-ws`, { ca: pki.ca.cert });
      ws.on('error', reject);
      ws.on('open', () => {
        ws.send('text from ws ✓');
        ws.send(Buffer.from([0, 1, 2, 253, 254, 255]));
      });
      ws.on('message', (data: Buffer, binary: boolean) => {
        received.push({ data, binary });
        if (received.length === 2) ws.close(1000, 'bye from ws');
      });
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    expect(received.map((m) => [m.binary, m.data.toString('hex')])).toEqual([
      [false, Buffer.from('text from ws ✓').toString('hex')],
      [true, '000102fdfeff'],
    ]);
    expect(closed).toEqual({ code: 1000, reason: 'bye from ws' });
    await pollUntil([server], () => server.peers[0]!.GetReadyState() === State.Closed, 3000, 'our peer closed');
    expect(server.peers[0]!.GetRequestedUrl()).toBe(`wss://localhost:${server.port}/from-ws`);
    expect(server.peers[0]!.GetCloseCode()).toBe(1000);
  });

  it('our wss client against ws on https.createServer({ key, cert })', async () => {
    const seen: { path: string; close?: [number, string] }[] = [];
    const https: HttpsServer = createHttpsServer({ key: pki.server.key, cert: pki.server.chain });
    const wss = new WebSocketServer({ server: https, handleProtocols: (offered) => (offered.has('chat') ? 'chat' : false) });
    wss.on('connection', (ws, request) => {
      const entry: (typeof seen)[number] = { path: request.url ?? '' };
      seen.push(entry);
      ws.on('message', (data: Buffer, binary: boolean) => ws.send(data, { binary }));
      ws.on('close', (code, reason) => {
        entry.close = [code, reason.toString()];
      });
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      https.close(resolve);
    }));
    const port = (https.address() as AddressInfo).port;
    const client = new WebSocketPeer();
    client.SupportedProtocols = ['chat'];
    cleanups.push(() => client.Dispose());
    expect(client.ConnectToUrl(`wss://localhost:${port}/ws-path`, TlsOptions.Client(trusted))).toBe(Error.Ok);
    const idle = { Poll() {} };
    await pollUntil([client], () => client.GetReadyState() !== State.Connecting, 5000, 'the handshake');
    expect(client.GetSelectedProtocol()).toBe('chat');
    await expectEcho(client, idle);
    client.Close(1001, 'going away');
    await pollUntil([client], () => client.GetReadyState() === State.Closed, 3000, 'closed');
    expect(client.GetCloseCode()).toBe(1001);
    await pollUntil([], () => seen[0]?.close !== undefined, 3000, 'ws to see the close');
    expect(seen).toEqual([{ path: '/ws-path', close: [1001, 'going away'] }]);
  });
});

describe('wss:// interop with headless Chromium', () => {
  let browser: BrowserHandle;
  beforeAll(async () => {
    browser = await launchBrowserTrusting(pki.caSpkiSha256);
  });
  afterAll(() => browser?.close());

  it('Chromium trusting the test CA exchanges messages with our wss server', async () => {
    const server = new OurWssEchoServer(pki.server);
    cleanups.push(server.pollInBackground());
    const report = await browser.runClient(`wss://127.0.0.1:${server.port}/browser`);
    expect(report.opened).toBe(true);
    expect(report.allEchoed).toBe(true);
    expect(report.closeCode).toBe(4000);
    await pollUntil([], () => server.peers[0]?.GetReadyState() === State.Closed, 3000, 'our peer closed');
    expect(server.peers[0]!.GetCloseCode()).toBe(4000);
    expect(server.peers[0]!.GetCloseReason()).toBe('done from chromium');
    expect(server.peers[0]!.GetRequestedUrl()).toBe(`wss://127.0.0.1:${server.port}/browser`);
  });

  it('the same Chromium refuses a server whose chain is not from the test CA', async () => {
    const server = new OurWssEchoServer(pki.unknownCa);
    cleanups.push(server.pollInBackground());
    const report = await browser.runClient(`wss://127.0.0.1:${server.port}/`, { expectFailure: true, timeoutMs: 5000 });
    expect(report.opened).toBe(false);
    expect(report.failure).toMatch(/connecting/);
  });
});

/**
 * Chromium trusts a test CA through --ignore-certificate-errors-spki-list=<base64 SHA-256 of the
 * CA's SubjectPublicKeyInfo> (the server must present the CA in its chain; a fresh profile
 * dir is needed, which the harness gives).
 */
function launchBrowserTrusting(spkiSha256: string): Promise<BrowserHandle> {
  return launchBrowser({ args: [`--ignore-certificate-errors-spki-list=${spkiSha256}`] });
}
