// StreamPeer's typed helpers (Put8 … PutVar, Get8 … GetVar, BigEndian) on StreamPeerTcp and
// StreamPeerTls over real loopback sockets: Godot 4's byte layouts (core/io/stream_peer.cpp,
// Math::make_half_float), all-or-nothing reads, the GDScript names, and a round trip with the
// real Godot 3.2.3 engine, whose StreamPeer helpers encode as Godot 4's do (half floats excepted:
// Godot 3 has none). A missing godot3-server fails the test.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CryptoKey, Error, StreamPeer, StreamPeerTcp, StreamPeerTls, TcpServer, TlsOptions, Vector2, X509Certificate } from '../src/index.js';
import * as gd from '../src/gdscript.js';
import { createTestPki, type TestPki } from './helpers/certs.js';
import { pollUntil } from './helpers/loop.js';
import { openTcpPair } from './helpers/pair.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A connected TCP pair over loopback: what `writer` puts, `reader` gets. */
async function tcpPair(): Promise<{ writer: StreamPeerTcp; reader: StreamPeerTcp }> {
  const pair = await openTcpPair();
  cleanups.push(() => pair.close());
  return { writer: pair.client, reader: pair.server };
}

/** Everything `put` writes, as the other end receives it. */
async function bytesOf(put: (peer: StreamPeer) => void, bigEndian = false): Promise<string> {
  const { writer, reader } = await tcpPair();
  writer.BigEndian = bigEndian;
  put(writer);
  writer.PutU8(0xee); // end marker: everything before it has arrived when it has
  let got = '';
  await pollUntil([reader], () => {
    got += hex(reader.GetPartialData(1 << 16)[1]);
    return got.endsWith('ee');
  });
  return got.slice(0, -2);
}

describe('StreamPeer put_* byte layouts (Godot 4)', () => {
  it('writes integers little-endian, wrapped to their width', async () => {
    expect(await bytesOf((p) => { p.Put8(-1); p.Put8(200); p.PutU8(-1); p.PutU8(256); })).toBe('ffc8ff00');
    expect(await bytesOf((p) => { p.Put16(-2); p.PutU16(0x1234); p.PutU16(70000); })).toBe('feff34127011');
    expect(await bytesOf((p) => { p.Put32(-123456789); p.PutU32(4000000000); p.Put32(2 ** 32 + 5); })).toBe('eb32a4f800286bee05000000');
    expect(await bytesOf((p) => { p.Put64(-2); p.Put64(2n ** 53n + 1n); p.PutU64(2n ** 64n - 1n); p.PutU64(-1); }))
      .toBe('feffffffffffffff' + '0100000000002000' + 'ffffffffffffffff' + 'ffffffffffffffff');
  });

  it('writes floats as IEEE 754, halves the way Godot converts them', async () => {
    expect(await bytesOf((p) => { p.PutFloat(0.1); p.PutDouble(0.1); })).toBe('cdcccc3d' + '9a9999999999b93f');
    const halves = [1, -2, 0.1, 65504, 65520, 70000, -Infinity, NaN, 1e-5, -1e-5, 2 ** -14, 1.00146484375];
    // 65520: Godot truncates to 65504 where IEEE rounding would give infinity; below 2^-14 is +0
    // (sign dropped); 1 + 3·2^-11 truncates to 1 + 2^-10 (IEEE: 1 + 2^-9).
    expect(await bytesOf((p) => halves.forEach((v) => p.PutHalf(v))))
      .toBe(['003c', '00c0', '662e', 'ff7b', 'ff7b', '007c', '00fc', 'ff7f', '0000', '0000', '0004', '013c'].join(''));
  });

  it('writes strings and Variants after a length', async () => {
    // put_string: ASCII, a character outside it becomes a space (one per code point).
    expect(await bytesOf((p) => p.PutString('héllo😀'))).toBe('06000000' + '68206c6c6f20');
    expect(await bytesOf((p) => p.PutUtf8String('é✓'))).toBe('05000000' + 'c3a9e29c93');
    expect(await bytesOf((p) => p.PutString(''))).toBe('00000000');
    // put_var: int32 length, then the Variant (int 42 = type 2, 32-bit payload).
    expect(await bytesOf((p) => p.PutVar(42))).toBe('08000000' + '020000002a000000');
    expect(await bytesOf((p) => p.PutVar(new Vector2(1, 2)))).toBe('0c000000' + '05000000' + '0000803f' + '00000040');
  });

  it('honours BigEndian for numbers and lengths, never for Variant payloads', async () => {
    expect(await bytesOf((p) => { p.Put16(-2); p.Put32(1); p.PutU64(1); p.PutHalf(1); p.PutFloat(1); p.PutDouble(1); }, true))
      .toBe('fffe' + '00000001' + '0000000000000001' + '3c00' + '3f800000' + '3ff0000000000000');
    expect(await bytesOf((p) => { p.PutUtf8String('ab'); p.PutVar(42); }, true)).toBe('00000002' + '6162' + '00000008' + '020000002a000000');
    expect(await bytesOf((p) => { p.Put8(-1); }, true)).toBe('ff');
  });

  it('writes nothing for a value with no Variant form and says why in the Error', async () => {
    const { writer } = await tcpPair();
    expect(writer.PutVar(Symbol('x'))).toBe(Error.InvalidParameter);
    expect(writer.PutVar(() => 1)).toBe(Error.InvalidParameter);
  });

  it('throws TypeError for wrong argument types', async () => {
    const { writer } = await tcpPair();
    expect(() => writer.Put8(1.5)).toThrow(TypeError);
    expect(() => writer.Put32('1' as unknown as number)).toThrow(TypeError);
    expect(() => writer.Put64(1.5)).toThrow(TypeError);
    expect(() => writer.PutFloat('x' as unknown as number)).toThrow(TypeError);
    expect(() => writer.PutString(1 as unknown as string)).toThrow(TypeError);
    expect(() => writer.GetString(1.5)).toThrow(TypeError);
  });

  it('returns Failed without a connection, as PutData does', () => {
    const peer = new StreamPeerTcp();
    expect(peer.Put32(1)).toBe(Error.Failed);
    expect(peer.PutUtf8String('x')).toBe(Error.Failed);
    expect(peer.PutVar(1)).toBe(Error.Failed);
  });
});

