// VariantFormat (3 or 4) on every peer: validated when set, and a value read in the wrong format
// refused through GetPacketError() (or null from StreamPeer.GetVar) instead of returned wrong.
// Real engine bytes in both directions: test/variant-godot3.test.ts (Godot 3.2.3 bytes read as
// Godot 4) and test/godot4/variant-corpus.test.ts (Godot 4.6 bytes read as Godot 3).
import { afterEach, describe, expect, it } from 'vitest';
import {
  Error, GD, Rid, StreamPeerTcp, TcpServer, Vector2, WebSocketMultiplayerPeer, WebSocketPeer, type VariantFormat,
} from '../src/index.js';
import * as gdscript from '../src/gdscript.js';
import { decodeVariantPacket, encodeVariant } from '../src/variant/index.js';
import { pollUntil } from './helpers/loop.js';
import { openPair, openTcpPair } from './helpers/pair.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const bad: unknown[] = ['3', '4', 5, 2, 0, null, undefined, 4.5, NaN, 3n, {}];

describe('VariantFormat is validated when set', () => {
  const owners: [string, () => { VariantFormat: VariantFormat }][] = [
    ['WebSocketPeer', () => new WebSocketPeer()],
    ['WebSocketMultiplayerPeer', () => new WebSocketMultiplayerPeer()],
    ['StreamPeerTcp', () => new StreamPeerTcp()],
    ['GDScript WebSocketPeer.new()', () => gdscript.WebSocketPeer.new() as unknown as { VariantFormat: VariantFormat }],
  ];

  it.each(owners)('%s takes 3 and 4 and throws TypeError for anything else, keeping its value', (_name, make) => {
    const owner = make();
    expect(owner.VariantFormat).toBe(4);
    owner.VariantFormat = 3;
    expect(owner.VariantFormat).toBe(3);
    for (const value of bad) {
      expect(() => (owner.VariantFormat = value as VariantFormat), String(value)).toThrow(TypeError);
      expect(owner.VariantFormat).toBe(3);
    }
    expect(() => (owner.VariantFormat = '3' as unknown as VariantFormat)).toThrow('VariantFormat must be 3 or 4 (the Godot major version of the peer), not "3"');
    owner.VariantFormat = 4;
    expect(owner.VariantFormat).toBe(4);
  });

  it('GD.* take the same two formats', () => {
    for (const value of bad.filter((v) => v !== undefined)) {
      expect(() => GD.VarToBytes(1, value as VariantFormat), String(value)).toThrow(TypeError);
      expect(() => GD.BytesToVar(new Uint8Array(8), value as VariantFormat), String(value)).toThrow(TypeError);
    }
    expect(() => GD.VarToBytes(1, 5 as VariantFormat)).toThrow('format must be 3 or 4 (the Godot major version of the peer), not 5');
  });
});

