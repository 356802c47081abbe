// Proves the interop harnesses in test/peers/ work, by running every real peer against `ws`
// (the stand-in for our WebSocketPeer) in each direction the peer supports. A missing peer fails.

import { describe, expect, it } from 'vitest';
import { expectAllEchoed as expectAll, expectServerSaw as expectSaw, onlyConnection, trackPeers } from './peers/expect.js';
import {
  GODOT3_REASON_SUFFIX, runAutobahnClient, runBrowserClient, runGodot3Client, runWsClient,
  standardMessages, startAutobahnServer, startGodot3Server, startNginxProxy, startWsEchoServer,
  type ClientReport, type ServerConnection,
} from './peers/index.js';

const messages = standardMessages('selfcheck');
const track = trackPeers();
const expectAllEchoed = (r: ClientReport) => expectAll(r, messages);
const expectServerSaw = (conn: ServerConnection) => expectSaw(conn, messages);

describe('Godot 3.2.3', () => {
  it('client -> ws server: echoes, then Godot closes with 4001 (reason gets a NUL)', async () => {
    const server = track(await startWsEchoServer());
    const r = await runGodot3Client(server.url, { messages, close: { by: 'client', code: 4001, reason: 'bye from godot' } });
    expectAllEchoed(r);
    expect(r.closeSent).toEqual({ code: 4001, reason: 'bye from godot' });
    // Godot ignores the reply to its own close and calls it unclean.
    expect([r.closeCode, r.wasClean]).toEqual([1006, false]);
    const conn = await onlyConnection(server);
    expectServerSaw(conn);
    expect([conn.closeCode, conn.closeReason]).toEqual([4001, `bye from godot${GODOT3_REASON_SUFFIX}`]);
    expect(conn.headers?.['sec-websocket-extensions']).toBeUndefined();
  });

  it('client -> ws server: the server closes with 4002 on command', async () => {
    const server = track(await startWsEchoServer());
    const r = await runGodot3Client(server.url, { messages, close: { by: 'server', code: 4002, reason: 'server says bye' } });
    expectAllEchoed(r);
    expect([r.closeCode, r.closeReason, r.wasClean]).toEqual([4002, 'server says bye', true]);
    const conn = await onlyConnection(server);
    expect(conn.closeSent).toEqual({ code: 4002, reason: 'server says bye' });
  });

  it('ws client -> Godot server: echoes, client close 4003, then a server close 4004', async () => {
    const server = track(await startGodot3Server({ clients: 2, timeoutMs: 15_000 }));
    const first = await runWsClient(server.url, { messages, close: { by: 'client', code: 4003, reason: 'bye from ws' } });
    expectAllEchoed(first);
    expect([first.closeCode, first.closeReason, first.wasClean]).toEqual([4003, 'bye from ws', true]);

    const second = await runWsClient(server.url, { messages, close: { by: 'server', code: 4004, reason: 'godot says bye' } });
    expectAllEchoed(second);
    expect([second.closeCode, second.closeReason]).toEqual([4004, `godot says bye${GODOT3_REASON_SUFFIX}`]);

    const report = await server.waitForDisconnects(2);
    expect(report.connections).toHaveLength(2);
    const [a, b] = report.connections as ServerConnection[];
    expectServerSaw(a!);
    expect([a!.closeCode, a!.closeReason, a!.wasClean]).toEqual([4003, 'bye from ws', true]);
    expect(b!.closeSent).toEqual({ code: 4004, reason: 'godot says bye' });
    expect(b!.wasClean).toBe(false); // Godot-initiated close again
    // Godot exits by itself after `clients` disconnects, with EXIT 0.
    expect((await server.stop()).failure).toBeNull();
  });
});