describe('StreamPeer get_* helpers', () => {
  it('read back what the put_* helpers wrote, in both byte orders', async () => {
    const { writer, reader } = await tcpPair();
    for (const big of [false, true]) {
      writer.BigEndian = big;
      writer.Put8(-1); writer.PutU8(200); writer.Put16(-2); writer.PutU16(65535); writer.Put32(-5); writer.PutU32(4000000000);
      writer.Put64(-2); writer.Put64(2n ** 62n); writer.PutU64(2n ** 64n - 1n); writer.PutU64(7);
      writer.PutHalf(0.5); writer.PutFloat(0.1); writer.PutDouble(0.1);
      writer.PutString('plain'); writer.PutUtf8String('héllo ✓ 🎮'); writer.PutVar(new Map([['pos', new Vector2(3, 4)]]));
    }
    await pollUntil([reader], () => reader.GetAvailableBytes() >= 2 * 124);
    for (const big of [false, true]) {
      reader.BigEndian = big;
      expect([reader.Get8(), reader.GetU8(), reader.Get16(), reader.GetU16(), reader.Get32(), reader.GetU32()])
        .toEqual([-1, 200, -2, 65535, -5, 4000000000]);
      expect([reader.Get64(), reader.Get64(), reader.GetU64(), reader.GetU64()]).toEqual([-2, 2n ** 62n, 2n ** 64n - 1n, 7]);
      expect([reader.GetHalf(), reader.GetFloat(), reader.GetDouble()]).toEqual([0.5, Math.fround(0.1), 0.1]);
      expect([reader.GetString(), reader.GetUtf8String()]).toEqual(['plain', 'héllo ✓ 🎮']);
      expect(reader.GetVar()).toEqual(new Map([['pos', new Vector2(3, 4)]]));
    }
    expect(reader.GetAvailableBytes()).toBe(0);
  });

  it('decodes half subnormals, infinities and NaN as Godot does', async () => {
    const { writer, reader } = await tcpPair();
    writer.PutData(Uint8Array.from([0x01, 0x00, 0x00, 0x7c, 0x00, 0xfc, 0x01, 0x7c, 0x00, 0x80]));
    await pollUntil([reader], () => reader.GetAvailableBytes() === 10);
    expect([reader.GetHalf(), reader.GetHalf(), reader.GetHalf(), reader.GetHalf(), reader.GetHalf()])
      .toEqual([2 ** -24, Infinity, -Infinity, NaN, -0]);
  });

  it('reads nothing until all of a value has arrived (Node cannot block)', async () => {
    const { writer, reader } = await tcpPair();
    writer.PutData(Uint8Array.from([1, 2, 3]));
    await pollUntil([reader], () => reader.GetAvailableBytes() === 3);
    expect(reader.Get32()).toBe(0);
    expect(reader.GetDouble()).toBe(0);
    expect(reader.GetAvailableBytes()).toBe(3);
    writer.PutData(Uint8Array.from([4]));
    await pollUntil([reader], () => reader.GetAvailableBytes() === 4);
    expect(reader.GetU32()).toBe(0x04030201);

    // A length that has arrived without all of its bytes: nothing is taken.
    writer.PutData(Uint8Array.from([5, 0, 0, 0, 0x61, 0x62]));
    await pollUntil([reader], () => reader.GetAvailableBytes() === 6);
    expect(reader.GetUtf8String()).toBe('');
    expect(reader.GetVar()).toBe(null);
    expect(reader.GetAvailableBytes()).toBe(6);
    writer.PutData(new TextEncoder().encode('cde'));
    await pollUntil([reader], () => reader.GetAvailableBytes() === 9);
    expect(reader.GetString()).toBe('abcde');
    expect(reader.GetAvailableBytes()).toBe(0);
  });

  it('takes a negative length and refuses it, as Godot does', async () => {
    const { writer, reader } = await tcpPair();
    writer.PutData(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 7]));
    await pollUntil([reader], () => reader.GetAvailableBytes() === 9);
    expect(reader.GetString()).toBe('');
    expect(reader.GetVar()).toBe(null);
    expect(reader.GetU8()).toBe(7);
  });

  it('reads a fixed number of bytes with GetString(n) / GetUtf8String(n), Latin-1 and UTF-8', async () => {
    const { writer, reader } = await tcpPair();
    writer.PutData(Uint8Array.from([0x61, 0x00, 0xe9, 0xef, 0xbb, 0xbf, 0x41, 0xff, 0x62]));
    await pollUntil([reader], () => reader.GetAvailableBytes() === 9);
    // Godot stops at the first NUL; the whole string is kept here (README compatibility table).
    expect(reader.GetString(3)).toBe('a\u0000é');
    // A UTF-8 byte order mark is skipped, an invalid byte becomes U+FFFD (both as in Godot).
    expect(reader.GetUtf8String(6)).toBe('A\ufffdb');
    expect(reader.GetString(0)).toBe('');
  });

  it('returns null for a Variant that does not decode, and takes it', async () => {
    const { writer, reader } = await tcpPair();
    writer.PutData(Uint8Array.from([4, 0, 0, 0, 0xff, 0, 0, 0, 9]));
    await pollUntil([reader], () => reader.GetAvailableBytes() === 9);
    expect(reader.GetVar()).toBe(null);
    expect(reader.GetU8()).toBe(9);
  });

  it('returns 0, "" and null without a connection, and sees the end of the stream', async () => {
    const peer = new StreamPeerTcp();
    expect([peer.Get32(), peer.GetString(), peer.GetVar(), peer.GetU64()]).toEqual([0, '', null, 0]);
    const { writer, reader } = await tcpPair();
    writer.DisconnectFromHost();
    await pollUntil([], () => (reader.GetU8(), reader.GetStatus() === StreamPeerTcp.Status.None));
  });
});

