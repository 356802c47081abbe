import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Error } from '../src/core/error.js';
import {
  Aabb,
  Basis,
  Callable,
  Color,
  decodeVariant,
  EncodedObjectAsId,
  encodeVariant,
  GodotFloat,
  EncodedObject,
  NodePath,
  PackedColorArray,
  PackedStringArray,
  PackedVector2Array,
  PackedVector3Array,
  PackedVector4Array,
  Plane,
  Projection,
  Quaternion,
  Rect2,
  Rect2I,
  Rid,
  Signal,
  StringName,
  Transform2D,
  Transform3D,
  TypedArray,
  TypedDictionary,
  VariantType,
  Vector2,
  Vector2I,
  Vector3,
  Vector3I,
  Vector4,
  Vector4I,
  type VariantFormat,
} from '../src/variant/index.js';
import { cstr, f32, f64, FLAG_64, fromHex, head, hex, i32, i64, str, u32, u64 } from './fixtures/variant/bytes.js';

interface Vector {
  name: string;
  value_desc: string;
  hex: string;
}
const vectors: Vector[] = JSON.parse(
  readFileSync(new URL('./fixtures/variant/variant-godot4.json', import.meta.url), 'utf8'),
);
const vectorHex = (name: string): string => vectors.find((v) => v.name === name)!.hex;

function encode(value: unknown, format: VariantFormat = 4, fullObjects = false): string {
  const { error, bytes } = encodeVariant(value, { format, fullObjects });
  expect(error).toBe(Error.Ok);
  return hex(bytes);
}

function decode(text: string, format: VariantFormat = 4, allowObjects = false): unknown {
  const bytes = fromHex(text);
  const result = decodeVariant(bytes, { format, allowObjects });
  expect(result.error).toBe(Error.Ok);
  expect(result.length).toBe(bytes.length);
  return result.value;
}

const withDouble = <T extends { doublePrecision: boolean }>(value: T): T => {
  value.doublePrecision = true;
  return value;
};

describe('spec vectors (variant-godot4.json)', () => {
  const decoded: Record<string, unknown> = {
    nil: null,
    int32: 0x12345678,
    int64: -1070935975390360081n,
    float32: 0.15625,
    float64: 0.3333333333333333,
    typed_array_int_one_int64: new TypedArray(VariantType.Int, [-1070935975390360081n]),
    typed_dictionary_int_int_one_pair: new TypedDictionary(VariantType.Int, VariantType.Int, [
      [-1070935975390360081n, -1070935975390360081n],
    ]),
  };

  for (const [name, value] of Object.entries(decoded)) {
    it(`decodes ${name} byte for byte`, () => {
      expect(decode(vectorHex(name))).toStrictEqual(value);
    });
    it(`encodes ${name} byte for byte`, () => {
      expect(encode(value)).toBe(vectorHex(name));
      expect(encode(decode(vectorHex(name)))).toBe(vectorHex(name));
    });
  }

  for (const name of ['invalid_too_short', 'invalid_type_out_of_range']) {
    it(`rejects ${name} with ERR_INVALID_DATA and 0 bytes used`, () => {
      expect(decodeVariant(fromHex(vectorHex(name)))).toEqual({ error: Error.InvalidData, value: null, length: 0 });
    });
  }

  it('writes the raw building blocks exactly as the vectors show', () => {
    // u32 / u64 / f32 / f64 are the payloads of INT and FLOAT; the C string is a PackedStringArray element.
    expect(encode(0x12345678).slice(8)).toBe(vectorHex('raw_uint32_le'));
    expect(encode(-1070935975390360081n).slice(8)).toBe(vectorHex('raw_uint64_le'));
    expect(encode(0.15625).slice(8)).toBe(vectorHex('raw_float32'));
    expect(encode(0.3333333333333333).slice(8)).toBe(vectorHex('raw_float64'));
    expect(encode(PackedStringArray.of('Godot')).slice(24, 36)).toBe(vectorHex('raw_cstring'));
    expect(encode(0x1234).slice(8, 12)).toBe(vectorHex('raw_uint16_le'));
  });

  it('accounts for every vector in the file', () => {
    // raw_half is a building block the Variant format never uses; the PacketPeerStream vectors
    // belong to the PacketPeer tests. Anything new in the file must be placed in one of the lists.
    const notVariant = ['raw_half', 'packetpeerstream_put_packet_buffer', 'packetpeerstream_get_packet_buffer_input'];
    const covered = [
      ...Object.keys(decoded),
      'invalid_too_short',
      'invalid_type_out_of_range',
      'raw_uint32_le',
      'raw_uint64_le',
      'raw_float32',
      'raw_float64',
      'raw_cstring',
      'raw_uint16_le',
      ...notVariant,
    ];
    expect(vectors.map((v) => v.name).sort()).toEqual(covered.sort());
  });
});