describe('a value read in the wrong format is refused, not returned wrong', () => {
  const godot3 = (value: unknown) => encodeVariant(value, { format: 3 }).bytes;
  const godot4 = (value: unknown) => encodeVariant(value, { format: 4 }).bytes;

  it('a packet must hold exactly one value: bytes left over are InvalidData (Godot ignores them)', () => {
    const value = new Map([['pos', new Vector2(3, 4)]]);
    const bytes = godot3(value);
    // Godot 3 Dictionary (id 18) = Godot 4 Transform3D: too short here, so it fails either way.
    expect(decodeVariantPacket(bytes, { format: 3 })).toStrictEqual({ error: Error.Ok, value });
    expect(decodeVariantPacket(bytes, { format: 4 }).error).toBe(Error.InvalidData);
    // Long enough to read as a Transform3D: only the left-over bytes give it away.
    const longer = godot3(new Map([['name', 'a longer dictionary'], ['pos', new Vector2(3, 4)]]));
    expect(longer.length).toBeGreaterThan(52);
    expect(decodeVariantPacket(longer, { format: 4 })).toStrictEqual({ error: Error.InvalidData, value: null });
    // Godot 4 bytes read as Godot 3: an Array (28) is past Godot 3's table; an Rid (23) is a Godot 3 PoolStringArray.
    expect(decodeVariantPacket(godot4([1, 2]), { format: 3 }).error).toBe(Error.InvalidData);
    expect(decodeVariantPacket(godot4(new Rid(7n)), { format: 3 }).error).not.toBe(Error.Ok);
    // A right-format value with a byte too many is refused as well (a deviation: Godot reads it).
    expect(decodeVariantPacket(Uint8Array.of(...godot4(42), 0, 0, 0, 0), { format: 4 }).error).toBe(Error.InvalidData);
  });

  it('WebSocketPeer.GetVar reports it through GetPacketError()', async () => {
    const pair = await openPair();
    cleanups.push(() => pair.close());
    pair.server.VariantFormat = 3;
    const value = new Map<unknown, unknown>([['op', 'move'], ['pos', new Vector2(3, 4)], ['speed', 2.5], ['tags', ['a', 'b']]]);
    expect(pair.server.PutVar(value)).toBe(Error.Ok);
    expect(pair.server.PutVar(value)).toBe(Error.Ok);
    await pollUntil([pair.server, pair.client], () => pair.client.GetAvailablePacketCount() === 2);
    expect(pair.client.GetVar()).toBeNull();
    expect(pair.client.GetPacketError()).toBe(Error.InvalidData);
    pair.client.VariantFormat = 3;
    expect(pair.client.GetVar()).toStrictEqual(value);
    expect(pair.client.GetPacketError()).toBe(Error.Ok);
  });

  it('StreamPeer PutVar/GetVar speak the peer\'s VariantFormat and refuse a value in the other one', async () => {
    const { client: writer, server: reader, close } = await openTcpPair();
    cleanups.push(close);
    const value = new Map<unknown, unknown>([['name', 'a longer dictionary'], ['pos', new Vector2(3, 4)]]);
    writer.VariantFormat = 3;
    expect(writer.PutVar(value)).toBe(Error.Ok);
    expect(writer.PutVar(value)).toBe(Error.Ok);
    const framed = 4 + godot3(value).length;
    await pollUntil([reader], () => reader.GetAvailableBytes() === framed * 2);
    expect(reader.GetVar()).toBeNull(); // read as Godot 4: left-over bytes in its length
    expect(reader.GetAvailableBytes()).toBe(framed); // the length and its bytes were taken together
    reader.VariantFormat = 3;
    expect(reader.GetVar()).toStrictEqual(value);
  });
});

describe('PutVar sends straight from the encoder\'s buffer', () => {
  it('back-to-back PutVars of different values, with GD.VarToBytes between them, all arrive intact', async () => {
    const pair = await openPair();
    cleanups.push(() => pair.close());
    const values = Array.from({ length: 50 }, (_, i) => (i % 2 ? { i, text: 'x'.repeat(i * 37), list: [i, -i, 0.5] } : `short ${i}`));
    const copies: Uint8Array[] = [];
    for (const value of values) {
      expect(pair.server.PutVar(value)).toBe(Error.Ok);
      copies.push(GD.VarToBytes(value)); // reuses the same scratch buffer in between
    }
    await pollUntil([pair.server, pair.client], () => pair.client.GetAvailablePacketCount() === values.length);
    for (let i = 0; i < values.length; i++) {
      const packet = pair.client.GetPacket();
      expect(Buffer.from(packet).equals(Buffer.from(copies[i]!)), `packet ${i}`).toBe(true);
    }
  });
});

describe('the encoder\'s size cap is exact', () => {
  it('a value encodes under maxSize n exactly when n >= its size (short and long strings, non-ASCII, nesting)', () => {
    const values = [
      'ab', 'héllo ✓ 🎮', 'x'.repeat(31), 'é'.repeat(33), 'y'.repeat(200), ['a', 'ü'.repeat(40), { k: 'z'.repeat(5) }],
      new Map([['key', 'value'], ['ключ', 'значение']]), Array.from({ length: 20 }, (_, i) => 'item ' + 'ä'.repeat(i)),
    ];
    for (const value of values) {
      const size = encodeVariant(value).bytes.length;
      for (let n = size - 12; n <= size + 12; n++) {
        const { error, bytes } = encodeVariant(value, { maxSize: n });
        expect(error, `${JSON.stringify(value)} under ${n}`).toBe(n >= size ? Error.Ok : Error.OutOfMemory);
        if (n >= size) expect(bytes.length).toBe(size);
      }
    }
  });
});