describe('StreamPeer helpers over StreamPeerTls', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = createTestPki();
  });
  afterAll(() => pki?.cleanup());

  it('put and get through the TLS session, Unconfigured before it is up', async () => {
    const { writer, reader } = await tcpPair();
    const key = new CryptoKey();
    key.LoadFromString(pki.server.key);
    const chain = new X509Certificate();
    chain.LoadFromString(pki.server.chain);
    const ca = new X509Certificate();
    ca.LoadFromString(pki.ca.cert);
    const server = new StreamPeerTls();
    const client = new StreamPeerTls();
    cleanups.push(() => {
      client.DisconnectFromStream();
      server.DisconnectFromStream();
    });
    expect(client.Put32(1)).toBe(Error.Unconfigured);
    expect(client.Get32()).toBe(0);
    expect(server.AcceptStream(reader, TlsOptions.Server(key, chain))).toBe(Error.Ok);
    expect(client.ConnectToStream(writer, 'localhost', TlsOptions.Client(ca))).toBe(Error.Ok);
    const connected = StreamPeerTls.Status.Connected;
    await pollUntil([client, server], () => client.GetStatus() === connected && server.GetStatus() === connected);
    client.BigEndian = true;
    expect(client.PutU16(0xbeef)).toBe(Error.Ok);
    expect(client.PutUtf8String('über TLS')).toBe(Error.Ok);
    expect(client.PutVar([1, 'two'])).toBe(Error.Ok);
    server.BigEndian = true;
    await pollUntil([server], () => server.GetAvailableBytes() >= 2 + 4 + 9);
    expect(server.GetU16()).toBe(0xbeef);
    expect(server.GetUtf8String()).toBe('über TLS');
    let value: unknown = null;
    await pollUntil([server], () => (value = server.GetVar()) !== null);
    expect(value).toEqual([1, 'two']);
    expect(server.GetAvailableBytes()).toBe(0);
  });
});

