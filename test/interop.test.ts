// Our WebSocketPeer against real, independent peers, both ways where the peer can serve and
// connect: ws (npm), the real Godot 3.2.3 engine, Autobahn|Python, headless Chromium, and nginx
// as a reverse proxy in between. A missing peer fails the test (.ci/install-peers.sh installs them).
import { describe, expect, it } from 'vitest';
import { expectAllEchoed as expectAll, expectServerSaw as expectSaw, onlyConnection, trackPeers } from './peers/expect.js';
import {
  runAutobahnClient, runBrowserClient, runGodot3Client, runWsClient,
  standardMessages, startAutobahnServer, startGodot3Server, startNginxProxy, startWsEchoServer,
  type ClientReport, type ServerConnection,
} from './peers/index.js';
import { runOurClient, startOurEchoServer } from './helpers/our-peers.js';

const messages = standardMessages('interop');
const track = trackPeers();
const expectAllEchoed = (r: ClientReport) => expectAll(r, messages);
const expectServerSaw = (conn: ServerConnection) => expectSaw(conn, messages);

describe('ws 8', () => {
  it('ws client (offering deflate) -> our server: echoes, close 4001 both ways', async () => {
    const server = track(await startOurEchoServer());
    const r = await runWsClient(server.url, { messages, close: { by: 'client', code: 4001, reason: 'bye from ws' } });
    expectAllEchoed(r);
    expect(r.extensions).toBe(''); // we decline permessage-deflate
    expect([r.closeCode, r.closeReason, r.wasClean]).toEqual([4001, 'bye from ws', true]);
    const conn = await onlyConnection(server);
    expectServerSaw(conn);
    expect([conn.closeCode, conn.closeReason, conn.wasClean]).toEqual([4001, 'bye from ws', true]);
  });

  it('our client -> ws server: echoes, server-side close 4002', async () => {
    const server = track(await startWsEchoServer());
    const r = await runOurClient(server.url, { messages, close: { by: 'server', code: 4002, reason: 'ws says bye' } });
    expectAllEchoed(r);
    expect([r.closeCode, r.closeReason, r.wasClean]).toEqual([4002, 'ws says bye', true]);
    const conn = await onlyConnection(server);
    expectServerSaw(conn);
    expect(conn.closeSent).toEqual({ code: 4002, reason: 'ws says bye' });
  });

  it('negotiates a subprotocol with ws both ways', async () => {
    const ours = track(await startOurEchoServer({ protocols: ['game.v2'] }));
    const a = await runWsClient(ours.url, { messages, protocols: ['game.v1', 'game.v2'] });
    expect(a.protocol).toBe('game.v2');
    const theirs = track(await startWsEchoServer({ protocols: ['chat'] }));
    const b = await runOurClient(theirs.url, { messages, protocols: ['chat'] });
    expect(b.protocol).toBe('chat');
  });
});

describe('Godot 3.2.3 engine', () => {
  it('Godot client -> our server: echoes; Godot closes 4003, its trailing NUL dropped as Godot 4 does', async () => {
    const server = track(await startOurEchoServer());
    const r = await runGodot3Client(server.url, { messages, close: { by: 'client', code: 4003, reason: 'bye from godot' } });
    expectAllEchoed(r);
    const conn = await onlyConnection(server);
    expectServerSaw(conn);
    // Godot 3 sends "bye from godot\0"; Godot 4 reads a reason up to its first NUL, and so do we.
    expect([conn.closeCode, conn.closeReason]).toEqual([4003, 'bye from godot']);
  });

  it('Godot client -> our server: our server closes 4004 on command', async () => {
    const server = track(await startOurEchoServer());
    const r = await runGodot3Client(server.url, { messages, close: { by: 'server', code: 4004, reason: 'node says bye' } });
    expectAllEchoed(r);
    expect([r.closeCode, r.closeReason, r.wasClean]).toEqual([4004, 'node says bye', true]);
  });

  it('our client -> Godot server: echoes, our close 4005, then Godot closes 4006', async () => {
    const server = track(await startGodot3Server({ clients: 2, timeoutMs: 20_000 }));
    const first = await runOurClient(server.url, { messages, close: { by: 'client', code: 4005, reason: 'bye from node' } });
    expectAllEchoed(first);
    // Godot's codec (wslay) echoes our close frame byte for byte: no NUL added to an echo.
    expect([first.closeCode, first.closeReason]).toEqual([4005, 'bye from node']);
    const second = await runOurClient(server.url, { messages, close: { by: 'server', code: 4006, reason: 'godot says bye' } });
    expectAllEchoed(second);
    expect([second.closeCode, second.closeReason]).toEqual([4006, 'godot says bye']); // sent with a trailing NUL
    const report = await server.waitForDisconnects(2);
    const [a] = report.connections as ServerConnection[];
    expectServerSaw(a!);
    expect([a!.closeCode, a!.closeReason]).toEqual([4005, 'bye from node']);
    expect((await server.stop()).failure).toBeNull();
  });
});