describe('Autobahn|Python', () => {
  it('client -> ws server: echoes, client close 4010', async () => {
    const server = track(await startWsEchoServer());
    const r = await runAutobahnClient(server.url, { messages, close: { by: 'client', code: 4010, reason: 'bye from autobahn' } });
    expectAllEchoed(r);
    // ws echoes the code and reason back.
    expect([r.closeCode, r.closeReason, r.wasClean]).toEqual([4010, 'bye from autobahn', true]);
    const conn = await onlyConnection(server);
    expectServerSaw(conn);
    expect([conn.closeCode, conn.closeReason]).toEqual([4010, 'bye from autobahn']);
    expect(conn.headers?.upgrade).toBe('WebSocket');
  });

  it('ws client -> Autobahn server: echoes, server close 4011, client close 1000; stops on SIGTERM', async () => {
    const server = track(await startAutobahnServer());
    const first = await runWsClient(server.url, { messages, close: { by: 'server', code: 4011, reason: 'autobahn says bye' } });
    expectAllEchoed(first);
    expect([first.closeCode, first.closeReason, first.wasClean]).toEqual([4011, 'autobahn says bye', true]);
    const second = await runWsClient(`${server.url}some/path?q=1`, { messages });
    expectAllEchoed(second);
    // Autobahn's close reply carries the code but no reason.
    expect([second.closeCode, second.closeReason]).toEqual([1000, '']);

    const report = await server.waitForDisconnects(2);
    const [a, b] = report.connections as ServerConnection[];
    expectServerSaw(a!);
    expect(a!.closeSent).toEqual({ code: 4011, reason: 'autobahn says bye' });
    expect(a!.wasClean).toBe(true);
    expect([b!.path, b!.closeCode, b!.wasClean]).toEqual(['/some/path', 1000, true]);
    expect((await server.stop()).failure).toBeNull(); // SIGTERM -> clean "EXIT 0"
  });
});

describe('Chromium', () => {
  it('browser client -> ws server: echoes, closes 4000 "done from chromium", offers deflate', async () => {
    const server = track(await startWsEchoServer());
    const r = await runBrowserClient(server.url, { messages });
    expectAllEchoed(r);
    expect(r.closeSent).toEqual({ code: 4000, reason: 'done from chromium' });
    expect([r.closeCode, r.closeReason, r.wasClean]).toEqual([4000, 'done from chromium', true]);
    expect([r.extensions, r.protocol]).toEqual(['', '']); // the server declined the offer
    const conn = await onlyConnection(server);
    expectServerSaw(conn);
    expect([conn.closeCode, conn.closeReason]).toEqual([4000, 'done from chromium']);
    expect(conn.headers?.['sec-websocket-extensions']).toMatch(/permessage-deflate/);
    expect(conn.headers?.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('nginx reverse proxy', () => {
  it('ws client -> nginx -> ws server', async () => {
    const server = track(await startWsEchoServer());
    const proxy = await startNginxProxy(server.port);
    let logs: { accessLog: string } | undefined;
    try {
      expect(proxy.port).not.toBe(server.port);
      const r = await runWsClient(proxy.url, { messages, close: { by: 'client', code: 4020, reason: 'through nginx' } });
      expectAllEchoed(r);
      expect([r.closeCode, r.closeReason]).toEqual([4020, 'through nginx']);
    } finally {
      logs = await proxy.stop();
    }
    const conn = await onlyConnection(server);
    expectServerSaw(conn);
    expect(conn.closeCode).toBe(4020);
    expect(conn.headers?.connection).toBe('upgrade'); // nginx rewrites the header in lower case
    expect(logs.accessLog).toMatch(/"GET \/ HTTP\/1\.1" 101 /);
  });

  it('Godot client -> nginx -> ws server, server-side close', async () => {
    const server = track(await startWsEchoServer());
    const proxy = track(await startNginxProxy(server.port));
    const r = await runGodot3Client(proxy.url, { messages, close: { by: 'server', code: 4021, reason: 'bye via nginx' } });
    expectAllEchoed(r);
    expect([r.closeCode, r.closeReason, r.wasClean]).toEqual([4021, 'bye via nginx', true]);
    expectServerSaw(await onlyConnection(server));
  });
});

describe('harness guards', () => {
  it('refuses a Godot message its 64 KiB inbound buffer would drop', async () => {
    await expect(runGodot3Client('ws://127.0.0.1:9/', { messages: [{ kind: 'binary', data: new Uint8Array(65536) }] }))
      .rejects.toThrow(/silently dropped/);
  });

  it('reports a refused connection as a failure the test can assert', async () => {
    const server = await startWsEchoServer();
    const url = server.url;
    await server.stop(); // nothing listens there any more
    const r = await runGodot3Client(url, { messages, expectFailure: true, timeoutMs: 5000 });
    expect(r.opened).toBe(false);
    expect(r.failure).toMatch(/connection_error/);
    await expect(runAutobahnClient(url, { messages, timeoutMs: 5000 })).rejects.toThrow(/connection_error/);
  });
});
