// The real Godot 3.2.3 engine (Debian godot3-server) put_var()s every Godot 3 type over a
// WebSocket; Node decodes each value in the Godot 3 format, encodes it again and sends it back,
// and the engine checks it gets equal values. Then Node sends values built in JavaScript and the
// engine checks them against GDScript literals. Fails (does not skip) when godot3-server is missing.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Error } from '../src/core/error.js';
import { TcpServer } from '../src/net/tcp-server.js';
import { WebSocketPeer } from '../src/websocket/websocket-peer.js';
import { pollUntil } from './helpers/loop.js';
import { openPair } from './helpers/pair.js';
import {
  Basis,
  Color,
  decodeVariant,
  decodeVariantPacket,
  EncodedObject,
  EncodedObjectAsId,
  encodeVariant,
  GodotFloat,
  NodePath,
  PackedStringArray,
  Rid,
  Transform2D,
  Transform3D,
  Vector2,
  Vector3,
} from '../src/variant/index.js';

const GODOT = process.env.GODOT3_BIN ?? 'godot3-server';
const PROJECT = fileURLToPath(new URL('./godot3', import.meta.url));
const RUN_TIMEOUT_MS = 30_000;
/** How many values put_var_client.gd's values() sends. */
const SENT_COUNT = 52;

/** Values Node builds in JavaScript; put_var_client.gd's node_values() holds the same in GDScript. */
const NODE_VALUES: unknown[] = [
  { name: 'player', hp: 100, speed: 2.5, alive: true, tags: ['a', 'b'] },
  new GodotFloat(100),
  2n ** 40n,
  Number.MAX_SAFE_INTEGER,
  new Map([[new Vector2(1, 2), new NodePath('/root/x:y')]]),
  new Float32Array([0.5, 2]),
  new Uint8Array([1, 2, 3]),
  // Columns x, y, z as in GDScript's Transform(x_axis, y_axis, z_axis, origin).
  new Transform3D(new Basis(new Vector3(1, 0, 0), new Vector3(0, 0, 1), new Vector3(0, -1, 0)), new Vector3(1, 2, 3)),
  new Transform2D(new Vector2(1, 2), new Vector2(3, 4), new Vector2(5, 6)),
  new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9)),
  new Color(0.25, 0.5, 0.75, 1),
  'héllo 🎮',
  -0.5,
  0.1,
  PackedStringArray.of('x', 'yz'),
  null,
];

interface Received {
  bytes: Uint8Array;
  value: unknown;
  error: Error;
  reencoded: Uint8Array;
}

/**
 * The Node end: a WebSocket server on 127.0.0.1 that hands each binary message to onMessage with a
 * reply function. This is the one place that knows the transport (our TcpServer + WebSocketPeer).
 */
function startServer(onMessage: (bytes: Uint8Array, peer: WebSocketPeer) => void): { port: number; stop: () => void; failure: () => string | null } {
  const tcp = new TcpServer();
  if (tcp.Listen(0, '127.0.0.1') !== Error.Ok) throw new globalThis.Error('TcpServer.Listen failed');
  const peers: WebSocketPeer[] = [];
  let stopped = false;
  let failure: string | null = null;
  const tick = (): void => {
    if (stopped) return;
    try {
      while (tcp.IsConnectionAvailable()) {
        const peer = new WebSocketPeer();
        if (peer.AcceptStream(tcp.TakeConnection()) !== Error.Ok) throw new globalThis.Error('AcceptStream failed');
        peers.push(peer);
      }
      for (const peer of peers) {
        peer.Poll();
        while (peer.GetAvailablePacketCount() > 0) onMessage(peer.GetPacket(), peer);
      }
    } catch (error) {
      failure ??= String(error);
    }
    setTimeout(tick, 1);
  };
  tick();
  return {
    port: tcp.GetLocalPort(),
    failure: () => failure,
    stop: () => {
      stopped = true;
      for (const peer of peers) peer.Close();
      tcp.Stop();
    },
  };
}