describe('Autobahn|Python', () => {
  it('Autobahn client -> our server: echoes, close 4010 echoed back', async () => {
    const server = track(await startOurEchoServer());
    const r = await runAutobahnClient(server.url, { messages, close: { by: 'client', code: 4010, reason: 'bye from autobahn' } });
    expectAllEchoed(r);
    expect([r.closeCode, r.closeReason, r.wasClean]).toEqual([4010, 'bye from autobahn', true]);
    const conn = await onlyConnection(server);
    expectServerSaw(conn);
  });

  it('our client -> Autobahn server: echoes, server close 4011 and client close 1000', async () => {
    const server = track(await startAutobahnServer());
    const first = await runOurClient(server.url, { messages, close: { by: 'server', code: 4011, reason: 'autobahn says bye' } });
    expectAllEchoed(first);
    expect([first.closeCode, first.closeReason, first.wasClean]).toEqual([4011, 'autobahn says bye', true]);
    const second = await runOurClient(`${server.url}some/path?q=1`, { messages });
    expectAllEchoed(second);
    expect([second.closeCode, second.closeReason]).toEqual([1000, '']);
    const report = await server.waitForDisconnects(2);
    expect((report.connections as ServerConnection[])[1]!.path).toBe('/some/path');
  });
});

describe('headless Chromium', () => {
  it('browser client -> our server: deflate offer declined, echoes, close 4000', async () => {
    const server = track(await startOurEchoServer());
    const r = await runBrowserClient(server.url, { messages });
    expectAllEchoed(r);
    expect([r.extensions, r.protocol]).toEqual(['', '']);
    expect([r.closeCode, r.closeReason, r.wasClean]).toEqual([4000, 'done from chromium', true]);
    const conn = await onlyConnection(server);
    expectServerSaw(conn);
    expect([conn.closeCode, conn.closeReason]).toEqual([4000, 'done from chromium']);
  });
});

describe('nginx reverse proxy', () => {
  it('our client -> nginx -> our server', async () => {
    const server = track(await startOurEchoServer());
    const proxy = track(await startNginxProxy(server.port));
    const r = await runOurClient(proxy.url, { messages, close: { by: 'client', code: 4020, reason: 'through nginx' } });
    expectAllEchoed(r);
    expect([r.closeCode, r.closeReason]).toEqual([4020, 'through nginx']);
    const conn = await onlyConnection(server);
    expectServerSaw(conn);
  });

  it('Godot client -> nginx -> our server, server-side close', async () => {
    const server = track(await startOurEchoServer());
    const proxy = track(await startNginxProxy(server.port));
    const r = await runGodot3Client(proxy.url, { messages, close: { by: 'server', code: 4021, reason: 'bye via nginx' } });
    expectAllEchoed(r);
    expect([r.closeCode, r.closeReason, r.wasClean]).toEqual([4021, 'bye via nginx', true]);
  });

  it('Chromium -> nginx -> our server', async () => {
    const server = track(await startOurEchoServer());
    const proxy = track(await startNginxProxy(server.port));
    const r = await runBrowserClient(proxy.url, { messages });
    expectAllEchoed(r);
    expect([r.closeCode, r.wasClean]).toEqual([4000, true]);
  });
});