describe('the GDScript face', () => {
  it('has new() on every class Godot can instantiate, and the snake_case helpers', async () => {
    expect(gd.WebSocketPeer.new()).toBeInstanceOf(gd.WebSocketPeer);
    expect(gd.StreamPeerTCP.new()).toBeInstanceOf(StreamPeerTcp);
    expect(gd.TCPServer.new()).toBeInstanceOf(TcpServer);
    expect(gd.StreamPeerTLS.new()).toBeInstanceOf(StreamPeerTls);
    expect(gd.TLSOptions.new().is_server()).toBe(false);
    expect(gd.X509Certificate.new()).toBeInstanceOf(X509Certificate);
    expect(gd.CryptoKey.new()).toBeInstanceOf(CryptoKey);
    expect('new' in gd.PacketPeer).toBe(false);
    expect('new' in gd.StreamPeer).toBe(false);

    const server = gd.TCPServer.new();
    expect(server.listen(0, '127.0.0.1')).toBe(gd.OK);
    const tcp = gd.StreamPeerTCP.new();
    expect(tcp.get_available_bytes()).toBe(-1);
    expect(tcp.bind(0, '127.0.0.1')).toBe(gd.OK);
    expect(tcp.connect_to_host('127.0.0.1', server.get_local_port())).toBe(gd.OK);
    let accepted: ReturnType<typeof server.take_connection> = null;
    await pollUntil([tcp], () => (accepted ??= server.take_connection()) !== null && tcp.get_status() === gd.StreamPeerTCP.STATUS_CONNECTED);
    cleanups.push(() => {
      tcp.disconnect_from_host();
      accepted?.disconnect_from_host();
      server.stop();
    });
    tcp.big_endian = true;
    expect(tcp.is_big_endian_enabled()).toBe(true);
    tcp.put_u16(0x0102);
    tcp.set_big_endian(false);
    tcp.put_utf8_string('hi');
    tcp.put_var(new gd.Vector2i(1, 2));
    await pollUntil([], () => accepted!.get_available_bytes() >= 2 + 6 + 16);
    accepted!.big_endian = true;
    expect(accepted!.get_u16()).toBe(0x0102);
    accepted!.big_endian = false;
    expect(accepted!.get_utf8_string()).toBe('hi');
    expect(accepted!.get_var()).toEqual(new gd.Vector2i(1, 2));
  });

  it('exports the Variant types, the same classes as the main entry point', async () => {
    const main = await import('../src/index.js');
    expect(gd.Vector2).toBe(main.Vector2);
    expect(gd.Vector2i).toBe(main.Vector2I);
    expect(gd.Vector3i).toBe(main.Vector3I);
    expect(gd.Vector4i).toBe(main.Vector4I);
    expect(gd.Rect2i).toBe(main.Rect2I);
    expect(gd.AABB).toBe(main.Aabb);
    expect(gd.RID).toBe(main.Rid);
    for (const name of ['Vector3', 'Vector4', 'Rect2', 'Transform2D', 'Plane', 'Quaternion', 'Basis', 'Transform3D', 'Projection', 'Color',
      'StringName', 'NodePath', 'Callable', 'Signal', 'GodotFloat', 'TypedArray', 'TypedDictionary', 'PackedStringArray',
      'PackedVector2Array', 'PackedVector3Array', 'PackedVector4Array', 'PackedColorArray', 'EncodedObject', 'EncodedObjectAsId'] as const) {
      expect((gd as Record<string, unknown>)[name], name).toBe((main as Record<string, unknown>)[name]);
    }
    expect(gd.bytes_to_var(gd.var_to_bytes(new gd.Color(1, 0, 0, 1)))).toEqual(new gd.Color(1, 0, 0, 1));
  });
});

