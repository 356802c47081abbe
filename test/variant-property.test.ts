// Property-based tests (fast-check): random values round-trip byte for byte; random and mutated
// bytes never throw, and whatever decodes re-encodes to a stable fixpoint.
import fc from 'fast-check';
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
  type ContainerType,
  type VariantFormat,
} from '../src/variant/index.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const RUNS = Number(process.env.VARIANT_PROPERTY_RUNS ?? 300);

const real32 = fc.float();
const real64 = fc.double();
const int32 = fc.integer();
const text = fc.string({ unit: 'binary', maxLength: 12 });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
/** An int in its decoded form: number when safe, bigint beyond. */
const int = fc
  .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
  .map((n) => (n >= -MAX_SAFE && n <= MAX_SAFE ? Number(n) : n));
/** A float in its decoded form: whole numbers wrapped in GodotFloat. */
const float = real64.map((x) => (Number.isInteger(x) ? new GodotFloat(x) : x));

const mark = <T extends { doublePrecision: boolean }>(value: T, double: boolean): T => {
  if (double) value.doublePrecision = true;
  return value;
};

/** A real math value, single or (Godot 4 only) double precision. */
function realMath(double: boolean): fc.Arbitrary<unknown> {
  const r = double ? real64 : real32;
  const v2 = fc.tuple(r, r).map(([x, y]) => new Vector2(x, y));
  const v3 = fc.tuple(r, r, r).map(([x, y, z]) => new Vector3(x, y, z));
  const v4 = fc.tuple(r, r, r, r).map(([x, y, z, w]) => new Vector4(x, y, z, w));
  const basis = fc.tuple(v3, v3, v3).map(([x, y, z]) => new Basis(x, y, z));
  const values: fc.Arbitrary<{ doublePrecision: boolean }>[] = [
    v2,
    v3,
    fc.tuple(v2, v2).map(([p, s]) => new Rect2(p, s)),
    fc.tuple(v2, v2, v2).map(([x, y, o]) => new Transform2D(x, y, o)),
    fc.tuple(v3, r).map(([n, d]) => new Plane(n, d)),
    fc.tuple(r, r, r, r).map(([x, y, z, w]) => new Quaternion(x, y, z, w)),
    fc.tuple(v3, v3).map(([p, s]) => new Aabb(p, s)),
    basis,
    fc.tuple(basis, v3).map(([b, o]) => new Transform3D(b, o)),
    fc.array(v2, { maxLength: 3 }).map((items) => PackedVector2Array.from(items)),
    fc.array(v3, { maxLength: 3 }).map((items) => PackedVector3Array.from(items)),
  ];
  if (!double) values.push(fc.array(fc.tuple(real32, real32, real32, real32), { maxLength: 3 }).map((items) =>
    PackedColorArray.from(items.map(([r, g, b, a]) => new Color(r, g, b, a)))));
  return fc.oneof(...values).map((value) => mark(value, double));
}

/** Godot 4-only leaves. */
const godot4Leaves: fc.Arbitrary<unknown>[] = [
  realMath(true),
  fc.tuple(real32, real32, real32, real32).map(([x, y, z, w]) => new Vector4(x, y, z, w)),
  fc.array(fc.tuple(real32, real32, real32, real32), { maxLength: 3 }).map((items) =>
    PackedVector4Array.from(items.map(([x, y, z, w]) => new Vector4(x, y, z, w)))),
  fc.tuple(real32, real32, real32, real32).map(([a, b, c, d]) =>
    new Projection(new Vector4(a, b, c, d), new Vector4(d, c, b, a), new Vector4(), new Vector4(a, a, a, a))),
  fc.tuple(int32, int32).map(([x, y]) => new Vector2I(x, y)),
  fc.tuple(int32, int32, int32).map(([x, y, z]) => new Vector3I(x, y, z)),
  fc.tuple(int32, int32, int32, int32).map(([x, y, z, w]) => new Vector4I(x, y, z, w)),
  fc.tuple(int32, int32, int32, int32).map(([x, y, w, h]) => new Rect2I(new Vector2I(x, y), new Vector2I(w, h))),
  text.map((value) => new StringName(value)),
  u64.map((id) => new Rid(id)),
  fc.constant(new Callable()),
  fc.tuple(text, u64).map(([name, id]) => new Signal(name, id)),
  fc.bigInt64Array({ maxLength: 4 }),
  fc.float64Array({ maxLength: 4 }),
];

/** Leaves that exist in both formats. */
const commonLeaves: fc.Arbitrary<unknown>[] = [
  fc.constant(null),
  fc.boolean(),
  int,
  float,
  text,
  realMath(false),
  fc.tuple(real32, real32, real32, real32).map(([r, g, b, a]) => new Color(r, g, b, a)),
  fc.tuple(fc.array(text, { maxLength: 3 }), fc.array(text, { maxLength: 3 }), fc.boolean()).map(([names, subnames, absolute]) =>
    NodePath.fromParts(names, subnames, absolute)),
  fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }).map((id) => new EncodedObjectAsId(id)),
  fc.uint8Array({ maxLength: 9 }),
  fc.int32Array({ maxLength: 4 }),
  fc.float32Array({ maxLength: 4 }),
  fc.array(text, { maxLength: 4 }).map((items) => PackedStringArray.from(items)),
];

const containerType: fc.Arbitrary<ContainerType> = fc.oneof(
  fc.integer({ min: 1, max: VariantType.Max - 1 }),
  text.map((className) => ({ className })),
  text.map((script) => ({ script: 'res://' + script })),
);

