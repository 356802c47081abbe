// Real Godot 4.6 clients (the web engine in headless Chromium, one page each) join our Node
// multiplayer server: the example project against examples/multiplayer/server.mjs, and the probe
// project (test/multiplayer/probe) against a SceneMultiplayer in this process that records every
// packet, to check the wire facts of doc/multiplayer-wire.md byte for byte. Fails when the engine
// or the browser is missing.
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Error, GodotFloat, MultiplayerPeer, NodeMirror, NodePath, Rpc, RpcMode, SceneMultiplayer, StringName,
  TcpServer, Vector2, WebSocketMultiplayerPeer, WebSocketPeer, type StreamPeerTcp,
} from '../src/index.js';
import { launchGodot4, readProjectDir, type Godot4Browser, type GodotInstance } from './godot4/engine.js';
import { startExampleServer } from './helpers/example-server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = readProjectDir(join(root, 'examples', 'multiplayer', 'godot'));
const PROBE = readProjectDir(join(root, 'test', 'multiplayer', 'probe'));
const reliable = { TransferMode: MultiplayerPeer.TransferModeEnum.Reliable };

let godot: Godot4Browser;
beforeAll(async () => {
  godot = await launchGodot4();
});
afterAll(async () => {
  await godot?.close();
});

/** Polls `pollables` every few ms until stopped (the Node side's process frame). */
function ticking(...pollables: { Poll(): unknown }[]): () => void {
  const timer = setInterval(() => {
    for (const p of pollables) p.Poll();
  }, 4);
  return () => clearInterval(timer);
}

interface ProbeEvent {
  event: string;
  data: string[];
}

function probeEvents(instance: GodotInstance): ProbeEvent[] {
  return instance.lines.filter((l) => l.startsWith('MP ')).map((l) => JSON.parse(l.slice(3)) as ProbeEvent);
}

/**
 * The engine's error lines, less one the 4.6 web template sometimes prints on its own, with or
 * without multiplayer (an ObjectDB lookup of a stale id in object.h's get_instance).
 */
function engineErrors(instance: GodotInstance): string[] {
  return instance.errors.filter((l) => l.startsWith('ERROR') && !l.includes('"slot >= slot_max"'));
}

async function waitEvent(instance: GodotInstance, event: string, count = 1, timeoutMs = 15_000): Promise<ProbeEvent[]> {
  await instance.waitForLine(() => probeEvents(instance).filter((e) => e.event === event).length >= count, timeoutMs);
  return probeEvents(instance).filter((e) => e.event === event);
}

/** The probe's id, from its "connected" event ("int:123"). */
async function probeId(instance: GodotInstance): Promise<number> {
  const [connected] = await waitEvent(instance, 'connected');
  return Number(connected!.data[0]!.slice(4));
}

const PROBE_RPCS = {
  zulu: Rpc(RpcMode.AnyPeer, reliable),
  alpha: Rpc(RpcMode.AnyPeer, reliable),
  from_server: Rpc(RpcMode.Authority, reliable),
  mike: Rpc(RpcMode.AnyPeer, { TransferMode: MultiplayerPeer.TransferModeEnum.Unreliable }),
  args: Rpc(RpcMode.AnyPeer, reliable),
  bytes_only: Rpc(RpcMode.AnyPeer, reliable),
  relay_ping: Rpc(RpcMode.AnyPeer, reliable),
};