describe('StreamPeer helpers with the real Godot 3.2.3 engine', () => {
  const GODOT = process.env.GODOT3_BIN ?? 'godot3-server';
  const PROJECT = fileURLToPath(new URL('./godot3', import.meta.url));

  function putValues(peer: StreamPeer): void {
    for (const big of [false, true]) {
      peer.BigEndian = big;
      peer.Put8(-1); peer.PutU8(200); peer.Put16(-2); peer.PutU16(0x1234); peer.Put32(-123456789); peer.PutU32(4000000000);
      peer.Put64(-2); peer.Put64(2n ** 53n + 1n); peer.PutU64(2n ** 64n - 1n); peer.PutFloat(0.1); peer.PutDouble(0.1);
      peer.PutString('hello'); peer.PutUtf8String('héllo ✓ 🎮'); peer.PutVar(42); peer.PutVar('hé');
    }
    peer.BigEndian = false;
  }

  function getValues(peer: StreamPeer): unknown[] {
    const out: unknown[] = [];
    for (const big of [false, true]) {
      peer.BigEndian = big;
      out.push(peer.Get8(), peer.GetU8(), peer.Get16(), peer.GetU16(), peer.Get32(), peer.GetU32(), peer.Get64(), peer.Get64(),
        peer.GetU64(), peer.GetFloat(), peer.GetDouble(), peer.GetString(), peer.GetUtf8String(), peer.GetVar(), peer.GetVar());
    }
    peer.BigEndian = false;
    return out;
  }

  it('reads what Godot 3 puts and Godot 3 reads what we put, value for value', async () => {
    const listener = new TcpServer();
    expect(listener.Listen(0, '127.0.0.1')).toBe(Error.Ok);
    const dir = mkdtempSync(join(tmpdir(), 'gdws-stream-godot3-'));
    const child = spawn(GODOT, ['--path', PROJECT, '-s', 'stream_peer_client.gd'], {
      env: { ...process.env, LANG: 'en', XDG_DATA_HOME: dir, TCP_PORT: String(listener.GetLocalPort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on('error', (e) => reject(new globalThis.Error(`cannot run ${GODOT} (install Debian's godot3-server): ${e.message}`)));
      child.on('close', resolve);
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    try {
      let peer: StreamPeerTcp | null = null;
      await pollUntil([], () => (peer ??= listener.TakeConnection()) !== null, 15_000, 'Godot 3 to connect');
      const godot = peer!;
      await pollUntil([godot], () => godot.GetAvailableBytes() >= 4, 10_000, "Godot 3's byte count");
      const size = godot.GetU32();
      await pollUntil([godot], () => godot.GetAvailableBytes() >= size, 10_000, "Godot 3's values");
      const expected = [-1, 200, -2, 0x1234, -123456789, 4000000000, -2, 2n ** 53n + 1n, 2n ** 64n - 1n, Math.fround(0.1), 0.1,
        'hello', 'héllo ✓ 🎮', 42, 'hé'];
      expect(getValues(godot)).toEqual([...expected, ...expected]);
      expect(godot.GetAvailableBytes()).toBe(0);
      putValues(godot);
      const code = await exited;
      const exitLine = stdout.split('\n').find((line) => line.startsWith('EXIT ')) ?? `no EXIT line; stderr: ${stderr}`;
      expect(exitLine, stdout).toBe('EXIT 0');
      expect(code).toBe(0);
      godot.DisconnectFromHost();
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
      listener.Stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