/** [description, JS value, expected Godot 4 hex]; hex is built from the spec's layout tables. */
const godot4Cases: [string, unknown, string][] = [
  ['nil', null, head(0)],
  ['undefined as nil', undefined, head(0)],
  ['bool true', true, head(1) + u32(1)],
  ['bool false', false, head(1) + u32(0)],
  ['int 1', 1, head(2) + i32(1)],
  ['int -1', -1, head(2) + i32(-1)],
  ['int32 min', -(2 ** 31), head(2) + i32(-(2 ** 31))],
  ['int 2^31 (64-bit)', 2 ** 31, head(2, FLAG_64) + i64(2n ** 31n)],
  ['int 2^53-1 as number', Number.MAX_SAFE_INTEGER, head(2, FLAG_64) + i64(2n ** 53n - 1n)],
  ['int 2^62 as bigint', 2n ** 62n, head(2, FLAG_64) + i64(2n ** 62n)],
  ['int64 min', -(2n ** 63n), head(2, FLAG_64) + i64(-(2n ** 63n))],
  ['small bigint', 5n, head(2) + i32(5)],
  ['float 0.5', 0.5, head(3) + f32(0.5)],
  ['float 1.0 (GodotFloat)', new GodotFloat(1), head(3) + f32(1)],
  ['float 0.1 (f64)', 0.1, head(3, FLAG_64) + f64(0.1)],
  ['float -0', -0, head(3) + '00000080'],
  ['float Infinity', Infinity, head(3) + '0000807f'],
  ['float NaN (f64, as Godot)', NaN, head(3, FLAG_64) + '000000000000f87f'],
  ['float 2^63 (too big for int)', 2 ** 63, head(3) + f32(2 ** 63)],
  ['float 1e300', 1e300, head(3, FLAG_64) + f64(1e300)],
  ['string', 'Godot', head(4) + str('Godot')],
  ['empty string', '', head(4) + u32(0)],
  ['utf-8 string', 'héllo ✓ 🎮', head(4) + str('héllo ✓ 🎮')],
  ['Vector2', new Vector2(1.5, -2), head(5) + f32(1.5, -2)],
  ['Vector2 double', withDouble(new Vector2(0.1, -2)), head(5, FLAG_64) + f64(0.1, -2)],
  ['Vector2I', new Vector2I(1, -1), head(6) + i32(1) + i32(-1)],
  ['Rect2', new Rect2(new Vector2(1, 2), new Vector2(3, 4)), head(7) + f32(1, 2, 3, 4)],
  ['Rect2I', new Rect2I(new Vector2I(1, 2), new Vector2I(3, 4)), head(8) + i32(1) + i32(2) + i32(3) + i32(4)],
  ['Vector3', new Vector3(1, 2, 3), head(9) + f32(1, 2, 3)],
  ['Vector3I', new Vector3I(1, 2, -3), head(10) + i32(1) + i32(2) + i32(-3)],
  [
    'Transform2D (columns x, y, origin)',
    new Transform2D(new Vector2(1, 2), new Vector2(3, 4), new Vector2(5, 6)),
    head(11) + f32(1, 2, 3, 4, 5, 6),
  ],
  ['Vector4', new Vector4(1, 2, 3, 4), head(12) + f32(1, 2, 3, 4)],
  ['Vector4I', new Vector4I(1, 2, 3, 4), head(13) + i32(1) + i32(2) + i32(3) + i32(4)],
  ['Plane', new Plane(new Vector3(1, 2, 3), 4), head(14) + f32(1, 2, 3, 4)],
  ['Quaternion', new Quaternion(1, 2, 3, 4), head(15) + f32(1, 2, 3, 4)],
  ['Aabb', new Aabb(new Vector3(1, 2, 3), new Vector3(4, 5, 6)), head(16) + f32(1, 2, 3, 4, 5, 6)],
  [
    'Basis (columns in JS, rows on the wire)',
    new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9)),
    head(17) + f32(1, 4, 7, 2, 5, 8, 3, 6, 9),
  ],
  [
    'Transform3D',
    new Transform3D(new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9)), new Vector3(10, 11, 12)),
    head(18) + f32(1, 4, 7, 2, 5, 8, 3, 6, 9, 10, 11, 12),
  ],
  [
    'Transform3D double',
    withDouble(new Transform3D(new Basis(), new Vector3(0.1, 0, 0))),
    head(18, FLAG_64) + f64(1, 0, 0, 0, 1, 0, 0, 0, 1, 0.1, 0, 0),
  ],
  [
    'Projection (column-major)',
    new Projection(new Vector4(1, 2, 3, 4), new Vector4(5, 6, 7, 8), new Vector4(9, 10, 11, 12), new Vector4(13, 14, 15, 16)),
    head(19) + f32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
  ],
  ['Color', new Color(0.5, 0.25, 1, 0.75), head(20) + f32(0.5, 0.25, 1, 0.75)],
  ['StringName', new StringName('ab'), head(21) + str('ab')],
  [
    'NodePath absolute with subname',
    new NodePath('/root/a:b'),
    head(22) + u32(0x80000002) + u32(1) + u32(1) + str('root') + str('a') + str('b'),
  ],
  ['NodePath relative', new NodePath('a/bcde'), head(22) + u32(0x80000002) + u32(0) + u32(0) + str('a') + str('bcde')],
  ['empty NodePath', new NodePath(''), head(22) + u32(0x80000000) + u32(0) + u32(0)],
  ['Rid', new Rid(5n), head(23) + u64(5n)],
  ['object as id', new EncodedObjectAsId(7n), head(24, 1 << 16) + u64(7n)],
  ['Callable (no payload)', new Callable(), head(25)],
  ['Signal', new Signal('hit', 9n), head(26) + str('hit') + u64(9n)],
  ['Dictionary (Map)', new Map([['a', 1]]), head(27) + u32(1) + head(4) + str('a') + head(2) + i32(1)],
  ['Dictionary (plain object)', { a: 1, b: 'x' }, head(27) + u32(2) + head(4) + str('a') + head(2) + i32(1) + head(4) + str('b') + head(4) + str('x')],
  [
    'Dictionary with variant keys',
    new Map<unknown, unknown>([[new Vector2(1, 2), null], [7, true]]),
    head(27) + u32(2) + head(5) + f32(1, 2) + head(0) + head(2) + i32(7) + head(1) + u32(1),
  ],
  ['Array', [1, 'x'], head(28) + u32(2) + head(2) + i32(1) + head(4) + str('x')],
  ['nested Array', [[[]]], head(28) + u32(1) + head(28) + u32(1) + head(28) + u32(0)],
  ['typed Array[String]', new TypedArray(VariantType.String, ['x']), head(28, 1 << 16) + u32(4) + u32(1) + head(4) + str('x')],
  ['typed Array[Node]', new TypedArray({ className: 'Node' }, []), head(28, 2 << 16) + str('Node') + u32(0)],
  ['typed Array[script]', new TypedArray({ script: 'res://a.gd' }, []), head(28, 3 << 16) + str('res://a.gd') + u32(0)],
  ['Array typed as Nil is untyped', new TypedArray(VariantType.Nil, []), head(28) + u32(0)],
  [
    'typed Dictionary[String, Variant]',
    new TypedDictionary(VariantType.String, VariantType.Nil, [['k', 1]]),
    head(27, 1 << 16) + u32(4) + u32(1) + head(4) + str('k') + head(2) + i32(1),
  ],
  [
    'typed Dictionary[Variant, Node]',
    new TypedDictionary(VariantType.Nil, { className: 'Node' }),
    head(27, 2 << 18) + str('Node') + u32(0),
  ],
  ['PackedByteArray', new Uint8Array([1, 2, 3]), head(29) + u32(3) + '01020300'],
  ['PackedByteArray from a Buffer', Buffer.from([1, 2, 3, 4]), head(29) + u32(4) + '01020304'],
  ['empty PackedByteArray', new Uint8Array(0), head(29) + u32(0)],
  ['PackedInt32Array', new Int32Array([1, -1]), head(30) + u32(2) + i32(1) + i32(-1)],
  ['PackedInt64Array', new BigInt64Array([1n, -(2n ** 40n)]), head(31) + u32(2) + i64(1n) + i64(-(2n ** 40n))],
  ['PackedFloat32Array', new Float32Array([0.5, -1]), head(32) + u32(2) + f32(0.5, -1)],
  ['PackedFloat64Array', new Float64Array([0.1]), head(33) + u32(1) + f64(0.1)],
  ['PackedStringArray', PackedStringArray.of('ab', '', 'héllo'), head(34) + u32(3) + cstr('ab') + cstr('') + cstr('héllo')],
  ['PackedVector2Array', PackedVector2Array.of(new Vector2(1, 2)), head(35) + u32(1) + f32(1, 2)],
  [
    'PackedVector2Array double',
    withDouble(PackedVector2Array.of(new Vector2(0.1, 2))),
    head(35, FLAG_64) + u32(1) + f64(0.1, 2),
  ],
  ['PackedVector3Array', PackedVector3Array.of(new Vector3(1, 2, 3), new Vector3()), head(36) + u32(2) + f32(1, 2, 3, 0, 0, 0)],
  ['PackedColorArray', PackedColorArray.of(new Color(1, 0, 0, 1)), head(37) + u32(1) + f32(1, 0, 0, 1)],
  ['PackedVector4Array', PackedVector4Array.of(new Vector4(1, 2, 3, 4)), head(38) + u32(1) + f32(1, 2, 3, 4)],
];