function variant(format: VariantFormat, full: boolean): fc.Arbitrary<unknown> {
  const leaves = format === 4 ? [...commonLeaves, ...godot4Leaves] : commonLeaves;
  return fc.letrec<{ value: unknown }>((tie) => {
    const containers: fc.Arbitrary<unknown>[] = [
      fc.array(tie('value'), { maxLength: 4 }),
      fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((entries) => new Map(entries)),
    ];
    if (format === 4) {
      containers.push(
        fc.tuple(containerType, fc.array(tie('value'), { maxLength: 3 })).map(([type, items]) => new TypedArray(type, items)),
        fc
          .tuple(fc.oneof(fc.constant(VariantType.Nil), containerType), containerType, fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }))
          .map(([keyType, valueType, entries]) => new TypedDictionary(keyType, valueType, entries)),
      );
    }
    if (full) {
      containers.push(
        fc
          .tuple(text.filter((name) => name !== ''), fc.array(fc.tuple(text.filter((p) => p !== 'script'), tie('value')), { maxLength: 3 }))
          .map(([className, properties]) => new EncodedObject(className, new Map(properties))),
      );
    }
    return { value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, ...leaves, ...containers) };
  }).value;
}

function roundTrip(value: unknown, format: VariantFormat, full: boolean): void {
  const encoded = encodeVariant(value, { format, fullObjects: full });
  expect(encoded.error).toBe(Error.Ok);
  const decoded = decodeVariant(encoded.bytes, { format, allowObjects: full });
  expect(decoded.error).toBe(Error.Ok);
  expect(decoded.length).toBe(encoded.bytes.length);
  expect(decoded.value).toStrictEqual(value);
  expect(encodeVariant(decoded.value, { format, fullObjects: full }).bytes).toStrictEqual(encoded.bytes);
}

describe('random values round-trip exactly', () => {
  it('Godot 4, every type', () => {
    fc.assert(fc.property(variant(4, false), (value) => roundTrip(value, 4, false)), { numRuns: RUNS });
  });

  it('Godot 4 with full objects', () => {
    fc.assert(fc.property(variant(4, true), (value) => roundTrip(value, 4, true)), { numRuns: RUNS });
  });

  it('Godot 3, every Godot 3 type', () => {
    fc.assert(fc.property(variant(3, false), (value) => roundTrip(value, 3, false)), { numRuns: RUNS });
  });

  it('plain numbers: integers are INT, others FLOAT, and both come back equal in value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.maxSafeInteger()), (x) => {
        const { bytes } = encodeVariant(x);
        const type = bytes[0];
        const decoded = decodeVariant(bytes).value;
        if (Number.isInteger(x) && !Object.is(x, -0) && Math.abs(x) < 2 ** 63) {
          expect(type).toBe(VariantType.Int);
          // Beyond ±(2^53 − 1) an int decodes as the exact bigint.
          expect(decoded).toBe(Number.isSafeInteger(x) ? x : BigInt(x));
        } else {
          expect(type).toBe(VariantType.Float);
          expect(Number(decoded)).toBe(x);
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('plain objects encode like Maps with String keys', () => {
    fc.assert(
      fc.property(fc.dictionary(text, fc.oneof(int, text, fc.boolean())), (object) => {
        const asMap = new Map(Object.entries(object));
        expect(encodeVariant(object).bytes).toStrictEqual(encodeVariant(asMap).bytes);
      }),
      { numRuns: RUNS },
    );
  });
});

const ALLOWED = [Error.Ok, Error.InvalidData, Error.FileEof, Error.Unauthorized, Error.OutOfMemory];

/** Whatever decodes must re-encode, decode to an equal value, and re-encode to the same bytes. */
function checkStable(bytes: Uint8Array, format: VariantFormat, allowObjects: boolean): void {
  const result = decodeVariant(bytes, { format, allowObjects });
  expect(ALLOWED).toContain(result.error);
  if (result.error !== Error.Ok) {
    expect(result).toEqual({ error: result.error, value: null, length: 0 });
    return;
  }
  expect(result.length).toBeLessThanOrEqual(bytes.length);
  expect(result.length % 4).toBe(0);
  const again = encodeVariant(result.value, { format, fullObjects: allowObjects });
  expect(again.error).toBe(Error.Ok);
  const redecoded = decodeVariant(again.bytes, { format, allowObjects });
  expect(redecoded.error).toBe(Error.Ok);
  expect(redecoded.value).toStrictEqual(result.value);
  expect(encodeVariant(redecoded.value, { format, fullObjects: allowObjects }).bytes).toStrictEqual(again.bytes);
}

describe('random bytes never throw', () => {
  const format = fc.constantFrom<VariantFormat>(3, 4);

  it('pure random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), format, fc.boolean(), (bytes, f, allow) => checkStable(bytes, f, allow)),
      { numRuns: RUNS * 10 },
    );
  });

  it('random bytes behind a valid header', () => {
    const header = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 15 })).map(([type, flags]) =>
      new Uint8Array([type, 0, flags, 0]));
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 48 }), format, fc.boolean(), (head, tail, f, allow) => {
        const bytes = new Uint8Array(head.length + tail.length);
        bytes.set(head);
        bytes.set(tail, head.length);
        checkStable(bytes, f, allow);
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('valid encodings with bytes overwritten or cut off', () => {
    const mutation = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(variant(4, true), mutation, fc.nat(), fc.boolean(), (value, edits, cut, allow) => {
        const encoded = encodeVariant(value, { fullObjects: true }).bytes;
        const bytes = encoded.slice(0, encoded.length - (cut % 8));
        for (const [at, byte] of edits) if (bytes.length > 0) bytes[at % bytes.length] = byte;
        checkStable(bytes, 4, allow);
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