/** The Node side of probe.gd's Probe node. */
class Probe extends NodeMirror {
  static override Rpcs = PROBE_RPCS;
  readonly calls: unknown[][] = [];
  constructor() {
    super('Probe');
    this.RpcConfig('dyn', Rpc(RpcMode.AnyPeer, reliable)); // probe.gd: rpc_config("dyn", ...)
  }
  private sender(): number {
    return this.Multiplayer!.GetRemoteSenderId();
  }
  dyn(n: number) {
    this.calls.push(['dyn', n, this.sender()]);
  }
  zulu(n: number) {
    this.calls.push(['zulu', n, this.sender()]);
  }
  alpha(text: string) {
    this.calls.push(['alpha', text, this.sender()]);
  }
  mike(...args: unknown[]) {
    this.calls.push(['mike', args.length, this.sender()]);
  }
  args(...args: unknown[]) {
    this.calls.push(['args', ...args]);
  }
  bytes_only(data: Uint8Array) {
    this.calls.push(['bytes_only', [...data]]);
  }
  relay_ping(n: number) {
    this.calls.push(['relay_ping', n, this.sender()]);
  }
}

/** The Node side of Probe/Extra: declares `known` but not `zzz_unknown`. */
class Extra extends NodeMirror {
  static override Rpcs = { known: Rpc(RpcMode.AnyPeer, reliable) };
  readonly calls: string[] = [];
  known() {
    this.calls.push('known');
  }
}

/** A SceneMultiplayer server for the probe that records each packet in and out as hex. */
function probeServer() {
  const peer = new WebSocketMultiplayerPeer();
  expect(peer.CreateServer(0, '127.0.0.1')).toBe(Error.Ok);
  const wire: { dir: 'in' | 'out'; peer: number; hex: string }[] = [];
  const get = peer.GetPacket.bind(peer);
  peer.GetPacket = () => {
    const from = peer.GetPacketPeer();
    const bytes = get();
    wire.push({ dir: 'in', peer: from, hex: Buffer.from(bytes).toString('hex') });
    return bytes;
  };
  const put = peer.PutPacket.bind(peer);
  peer.PutPacket = (bytes: Uint8Array) => {
    wire.push({ dir: 'out', peer: 0, hex: Buffer.from(bytes).toString('hex') });
    return put(bytes);
  };
  const multiplayer = new SceneMultiplayer();
  multiplayer.MultiplayerPeer = peer;
  const probe = new Probe();
  const extra = new Extra('Probe/Extra');
  multiplayer.AddMirror(probe);
  multiplayer.AddMirror(extra);
  const errors: string[] = [];
  const packets: [number, number[]][] = [];
  const events: string[] = [];
  multiplayer.ProtocolError.Connect((_id, reason) => errors.push(reason));
  multiplayer.PeerPacket.Connect((id, bytes) => packets.push([id, [...bytes]]));
  multiplayer.PeerConnected.Connect((id) => events.push(`connected ${id}`));
  multiplayer.PeerDisconnected.Connect((id) => events.push(`disconnected ${id}`));
  return { peer, multiplayer, probe, extra, wire, errors, packets, events, url: `--url=ws://127.0.0.1:${peer.GetLocalPort()}` };
}

const hex = (...parts: (string | number[] | Buffer)[]) =>
  parts.map((p) => (typeof p === 'string' ? p : Buffer.from(p).toString('hex'))).join('');
const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; };
const cstring = (s: string) => Buffer.concat([Buffer.from(s), Buffer.of(0)]);
const md5 = (names: string) => createHash('md5').update(names).digest('hex');

