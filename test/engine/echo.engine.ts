// WebSocket echo between the real Godot 3 engine (GDScript over StreamPeerTCP + the GDNative
// codec) and this package's Node WebSocketPeer, in both directions, on loopback.
import { createServer } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { makeProject, runGodot, scriptErrors } from './godot3.js';
import { nodeClient, nodeEchoServer, type Message } from './node-peers.js';

const project = makeProject();
afterAll(() => project.remove());

const TIMEOUT_MS = 20_000;
const text = (s: string): Message => ({ kind: 'text', data: new TextEncoder().encode(s) });
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Godot 3's TCP_Server cannot report the port it got, so pick a free one first. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

it('a Node client talks to a GDScript echo server built on the codec', async () => {
  const messages: Message[] = [
    text('hello from node ✓'),
    { kind: 'binary', data: new Uint8Array([0, 1, 2, 254, 255]) },
    { kind: 'binary', data: new Uint8Array(1000).map((_, i) => i & 0xff) }, // 16-bit length
    { kind: 'binary', data: new Uint8Array(0) },
    text(''),
  ];
  const port = await freePort();
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const godot = runGodot(project.dir, 'echo_server.gd', { GDWS_PORT: String(port), GDWS_CLIENTS: '1', GDWS_TIMEOUT_MS: String(TIMEOUT_MS) },
    TIMEOUT_MS + 5_000, (event) => event.event === 'listening' && listening());
  await Promise.race([ready, godot.then((run) => { throw new Error(`Godot server ended early: ${run.stdout}\n${run.stderr}`); })]);

  const node = await nodeClient(`ws://127.0.0.1:${port}/echo?from=node`, messages, TIMEOUT_MS);
  const run = await godot;

  expect(scriptErrors(run), run.stderr).toEqual([]);
  expect(run.exitLine, run.stdout).toBe('EXIT 0');
  const sent = messages.map((m) => ({ kind: m.kind, data: hex(m.data) }));
  // What the engine's codec decoded is what Node sent, byte for byte, and the echoes match too.
  const engineRecords = run.events.filter((e) => e.event === 'record').map((e) => ({ kind: e.kind, data: e.data }));
  expect(engineRecords).toEqual(sent);
  expect(node.received).toEqual(sent);
  expect(run.events.find((e) => e.event === 'open')).toEqual({ event: 'open', target: '/echo?from=node' });
  expect(run.events.find((e) => e.event === 'closed')).toEqual({
    event: 'closed', failure: '', code: 1000, reason: hex(new TextEncoder().encode('bye from node')),
  });
  expect([node.closeCode, node.closeReason]).toEqual([1000, 'bye from node']); // the engine echoed our close
});

it('a GDScript client built on the codec talks to a Node echo server', async () => {
  const server = nodeEchoServer(TIMEOUT_MS);
  try {
    const run = await runGodot(project.dir, 'echo_client.gd',
      { GDWS_URL: `ws://127.0.0.1:${server.port}/echo`, GDWS_TIMEOUT_MS: String(TIMEOUT_MS) }, TIMEOUT_MS + 5_000);
    const node = await server.done;

    expect(scriptErrors(run), run.stderr).toEqual([]);
    expect(run.exitLine, run.stdout).toBe('EXIT 0'); // the script checked every echo itself
    const expected = [
      { kind: 'text', data: hex(new TextEncoder().encode('hello from godot ✓')) },
      { kind: 'binary', data: '000102feff' },
      { kind: 'binary', data: hex(new Uint8Array(300).map((_, i) => i & 0xff)) },
      { kind: 'text', data: '' },
    ];
    expect(node.received).toEqual(expected);
    const engineRecords = run.events.filter((e) => e.event === 'record').map((e) => ({ kind: e.kind, data: e.data }));
    // The pong is written as soon as the ping is parsed, so it may overtake the echoes.
    expect(engineRecords.filter((r) => r.kind !== 'pong')).toEqual(expected);
    expect(engineRecords.filter((r) => r.kind === 'pong')).toEqual([{ kind: 'pong', data: hex(new TextEncoder().encode('are you there')) }]);
    expect([node.closeCode, node.closeReason]).toEqual([1000, 'bye from godot']);
    expect(run.events.find((e) => e.event === 'closed')).toEqual({
      event: 'closed', code: 1000, reason: hex(new TextEncoder().encode('bye from godot')),
    });
  } finally {
    server.close();
  }
});