describe('Godot 4 layouts', () => {
  for (const [name, value, expected] of godot4Cases) {
    it(`encodes ${name}`, () => {
      expect(encode(value)).toBe(expected);
    });
    it(`decodes ${name} and re-encodes it byte for byte`, () => {
      const decoded = decode(expected);
      expect(encode(decoded)).toBe(expected);
    });
  }

  it('decodes each type to its JS representation', () => {
    expect(decode(head(2) + i32(-5))).toBe(-5);
    expect(decode(head(2, FLAG_64) + i64(2n ** 40n))).toBe(2 ** 40);
    expect(decode(head(2, FLAG_64) + i64(2n ** 53n))).toBe(2n ** 53n);
    expect(decode(head(3) + f32(2))).toStrictEqual(new GodotFloat(2));
    expect(decode(head(3) + f32(2.5))).toBe(2.5);
    expect(Object.is((decode(head(3) + '00000080') as GodotFloat).value, -0)).toBe(true);
    expect(decode(head(3, FLAG_64) + f64(1e300))).toStrictEqual(new GodotFloat(1e300));
    expect(decode(head(3, FLAG_64) + f64(NaN))).toBeNaN();
    expect(decode(head(21) + str('ab'))).toStrictEqual(new StringName('ab'));
    expect(decode(head(5, FLAG_64) + f64(0.1, 2))).toStrictEqual(withDouble(new Vector2(0.1, 2)));
    expect(decode(head(5) + f32(1, 2))).toStrictEqual(new Vector2(1, 2));
    expect((decode(head(5) + f32(1, 2)) as Vector2).doublePrecision).toBe(false);
    expect(decode(head(17) + f32(1, 4, 7, 2, 5, 8, 3, 6, 9))).toStrictEqual(
      new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9)),
    );
    expect(decode(head(22) + u32(0x80000002) + u32(1) + u32(1) + str('root') + str('a') + str('b'))).toStrictEqual(
      NodePath.fromParts(['root', 'a'], ['b'], true),
    );
    expect(decode(head(24, 1 << 16) + u64(0n))).toBeNull();
    expect(decode(head(24, 1 << 16) + u64(2n ** 64n - 1n))).toStrictEqual(new EncodedObjectAsId(2n ** 64n - 1n));
    expect(decode(head(27) + u32(1) + head(4) + str('a') + head(2) + i32(1))).toStrictEqual(new Map([['a', 1]]));
    expect(decode(head(34) + u32(2) + cstr('ab') + cstr(''))).toStrictEqual(PackedStringArray.of('ab', ''));
    expect(decode(head(29) + u32(3) + '01020300')).toStrictEqual(new Uint8Array([1, 2, 3]));
  });

  it('sends a full object only with fullObjects and reads it only with allowObjects', () => {
    const object = new EncodedObject('Node', new Map<string, unknown>([['name', 'x'], ['script', null]]));
    const expected = head(24) + str('Node') + u32(2) + str('name') + head(4) + str('x') + str('script') + head(0);
    expect(encode(object, 4, true)).toBe(expected);
    expect(encodeVariant(object).error).toBe(Error.InvalidParameter);
    expect(decode(expected, 4, true)).toStrictEqual(object);
    expect(decodeVariant(fromHex(expected))).toEqual({ error: Error.Unauthorized, value: null, length: 0 });
    // An id travels as an id even with fullObjects; an empty class name is a null object.
    expect(encode(new EncodedObjectAsId(3n), 4, true)).toBe(head(24, 1 << 16) + u64(3n));
    expect(decode(head(24) + u32(0), 4, true)).toBeNull();
  });

  it('rejects a script property that is not a res:// path, as Godot 4 does', () => {
    const bad = head(24) + str('Node') + u32(1) + str('script') + head(4) + str('user://x.gd');
    expect(decodeVariant(fromHex(bad), { allowObjects: true }).error).toBe(Error.InvalidData);
    const good = head(24) + str('Node') + u32(1) + str('script') + head(4) + str('res://x.gd');
    expect(decodeVariant(fromHex(good), { allowObjects: true }).error).toBe(Error.Ok);
  });

  it('ignores trailing bytes and reports the length used', () => {
    const bytes = fromHex(head(2) + i32(1) + 'deadbeef');
    expect(decodeVariant(bytes)).toEqual({ error: Error.Ok, value: 1, length: 8 });
  });

  it('decodes from a Buffer that is a view into a larger pool at an odd offset', () => {
    const pool = Buffer.alloc(64);
    const payload = fromHex(head(30) + u32(2) + i32(7) + i32(-7));
    pool.set(payload, 3);
    const view = pool.subarray(3, 3 + payload.length);
    expect(decodeVariant(view).value).toStrictEqual(new Int32Array([7, -7]));
  });

  it('accepts what Godot accepts but never writes: FLAG_64 small ints, bool 2, set pad and count bits', () => {
    expect(decode(head(2, FLAG_64) + i64(5n))).toBe(5);
    expect(decode(head(1) + u32(2))).toBe(true);
    expect(decode(head(4) + u32(1) + '61ffffff')).toBe('a');
    expect(decode(head(28) + u32(0x80000001) + head(0))).toStrictEqual([null]);
    expect(decode(head(5, 0xff00) + f32(1, 2))).toStrictEqual(new Vector2(1, 2));
    // Obsolete NodePath flag 2: one more subname than declared.
    expect(decode(head(22) + u32(0x80000001) + u32(0) + u32(2) + str('a') + str('p'))).toStrictEqual(
      NodePath.fromParts(['a'], ['p'], false),
    );
    // Typed as Nil on the wire means untyped.
    expect(decode(head(28, 1 << 16) + u32(0) + u32(0))).toStrictEqual([]);
    // Duplicate keys: the last value wins, in the first key's position.
    expect(decode(head(27) + u32(2) + head(2) + i32(1) + head(2) + i32(2) + head(2) + i32(1) + head(2) + i32(3))).toStrictEqual(
      new Map([[1, 3]]),
    );
  });

  it('refuses JS values with no Variant representation', () => {
    for (const value of [Symbol('x'), () => 1, new Date(0), new Set([1]), new Uint16Array(1), 2n ** 63n, -(2n ** 63n) - 1n]) {
      expect(encodeVariant(value).error).toBe(Error.InvalidParameter);
      expect(encodeVariant([{ nested: value }]).error).toBe(Error.InvalidParameter);
    }
    expect(encodeVariant(new Vector2I(2 ** 31, 0)).error).toBe(Error.InvalidParameter);
    expect(encodeVariant(new Vector2I(0.5, 0)).error).toBe(Error.InvalidParameter);
    expect(encodeVariant(new Vector2('1' as unknown as number, 0)).error).toBe(Error.InvalidParameter);
    expect(encodeVariant(new Rid(-1n)).error).toBe(Error.InvalidParameter);
    expect(encodeVariant(PackedStringArray.of(1 as unknown as string)).error).toBe(Error.InvalidParameter);
    expect(encodeVariant(new TypedArray(99 as VariantType, [])).error).toBe(Error.InvalidParameter);
    expect(encodeVariant(1, { format: 5 as VariantFormat }).error).toBe(Error.InvalidParameter);
  });

  it('encodes subclasses by their Godot base class', () => {
    class Position extends Vector2 {}
    expect(encode(new Position(1, 2))).toBe(head(5) + f32(1, 2));
    class Path extends Array<unknown> {}
    expect(encode(Path.of(1))).toBe(head(28) + u32(1) + head(2) + i32(1));
  });

  it('lets a plain object with a "constructor" key stay a Dictionary', () => {
    expect(encode({ constructor: 1 })).toBe(head(27) + u32(1) + head(4) + str('constructor') + head(2) + i32(1));
    expect(encode(Object.assign(Object.create(null), { a: true }))).toBe(head(27) + u32(1) + head(4) + str('a') + head(1) + u32(1));
  });

  it('enforces maxSize as Error.OutOfMemory (put_var with encode_buffer_max_size)', () => {
    // The PacketPeer test: a 1025-character string with a 1024-byte cap.
    expect(encodeVariant('x'.repeat(1025), { maxSize: 1024 })).toEqual({ error: Error.OutOfMemory, bytes: new Uint8Array(0) });
    expect(encodeVariant('x'.repeat(1016), { maxSize: 1024 }).bytes.length).toBe(1024);
    expect(encodeVariant('x'.repeat(1017), { maxSize: 1024 }).error).toBe(Error.OutOfMemory);
    expect(encodeVariant(new Uint8Array(10_000_000), { maxSize: 8 * 1024 * 1024 }).error).toBe(Error.OutOfMemory);
  });

  it('fails with OutOfMemory past 1024 levels of nesting and on cycles, never throwing', () => {
    let deep: unknown = [];
    for (let i = 0; i < 1024; i++) deep = [deep];
    expect(encodeVariant(deep).error).toBe(Error.Ok); // innermost array at depth 1024
    expect(encodeVariant([deep]).error).toBe(Error.OutOfMemory);
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(encodeVariant(cycle).error).toBe(Error.OutOfMemory);
    const map = new Map<unknown, unknown>();
    map.set('self', map);
    expect(encodeVariant(map).error).toBe(Error.OutOfMemory);
  });

  it('reports a throwing getter as an error instead of throwing', () => {
    const hostile = {
      get boom(): never {
        throw new globalThis.Error('getter');
      },
    };
    expect(encodeVariant(hostile).error).toBe(Error.InvalidParameter);
  });

  it('gives an independent copy of the bytes each call', () => {
    const a = encodeVariant('first').bytes;
    const b = encodeVariant('second').bytes;
    expect(hex(a)).toBe(head(4) + str('first'));
    expect(hex(b)).toBe(head(4) + str('second'));
  });
});