interface GodotRun {
  code: number | null;
  stdout: string;
  stderr: string;
  exitLine: string;
  events: Record<string, unknown>[];
}

function runGodot(url: string): Promise<GodotRun> {
  const dir = mkdtempSync(join(tmpdir(), 'gdws-variant-godot3-'));
  cpSync(PROJECT, dir, { recursive: true });
  mkdirSync(join(dir, '.xdg'));
  return new Promise((resolve, reject) => {
    const child = spawn(GODOT, ['--path', dir, '-s', 'put_var_client.gd'], {
      // LANG=en: this build warns about the C locale; XDG_DATA_HOME keeps user:// out of $HOME.
      env: { ...process.env, LANG: 'en', XDG_DATA_HOME: join(dir, '.xdg'), WS_URL: url, WS_TIMEOUT_MS: '20000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', (error) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      reject(new globalThis.Error(`cannot run ${GODOT} (install Debian's godot3-server): ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      const lines = stdout.split('\n');
      resolve({
        code,
        stdout,
        stderr,
        // A GDScript parse error still exits 0, so only this line proves the script finished.
        exitLine: lines.find((line) => line.startsWith('EXIT ')) ?? '',
        events: lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>),
      });
    });
  });
}

function containsNodePath(value: unknown): boolean {
  if (value instanceof NodePath) return true;
  if (Array.isArray(value)) return value.some(containsNodePath);
  if (value instanceof Map) return [...value].some(([k, v]) => containsNodePath(k) || containsNodePath(v));
  return false;
}

describe('put_var round trip with the real Godot 3.2.3 engine', () => {
  const received: Received[] = [];
  let run: GodotRun;
  let serverFailure: string | null = null;
  // Kept and rethrown by each test, so a missing engine fails them instead of skipping them.
  let runError: unknown = null;

  beforeAll(async () => {
    const server = startServer((bytes, peer) => {
      const decoded = decodeVariant(bytes, { format: 3, allowObjects: true });
      if (decoded.value === '__done__') {
        peer.PutPacket(bytes);
        peer.VariantFormat = 3;
        for (const value of NODE_VALUES) expect(peer.PutVar(value)).toBe(Error.Ok);
        peer.PutVar('__end__');
        return;
      }
      const reencoded = encodeVariant(decoded.value, { format: 3, fullObjects: true });
      received.push({ bytes, value: decoded.value, error: decoded.error, reencoded: reencoded.bytes });
      peer.PutPacket(reencoded.bytes);
    });
    try {
      run = await runGodot(`ws://127.0.0.1:${server.port}/`);
    } catch (error) {
      runError = error;
    } finally {
      serverFailure = server.failure();
      server.stop();
    }
  }, RUN_TIMEOUT_MS + 10_000);

  afterAll(() => {
    if (run && run.exitLine !== 'EXIT 0') console.error(run.stdout, run.stderr);
  });

  const ran = (): void => {
    if (runError) throw runError;
  };

  it('the engine gets every value back equal and accepts the JavaScript-built values', () => {
    ran();
    expect(serverFailure).toBeNull();
    expect(run.events.filter((e) => e.event === 'mismatch')).toEqual([]);
    expect(run.exitLine).toBe('EXIT 0');
    expect(run.code).toBe(0);
    const summary = run.events.find((e) => e.event === 'summary');
    expect(summary).toMatchObject({ sent: SENT_COUNT, echoes: SENT_COUNT, from_node: NODE_VALUES.length, mismatches: 0 });
  });

  it('decodes every value without error and re-encodes the engine\'s exact bytes', () => {
    ran();
    expect(received).toHaveLength(SENT_COUNT);
    for (const [index, item] of received.entries()) {
      expect(item.error, `value ${index}`).toBe(Error.Ok);
      if (containsNodePath(item.value)) {
        // Godot 3.2.3 leaves NodePath padding uninitialised: equal after decoding, not byte for byte.
        expect(decodeVariant(item.reencoded, { format: 3 }).value, `value ${index}`).toStrictEqual(item.value);
      } else {
        expect(Buffer.from(item.reencoded).toString('hex'), `value ${index}`).toBe(Buffer.from(item.bytes).toString('hex'));
      }
    }
  });

  it('read as Godot 4 bytes (the default format), each value is refused unless the formats agree or two same-size types meet', () => {
    ran();
    expect(received).toHaveLength(SENT_COUNT);
    const silentlyDifferent: string[] = [];
    for (const [index, item] of received.entries()) {
      const asGodot4 = decodeVariantPacket(item.bytes, { format: 4, allowObjects: true });
      const typeId = item.bytes[0]!;
      if (typeId <= 5) {
        // nil, bool, int, float, String, Vector2: the same ids and layouts in both versions.
        expect(asGodot4, `value ${index}`).toStrictEqual({ error: Error.Ok, value: item.value });
      } else if (asGodot4.error === Error.Ok) {
        silentlyDifferent.push(`${index}: ${(item.value as object).constructor.name} as ${(asGodot4.value as object).constructor.name}`);
      } else {
        // A Godot 3 PoolVector2Array reads as an Object whose class name runs past the end: FileEof.
        expect(asGodot4.error, `value ${index}`).toBe(typeId === 24 ? Error.FileEof : Error.InvalidData);
      }
    }
    // 24 bytes of floats either way (AABB / Transform2D, id 11) and 16 (Color / Plane, id 14).
    expect(silentlyDifferent).toEqual(['31: Aabb as Transform2D', '34: Color as Plane']);
  });

  it('GetVar reports a Godot 3 Dictionary read in the default format through GetPacketError, where Godot sees a Transform3D', async () => {
    ran();
    const dictionary = received[39]!; // {"a": 1, 2: [3, 4.5], Vector2(1, 2): "vector key", "nested": {...}}
    expect(dictionary.value).toBeInstanceOf(Map);
    // Godot's own reading (bytes after the value ignored) takes the first 52 bytes as a Transform3D.
    expect(decodeVariant(dictionary.bytes, { format: 4 }).value).toBeInstanceOf(Transform3D);
    const pair = await openPair();
    try {
      for (let i = 0; i < 2; i++) expect(pair.server.PutPacket(dictionary.bytes)).toBe(Error.Ok);
      await pollUntil([pair.server, pair.client], () => pair.client.GetAvailablePacketCount() === 2);
      expect(pair.client.GetVar()).toBeNull();
      expect(pair.client.GetPacketError()).toBe(Error.InvalidData);
      pair.client.VariantFormat = 3;
      expect(pair.client.GetVar()).toStrictEqual(dictionary.value);
      expect(pair.client.GetPacketError()).toBe(Error.Ok);
    } finally {
      pair.close();
    }
  });

  it('reads the engine\'s values as the documented JavaScript types', () => {
    ran();
    const values = received.map((item) => item.value);
    expect(values.slice(0, 12)).toStrictEqual([
      null, true, false, 0, 42, -7, 2147483647, -2147483648, 2147483648, -1099511627776,
      9223372036854775807n, -9223372036854775808n,
    ]);
    expect(values[12]).toBe(1.5);
    expect(values[14]).toBe(0.1);
    expect(values[15]).toStrictEqual(new GodotFloat(1));
    expect(Object.is((values[16] as GodotFloat).value, -0)).toBe(true);
    expect(values[23]).toBe('héllo ✓ 🎮');
    // Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9)) takes columns, as our Basis does.
    expect(values[32]).toStrictEqual(new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9)));
    expect(values[35]).toStrictEqual(NodePath.fromParts(['root', 'Main', 'Player'], ['position', 'x'], true));
    expect(values[38]).toStrictEqual(new Rid());
    const dictionary = values[39] as Map<unknown, unknown>;
    expect([...dictionary.keys()]).toStrictEqual(['a', 2, new Vector2(1, 2), 'nested']);
    expect(values[50]).toBeInstanceOf(EncodedObjectAsId);
    expect(values[51]).toMatchObject({ className: 'Resource' });
    expect((values[51] as EncodedObject).properties.get('resource_name')).toBe('sent in full');
  });
});