describe('Godot 4.6 clients and the Node multiplayer server', () => {
  it('the example: ids, joins on every side, chat → chat_echo to all, ping through the relay, a client leaving', async () => {
    const server = await startExampleServer();
    try {
      const url = `--url=ws://127.0.0.1:${server.port}`;
      const a = await godot.start(EXAMPLE, { args: [url], timeoutMs: 60_000 });
      const idA = Number((await a.waitForLine(/^connected as \d+$/)).split(' ')[2]);
      await a.waitForLine(`chat_echo from ${idA}: hello from ${idA}`);
      const b = await godot.start(EXAMPLE, { args: [url], timeoutMs: 60_000 });
      const idB = Number((await b.waitForLine(/^connected as \d+$/)).split(' ')[2]);
      expect(idA).toBeGreaterThanOrEqual(2);
      expect(idB).toBeGreaterThanOrEqual(2);
      expect(idB).not.toBe(idA);
      // b: the server (1), then a (ADD_PEER); its own chat echoed; a's ping relayed with a as sender.
      for (const line of ['peer 1 joined', `peer ${idA} joined`, `chat_echo from ${idB}: hello from ${idB}`, `ping ${idA} from ${idA}`]) {
        await b.waitForLine(line);
      }
      // a: b joined (ADD_PEER), b's chat echoed to a too, b's ping relayed.
      for (const line of [`peer ${idB} joined`, `chat_echo from ${idB}: hello from ${idB}`, `ping ${idB} from ${idB}`]) {
        await a.waitForLine(line);
      }
      expect(engineErrors(a)).toEqual([]);
      expect(engineErrors(b)).toEqual([]);

      await b.stop(); // the page goes: its WebSocket closes
      await a.waitForLine(`peer ${idB} left`);
      await expect.poll(() => server.lines, { timeout: 5000 }).toContain(`peer ${idB} left`);
      expect(server.lines).toEqual(expect.arrayContaining([
        `peer ${idA} joined`, `chat from ${idA}: hello from ${idA}`, `peer ${idB} joined`, `chat from ${idB}: hello from ${idB}`,
      ]));
      expect(server.lines.filter((l) => /^peer \d+: /.test(l))).toEqual([]); // no protocol errors
      await a.stop();
    } finally {
      await server.stop();
    }
  });

  it('byte for byte: path cache, RPC ids by sorted name, argument encoding, raw bytes, both directions', async () => {
    const server = probeServer();
    const stop = ticking(server.multiplayer);
    // When the probe's last call arrives, answer it: two RPCs (path inline, then cached) and raw bytes.
    const zulu = server.probe.zulu.bind(server.probe);
    server.probe.zulu = (n: number) => {
      zulu(n);
      if (n !== 6) return;
      const to = server.multiplayer.GetRemoteSenderId();
      expect(server.probe.RpcId(to, 'from_server', true, -129, 70000, 2 ** 40, new GodotFloat(2), 1.5, 'ünï', new Vector2(1, 2))).toBe(Error.Ok);
      expect(server.probe.RpcId(to, 'from_server', false, 0, Uint8Array.of(1), [1, 'a'], new Map([['k', 1]]), null, new StringName('sn'), new NodePath('a/b:c'))).toBe(Error.Ok);
      expect(server.multiplayer.SendBytes(Uint8Array.of(4, 5, 6), to)).toBe(Error.Ok);
    };
    try {
      const godotClient = await godot.start(PROBE, { args: [server.url, '--scenario=rpc'], timeoutMs: 60_000 });
      const id = await probeId(godotClient);
      const fromServer = await waitEvent(godotClient, 'from_server', 2);
      const [packet] = await waitEvent(godotClient, 'peer_packet');
      await expect.poll(() => server.wire.filter((w) => w.dir === 'in' && w.hex === '020101000000').length, { timeout: 5000 }).toBe(1);

      // What Godot sent, in order (every packet of the scenario).
      const received = server.wire.filter((w) => w.dir === 'in').map((w) => w.hex);
      const scriptNames = 'alpha args bytes_only from_server mike relay_ping zulu'.split(' '); // ids 0-6
      const probeMd5 = md5(`dyn${scriptNames.join('')}`); // node-level (rpc_config) names come first
      expect(server.probe.rpcTable().checksum).toBe(probeMd5);
      /** A call to Probe before the cache id is confirmed: u32 field 0x80000000 | path offset, the path at the end. */
      const callWithPath = (command: number, rest: number[]) =>
        hex([command], u32(0x80000000 | (5 + rest.length)), rest, cstring('Probe'));
      expect(received.slice(0, 6)).toEqual([
        hex('070300000000', [3, 1, 2, 3]), // send_bytes() to everyone: a RELAY to 0 of [RAW, bytes]
        hex([1], Buffer.from(probeMd5), [0], u32(1), cstring('Probe')), // SIMPLIFY_PATH, cache id 1
        callWithPath(0x20, [6, 1, 0x02, 5]), // zulu = id 6 (u32 node field), 1 argument: int8 5
        callWithPath(0x20, [0, 1, 4, 0, 0, 0, 1, 0, 0, 0, 0x61, 0, 0, 0]), // alpha = id 0, a String Variant "a"
        callWithPath(0xa0, [4]), // mike = id 4: no arguments (bit 7), no count
        callWithPath(0x60, [0x00, 0x80, 1, 0x02, 7]), // dyn: node-level id 0x8000 as a 16-bit method id (bit 6)
      ]);
      // args = 1: bool as one byte (bit 7 = value), ints in 1/2/4/8 bytes, the rest as binary Variants.
      expect(received[6]!.startsWith(hex([0x20], u32(0x80000000 | 0xc8), [1, 16, 0x81, 0x01, 0x02, 0x00, 0x42, 0x7f, 0xff, 0x82, 0x70, 0x11, 0x01, 0x00, 0xc2, 0, 0, 0, 0, 0, 1, 0, 0]))).toBe(true);
      expect(received[7]).toBe(callWithPath(0xa0, [2, 9, 8, 7])); // bytes_only = id 2: one PackedByteArray sent bare
      expect(received[8]).toBe(hex([1], Buffer.from(md5('knownzzz_unknown')), [0], u32(2), cstring('Probe/Extra'))); // cache id 2
      expect(received.slice(9, 11)).toEqual([
        hex([0xa0], u32(0x80000006), [0], cstring('Probe/Extra')),
        hex([0xa0], u32(0x80000006), [1], cstring('Probe/Extra')), // zzz_unknown = 1, unknown here
      ]);

      // What the mirrors received.
      expect(server.packets).toEqual([[id, [1, 2, 3]]]);
      expect(server.probe.calls[0]).toEqual(['zulu', 5, id]);
      expect(server.probe.calls[1]).toEqual(['alpha', 'a', id]);
      expect(server.probe.calls[2]).toEqual(['mike', 0, id]);
      expect(server.probe.calls[3]).toEqual(['dyn', 7, id]);
      const args = server.probe.calls[4]!;
      expect(args.slice(0, 7)).toEqual(['args', true, false, 0, -129, 70000, 2 ** 40]);
      expect(args[7]).toBe(1.5);
      expect(args[8]).toBeInstanceOf(GodotFloat);
      expect((args[8] as GodotFloat).value).toBe(2);
      expect(args[9]).toBe('ünï');
      expect(args[10]).toEqual(new Vector2(1, 2));
      expect(args[11]).toEqual([1, 'a']);
      expect(args[12]).toEqual(new Map([['k', 1]]));
      expect([...(args[13] as Int32Array)]).toEqual([1, 2]);
      expect(args[14]).toBeNull();
      expect(args[15]).toEqual(new StringName('sn'));
      expect(String(args[16])).toBe('a/b:c');
      expect(server.probe.calls[5]).toEqual(['bytes_only', [9, 8, 7]]);
      expect(server.probe.calls[6]).toEqual(['zulu', 6, id]);
      expect(server.extra.calls).toEqual(['known']);

      // Garbage and the unknown RPC: reported, dropped, the server carried on (zulu 6 came after them).
      expect(server.errors.map((r) => r.slice(0, r.indexOf(':')))).toEqual([
        'RPC_CHECKSUM_MISMATCH', 'UNKNOWN_METHOD', 'BAD_RPC', 'BAD_SYS', 'UNSUPPORTED_COMMAND',
      ]);

      // What Godot made of ours: our SIMPLIFY_PATH's checksum matched (Godot answered 1), the RPC
      // with the path inline and the one after, and the raw bytes.
      const sent = server.wire.filter((w) => w.dir === 'out').map((w) => w.hex);
      expect(sent).toContain('020101000000'); // our CONFIRM_PATH for Probe: Godot's checksum matched ours
      expect(sent).toContain(hex([1], Buffer.from(probeMd5), [0], u32(1), cstring('Probe')));
      expect(fromServer.map((e) => e.data)).toEqual([
        ['bool:true', 'int:-129', 'int:70000', 'int:1099511627776', 'float:2.0', 'float:1.5', 'String:"ünï"', 'Vector2:Vector2(1, 2)', 'int:1'],
        ['bool:false', 'int:0', 'PackedByteArray:PackedByteArray(1)', 'Array:[1, "a"]', 'Dictionary:{\n"k": 1\n}', 'Nil:null', 'StringName:&"sn"', 'NodePath:NodePath("a/b:c")', 'int:1'],
      ]);
      expect(packet!.data).toEqual(['int:1', 'PackedByteArray:PackedByteArray(4, 5, 6)']);
      // Godot complains about Probe/Extra's checksum only (it declares zzz_unknown, we do not).
      expect(engineErrors(godotClient)).toEqual([
        'ERROR: The rpc node checksum failed. Make sure to have the same methods on both nodes. Node path: /root/Probe/Extra',
      ]);
      await godotClient.stop();
    } finally {
      stop();
      server.peer.Close();
    }
  });

  it('relay: clients reach each other and the server with their true ids; leaving is announced', async () => {
    const server = probeServer();
    const stop = ticking(server.multiplayer);
    try {
      const a = await godot.start(PROBE, { args: [server.url, '--scenario=relay'], timeoutMs: 60_000 });
      const idA = await probeId(a);
      const b = await godot.start(PROBE, { args: [server.url, '--scenario=relay'], timeoutMs: 60_000 });
      const idB = await probeId(b);
      const [pingAtA] = await waitEvent(a, 'relay_ping');
      const [pingAtB] = await waitEvent(b, 'relay_ping');
      expect(pingAtA!.data).toEqual([`int:${idB}`, `int:${idB}`]);
      expect(pingAtB!.data).toEqual([`int:${idA}`, `int:${idA}`]);
      // Each one's relay_ping.rpc(1000 + id) right after joining reached the server as from that client.
      await expect.poll(() => server.probe.calls, { timeout: 5000 }).toEqual(expect.arrayContaining([
        ['relay_ping', 1000 + idA, idA], ['relay_ping', 1000 + idB, idB],
      ]));
      expect(server.errors).toEqual([]);
      await b.stop();
      const [left] = await waitEvent(a, 'peer_disconnected');
      expect(left!.data).toEqual([`int:${idB}`]);
      await expect.poll(() => server.events, { timeout: 5000 }).toContain(`disconnected ${idB}`);
      await a.stop();
    } finally {
      stop();
      server.peer.Close();
    }
  });

  it('authentication: the right secret is admitted, a wrong one times out on both sides', async () => {
    const server = probeServer();
    server.multiplayer.AuthTimeout = 1.5;
    const auth: string[] = [];
    server.multiplayer.AuthCallback = (id, data) => {
      auth.push(Buffer.from(data).toString());
      if (Buffer.from(data).toString() !== 'secret') return;
      server.multiplayer.SendAuth(id, Buffer.from('welcome'));
      server.multiplayer.CompleteAuth(id);
    };
    const failed: number[] = [];
    server.multiplayer.PeerAuthenticationFailed.Connect((id) => failed.push(id));
    const stop = ticking(server.multiplayer);
    try {
      const [good, bad] = await Promise.all([
        godot.start(PROBE, { args: [server.url, '--scenario=auth-good'], timeoutMs: 60_000 }),
        godot.start(PROBE, { args: [server.url, '--scenario=auth-bad'], timeoutMs: 60_000 }),
      ]);
      const goodId = await probeId(good);
      await waitEvent(good, 'peer_connected');
      expect(probeEvents(good).map((e) => e.event)).toEqual(['create_client', 'peer_authenticating', 'auth_data', 'connected', 'peer_connected']);
      expect((await waitEvent(good, 'auth_data'))[0]!.data).toEqual(['int:1', 'String:"welcome"']);
      await waitEvent(bad, 'server_disconnected');
      expect(probeEvents(bad).map((e) => e.event)).toEqual(['create_client', 'peer_authenticating', 'peer_authentication_failed', 'server_disconnected']);
      expect(auth.sort()).toEqual(['secret', 'wrong']);
      expect(server.multiplayer.GetPeers()).toEqual([goodId]);
      expect(failed).toHaveLength(1);
      await Promise.all([good.stop(), bad.stop()]);
    } finally {
      stop();
      server.peer.Close();
    }
  });

  it('handshake: Godot gives up on a server that never answers, refuses a bad id, and waits forever for a missing one', async () => {
    // silent: accepts TCP and says nothing; opens: a WebSocket server that never sends the id; bad: sends 3 bytes.
    const silent = new TcpServer();
    const opens = new TcpServer();
    const bad = new TcpServer();
    for (const tcp of [silent, opens, bad]) expect(tcp.Listen(0, '127.0.0.1')).toBe(Error.Ok);
    const held: StreamPeerTcp[] = [];
    const sockets: WebSocketPeer[] = [];
    const openSockets: WebSocketPeer[] = [];
    const badSockets = new Set<WebSocketPeer>();
    const timer = setInterval(() => {
      while (silent.IsConnectionAvailable()) held.push(silent.TakeConnection()!);
      for (const [tcp, isBad] of [[opens, false], [bad, true]] as const) {
        while (tcp.IsConnectionAvailable()) {
          const ws = new WebSocketPeer();
          ws.AcceptStream(tcp.TakeConnection());
          sockets.push(ws);
          if (isBad) badSockets.add(ws);
          else openSockets.push(ws);
        }
      }
      for (const ws of sockets) {
        ws.Poll();
        if (badSockets.has(ws) && ws.GetReadyState() === WebSocketPeer.State.Open) {
          badSockets.delete(ws);
          ws.PutPacket(Uint8Array.of(5, 0, 0));
        }
      }
    }, 4);
    try {
      const url = (tcp: TcpServer) => `--url=ws://127.0.0.1:${tcp.GetLocalPort()}`;
      const started = Date.now();
      const [toSilent, toOpen, toBad] = await Promise.all([
        godot.start(PROBE, { args: [url(silent), '--scenario=timeout'], timeoutMs: 60_000 }),
        godot.start(PROBE, { args: [url(opens), '--scenario=timeout'], timeoutMs: 60_000 }),
        godot.start(PROBE, { args: [url(bad), '--scenario=plain'], timeoutMs: 60_000 }),
      ]);
      await waitEvent(toSilent, 'connection_failed');
      await waitEvent(toBad, 'connection_failed');
      expect(toBad.errors).toContain('ERROR: Invalid ID received from server');
      expect(held).toHaveLength(1);
      // The open WebSocket without an id: still no verdict well after the 0.5 s timeout (Godot 4.6).
      await expect.poll(() => openSockets.some((ws) => ws.GetReadyState() === WebSocketPeer.State.Open), { timeout: 10_000 }).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(probeEvents(toOpen).map((e) => e.event)).toEqual(['create_client']);
      expect(Date.now() - started).toBeGreaterThan(2000);
      await Promise.all([toSilent.stop(), toOpen.stop(), toBad.stop()]);
    } finally {
      clearInterval(timer);
      for (const tcp of [silent, opens, bad]) tcp.Stop();
      for (const s of held) s.DisconnectFromHost();
      for (const ws of sockets) ws.Close(-1);
    }
  });
});