/** [description, JS value, expected Godot 3 hex]: Godot 3 type ids and single-precision math. */
const godot3Cases: [string, unknown, string][] = [
  ['nil', null, head(0)],
  ['bool', true, head(1) + u32(1)],
  ['int', 42, head(2) + i32(42)],
  ['int 64', 2 ** 40, head(2, FLAG_64) + i64(2n ** 40n)],
  ['real', 1.5, head(3) + f32(1.5)],
  ['real 64', 0.1, head(3, FLAG_64) + f64(0.1)],
  ['real 1.0', new GodotFloat(1), head(3) + f32(1)],
  ['String', 'x', head(4) + str('x')],
  ['Vector2', new Vector2(1, 2), head(5) + f32(1, 2)],
  ['Vector2 marked double is still f32', withDouble(new Vector2(1, 2)), head(5) + f32(1, 2)],
  ['Rect2 (id 6)', new Rect2(new Vector2(1, 2), new Vector2(3, 4)), head(6) + f32(1, 2, 3, 4)],
  ['Vector3 (id 7)', new Vector3(1, 2, 3), head(7) + f32(1, 2, 3)],
  ['Transform2D (id 8)', new Transform2D(), head(8) + f32(1, 0, 0, 1, 0, 0)],
  ['Plane (id 9)', new Plane(new Vector3(0, 1, 0), 2), head(9) + f32(0, 1, 0, 2)],
  ['Quat (id 10)', new Quaternion(), head(10) + f32(0, 0, 0, 1)],
  ['AABB (id 11)', new Aabb(new Vector3(1, 2, 3), new Vector3(4, 5, 6)), head(11) + f32(1, 2, 3, 4, 5, 6)],
  ['Basis (id 12)', new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9)), head(12) + f32(1, 4, 7, 2, 5, 8, 3, 6, 9)],
  ['Transform (id 13)', new Transform3D(new Basis(), new Vector3(1, 2, 3)), head(13) + f32(1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3)],
  ['Color (id 14)', new Color(1, 0.5, 0, 1), head(14) + f32(1, 0.5, 0, 1)],
  ['NodePath (id 15)', new NodePath('/a:b'), head(15) + u32(0x80000001) + u32(1) + u32(1) + str('a') + str('b')],
  ['RID (id 16, no payload)', new Rid(), head(16)],
  ['Object as id (id 17)', new EncodedObjectAsId(1234n), head(17, 1 << 16) + u64(1234n)],
  ['Dictionary (id 18)', new Map([['k', null]]), head(18) + u32(1) + head(4) + str('k') + head(0)],
  ['Array (id 19)', [true], head(19) + u32(1) + head(1) + u32(1)],
  ['PoolByteArray (id 20)', new Uint8Array([9]), head(20) + u32(1) + '09000000'],
  ['PoolIntArray (id 21)', new Int32Array([-2]), head(21) + u32(1) + i32(-2)],
  ['PoolRealArray (id 22)', new Float32Array([0.5]), head(22) + u32(1) + f32(0.5)],
  ['PoolStringArray (id 23)', PackedStringArray.of('abc'), head(23) + u32(1) + cstr('abc')],
  ['PoolVector2Array (id 24)', PackedVector2Array.of(new Vector2(1, 2)), head(24) + u32(1) + f32(1, 2)],
  ['PoolVector3Array (id 25)', PackedVector3Array.of(new Vector3(1, 2, 3)), head(25) + u32(1) + f32(1, 2, 3)],
  ['PoolColorArray (id 26)', PackedColorArray.of(new Color()), head(26) + u32(1) + f32(0, 0, 0, 1)],
];

describe('Godot 3 layouts (format: 3)', () => {
  for (const [name, value, expected] of godot3Cases) {
    it(`encodes ${name}`, () => {
      expect(encode(value, 3)).toBe(expected);
    });
    it(`decodes ${name} and re-encodes it byte for byte`, () => {
      expect(encode(decode(expected, 3), 3)).toBe(expected);
    });
  }

  it('decodes the Dictionary a real Godot 3.2.3 client put_var()s (toolchain notes)', () => {
    const bytes =
      '12000000 03000000 04000000 02000000 6f700000 04000000 04000000 70696e67 04000000 01000000 6e000000' +
      ' 02000000 2a000000 04000000 04000000 6c697374 13000000 03000000 03000000 0000c03f 01000000 01000000' +
      ' 04000000 01000000 78000000';
    const value = decode(bytes.replace(/ /g, ''), 3);
    expect(value).toStrictEqual(new Map<string, unknown>([['op', 'ping'], ['n', 42], ['list', [1.5, true, 'x']]]));
    expect(encode(value, 3)).toBe(bytes.replace(/ /g, ''));
  });

  it('ignores FLAG_64 on math types and sends typed containers untyped', () => {
    expect(decode(head(5, FLAG_64) + f32(1, 2), 3)).toStrictEqual(new Vector2(1, 2));
    expect(encode(new TypedArray(VariantType.Int, [1]), 3)).toBe(head(19) + u32(1) + head(2) + i32(1));
    expect(encode(new TypedDictionary(VariantType.String, VariantType.Int), 3)).toBe(head(18) + u32(0));
    // Bits 16+ on a Godot 3 Array are not type info.
    expect(decode(head(19, 1 << 16) + u32(0), 3)).toStrictEqual([]);
  });

  it('refuses Godot 4-only types', () => {
    const godot4Only = [
      new Vector2I(),
      new Rect2I(),
      new Vector3I(),
      new Vector4(),
      new Vector4I(),
      new Projection(),
      new StringName('a'),
      new Callable(),
      new Signal(),
      new BigInt64Array(1),
      new Float64Array(1),
      new PackedVector4Array(),
    ];
    for (const value of godot4Only) expect(encodeVariant(value, { format: 3 }).error).toBe(Error.InvalidParameter);
    expect(decodeVariant(fromHex(head(27)), { format: 3 }).error).toBe(Error.InvalidData); // id 27 = VARIANT_MAX in 3.x
  });

  it('bridges Godot 3 to Godot 4 by decoding with one format and encoding with the other', () => {
    const fromGodot3 = decode(head(18) + u32(1) + head(4) + str('v') + head(24) + u32(1) + f32(1, 2), 3);
    expect(encode(fromGodot3, 4)).toBe(head(27) + u32(1) + head(4) + str('v') + head(35) + u32(1) + f32(1, 2));
  });
});
