/**
 * JavaScript value → Godot binary Variant (`encode_variant` in Godot's `core/io/marshalls.cpp`),
 * Godot 4 layout by default, Godot 3 layout with `godot3`. See `variant-binary.md` for the format
 * and `index.ts` for how JS values map to Variant types.
 */
import { describe } from '../core/arguments.js';
import { Error } from '../core/error.js';
import { ByteWriter, EncodeFailure } from './byte-writer.js';
import {
  PackedColorArray,
  PackedStringArray,
  PackedVector2Array,
  PackedVector3Array,
  PackedVector4Array,
  TypedArray,
  TypedDictionary,
  type ContainerType,
} from './containers.js';
import {
  Aabb,
  Basis,
  Color,
  Plane,
  Projection,
  Quaternion,
  Rect2,
  Rect2I,
  Transform2D,
  Transform3D,
  Vector2,
  Vector2I,
  Vector3,
  Vector3I,
  Vector4,
  Vector4I,
} from './math-types.js';
import {
  Callable,
  EncodedObjectAsId,
  GodotFloat,
  EncodedObject,
  isIntegralNumber,
  NodePath,
  Rid,
  Signal,
  StringName,
} from './value-types.js';
import { TYPE_TO_GODOT3, VariantType } from './variant-type.js';
import {
  ELEMENT_KIND_SHIFT,
  FLAG_64,
  FLAG_OBJECT_AS_ID,
  KEY_KIND_SHIFT,
  KIND_BUILTIN,
  KIND_CLASS_NAME,
  KIND_NONE,
  KIND_SCRIPT,
  MAX_RECURSION_DEPTH,
  VALUE_KIND_SHIFT,
} from './wire.js';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** A plain (not wrapped) object literal or `Object.create(null)`: a Dictionary with String keys. */
const PLAIN_OBJECT = -1;

/** Exact prototype → type, so the common case is one Map lookup (subclasses walk the chain). */
const TYPE_BY_PROTOTYPE = new Map<object, number>([
  [Object.prototype, PLAIN_OBJECT],
  [Array.prototype, VariantType.Array],
  [TypedArray.prototype, VariantType.Array],
  [Map.prototype, VariantType.Dictionary],
  [TypedDictionary.prototype, VariantType.Dictionary],
  [GodotFloat.prototype, VariantType.Float],
  [Vector2.prototype, VariantType.Vector2],
  [Vector2I.prototype, VariantType.Vector2I],
  [Rect2.prototype, VariantType.Rect2],
  [Rect2I.prototype, VariantType.Rect2I],
  [Vector3.prototype, VariantType.Vector3],
  [Vector3I.prototype, VariantType.Vector3I],
  [Transform2D.prototype, VariantType.Transform2D],
  [Vector4.prototype, VariantType.Vector4],
  [Vector4I.prototype, VariantType.Vector4I],
  [Plane.prototype, VariantType.Plane],
  [Quaternion.prototype, VariantType.Quaternion],
  [Aabb.prototype, VariantType.Aabb],
  [Basis.prototype, VariantType.Basis],
  [Transform3D.prototype, VariantType.Transform3D],
  [Projection.prototype, VariantType.Projection],
  [Color.prototype, VariantType.Color],
  [StringName.prototype, VariantType.StringName],
  [NodePath.prototype, VariantType.NodePath],
  [Rid.prototype, VariantType.Rid],
  [EncodedObjectAsId.prototype, VariantType.Object],
  [EncodedObject.prototype, VariantType.Object],
  [Callable.prototype, VariantType.Callable],
  [Signal.prototype, VariantType.Signal],
  [Uint8Array.prototype, VariantType.PackedByteArray],
  [Int32Array.prototype, VariantType.PackedInt32Array],
  [BigInt64Array.prototype, VariantType.PackedInt64Array],
  [Float32Array.prototype, VariantType.PackedFloat32Array],
  [Float64Array.prototype, VariantType.PackedFloat64Array],
  [PackedStringArray.prototype, VariantType.PackedStringArray],
  [PackedVector2Array.prototype, VariantType.PackedVector2Array],
  [PackedVector3Array.prototype, VariantType.PackedVector3Array],
  [PackedColorArray.prototype, VariantType.PackedColorArray],
  [PackedVector4Array.prototype, VariantType.PackedVector4Array],
]);

export interface EncoderSettings {
  fullObjects: boolean;
  godot3: boolean;
  limit: number;
}

/**
 * Encodes one value into the shared scratch writer, which the caller must `finish()` or
 * `release()`; throws `EncodeFailure` (with the writer already released).
 */
export function encodeToWriter(value: unknown, settings: EncoderSettings): ByteWriter {
  const encoder = new Encoder(new ByteWriter(settings.limit), settings.fullObjects, settings.godot3);
  try {
    encoder.value(value, 0);
    return encoder.out;
  } catch (failure) {
    encoder.out.release();
    if (failure instanceof EncodeFailure) throw new EncodeFailure(failure.error, `${where(failure.path)}: ${failure.reason}`);
    throw failure;
  }
}

/** The path to a failed value, as `value.key[2]{entry 1}`. */
function where(path: readonly (string | number)[]): string {
  let text = 'value';
  for (let i = path.length - 1; i >= 0; i--) {
    const step = path[i]!;
    text += typeof step === 'string' ? `.${step}` : step >= 0 ? `[${step}]` : `{entry ${-step - 1}}`;
  }
  return text;
}

/**
 * Adds a container's step to a failure passing through it (rethrown by the caller). Containers
 * catch instead of tracking the path as they go: nothing is paid unless something fails.
 */
function onTheWayOut(failure: unknown, step: string | number): unknown {
  if (failure instanceof EncodeFailure) failure.path.push(step);
  return failure;
}

function fail(error: Error, reason: string): never {
  throw new EncodeFailure(error, reason);
}

function invalid(what: string): never {
  fail(Error.InvalidParameter, what);
}

/** The Variant type of an object by its prototype chain; -2 when it has none. */
function typeOfObject(value: object): number {
  const prototype = Object.getPrototypeOf(value);
  if (prototype === null) return PLAIN_OBJECT;
  const type = TYPE_BY_PROTOTYPE.get(prototype);
  if (type !== undefined) return type;
  // Subclasses (Buffer, user classes extending Vector2, ...). Object.prototype is not followed:
  // only object literals are Dictionaries, not arbitrary class instances.
  for (let p = Object.getPrototypeOf(prototype); p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const inherited = TYPE_BY_PROTOTYPE.get(p);
    if (inherited !== undefined) return inherited;
  }
  return -2;
}

class Encoder {
  constructor(
    readonly out: ByteWriter,
    private readonly fullObjects: boolean,
    private readonly godot3: boolean,
  ) {}

  /** Writes the header word, translating the type id for Godot 3. */
  private header(type: VariantType, flags: number): void {
    let id: number = type;
    if (this.godot3) {
      id = TYPE_TO_GODOT3[type]!;
      if (id < 0) invalid(`${VariantType[type]} does not exist in Godot 3`);
    }
    this.out.u32((id | flags) >>> 0);
  }

  value(value: unknown, depth: number): void {
    if (depth > MAX_RECURSION_DEPTH) {
      fail(Error.OutOfMemory, `nested deeper than ${MAX_RECURSION_DEPTH} levels (or a cycle)`);
    }
    switch (typeof value) {
      case 'number':
        // The common int32 case inline: header and payload in one write (ids 0-5 are the same in Godot 3).
        if ((value | 0) === value && !Object.is(value, -0)) return this.out.wordPair(VariantType.Int, value);
        return isIntegralNumber(value) ? this.intNumber(value) : this.float(value);
      case 'bigint':
        if (value < INT64_MIN || value > INT64_MAX) invalid('bigint outside the int64 range');
        return value >= -0x80000000n && value <= 0x7fffffffn ? this.intNumber(Number(value)) : this.int64(value);
      case 'string':
        return this.out.stringVariant(value);
      case 'boolean':
        return this.out.wordPair(VariantType.Bool, value ? 1 : 0);
      case 'undefined':
        return this.out.u32(VariantType.Nil);
      case 'object':
        if (value === null) return this.out.u32(VariantType.Nil);
        return this.object(value, depth);
      default:
        invalid(`a ${typeof value} has no Variant representation`);
    }
  }

  /** Godot's rule: 32-bit unless the value is outside the int32 range. */
  private intNumber(value: number): void {
    if (value < INT32_MIN || value > INT32_MAX) return this.int64(BigInt(value));
    this.header(VariantType.Int, 0);
    this.out.i32(value);
  }

  private int64(value: bigint): void {
    this.header(VariantType.Int, FLAG_64);
    this.out.i64(value);
  }

  /** Godot's rule: f32 when the double survives the round trip through f32, else f64. */
  private float(value: number): void {
    if (Math.fround(value) === value) this.out.headerF32(VariantType.Float, value);
    else this.out.headerF64(VariantType.Float | FLAG_64, value);
  }

  /**
   * Containers recurse through here, so this frame stays small (values that hold no others are
   * in `leafObject`): 1024 levels must fit the JS stack even before the code is optimised.
   */
  private object(value: object, depth: number): void {
    const prototype = Object.getPrototypeOf(value);
    if (prototype === Object.prototype) return this.plainObject(value as Record<string, unknown>, depth);
    if (prototype === Array.prototype) return this.array(value as unknown[], depth, false);
    const type = typeOfObject(value);
    if (type === VariantType.Array) return this.array(value as unknown[], depth, value instanceof TypedArray);
    if (type === VariantType.Dictionary) return this.dictionary(value as Map<unknown, unknown>, depth);
    if (type === PLAIN_OBJECT) return this.plainObject(value as Record<string, unknown>, depth);
    if (type === VariantType.Object) return this.godotObject(value, depth);
    return this.leafObject(type, value);
  }

  private leafObject(type: number, value: object): void {
    switch (type) {
      case VariantType.Float: {
        const number = (value as GodotFloat).value;
        if (typeof number !== 'number') invalid('GodotFloat.value must be a number');
        return this.float(number);
      }
      case VariantType.Vector2:
      case VariantType.Rect2:
      case VariantType.Vector3:
      case VariantType.Transform2D:
      case VariantType.Vector4:
      case VariantType.Plane:
      case VariantType.Quaternion:
      case VariantType.Aabb:
      case VariantType.Basis:
      case VariantType.Transform3D:
      case VariantType.Projection:
        return this.realMath(type, value);
      case VariantType.Vector2I: {
        const v = value as Vector2I;
        this.header(type, 0);
        return this.int32s(v.x, v.y);
      }
      case VariantType.Rect2I: {
        const r = value as Rect2I;
        this.header(type, 0);
        return this.int32s(r.position?.x, r.position?.y, r.size?.x, r.size?.y);
      }
      case VariantType.Vector3I: {
        const v = value as Vector3I;
        this.header(type, 0);
        return this.int32s(v.x, v.y, v.z);
      }
      case VariantType.Vector4I: {
        const v = value as Vector4I;
        this.header(type, 0);
        return this.int32s(v.x, v.y, v.z, v.w);
      }
      case VariantType.Color: {
        const c = value as Color;
        this.header(type, 0);
        return this.float32s([c.r, c.g, c.b, c.a]);
      }
      case VariantType.StringName: {
        const name = (value as StringName).value;
        if (typeof name !== 'string') invalid('StringName.value must be a string');
        this.header(type, 0);
        return this.out.string(name);
      }
      case VariantType.NodePath:
        return this.nodePath(value as NodePath);
      case VariantType.Rid:
        this.header(type, 0);
        // Godot 3 sends no payload for an RID.
        if (!this.godot3) this.out.u64(toUint64((value as Rid).id, 'Rid.id'));
        return;
      case VariantType.Callable:
        // Godot does not transmit a Callable's target: the header is all there is.
        return this.header(type, 0);
      case VariantType.Signal: {
        const signal = value as Signal;
        if (typeof signal.name !== 'string') invalid('Signal.name must be a string');
        this.header(type, 0);
        this.out.string(signal.name);
        return this.out.u64(toUint64(signal.objectId, 'Signal.objectId'));
      }
      case VariantType.PackedByteArray: {
        const bytes = value as Uint8Array;
        this.header(type, 0);
        this.out.u32(bytes.length);
        return this.out.paddedBytes(bytes);
      }
      case VariantType.PackedInt32Array: {
        const array = value as Int32Array;
        this.header(type, 0);
        this.out.u32(array.length);
        this.out.reserve(array.length * 4);
        for (let i = 0; i < array.length; i++) this.out.i32(array[i]!);
        return;
      }
      case VariantType.PackedInt64Array: {
        const array = value as BigInt64Array;
        this.header(type, 0);
        this.out.u32(array.length);
        this.out.reserve(array.length * 8);
        for (let i = 0; i < array.length; i++) this.out.i64(array[i]!);
        return;
      }
      case VariantType.PackedFloat32Array: {
        const array = value as Float32Array;
        this.header(type, 0);
        this.out.u32(array.length);
        this.out.reserve(array.length * 4);
        for (let i = 0; i < array.length; i++) this.out.f32(array[i]!);
        return;
      }
      case VariantType.PackedFloat64Array: {
        const array = value as Float64Array;
        this.header(type, 0);
        this.out.u32(array.length);
        this.out.reserve(array.length * 8);
        for (let i = 0; i < array.length; i++) this.out.f64(array[i]!);
        return;
      }
      case VariantType.PackedStringArray: {
        const strings = value as string[];
        this.header(type, 0);
        this.out.u32(strings.length);
        for (let i = 0; i < strings.length; i++) {
          const text = strings[i];
          if (typeof text !== 'string') invalid(`element ${i} of a PackedStringArray is not a string`);
          this.out.string(text, true);
        }
        return;
      }
      case VariantType.PackedVector2Array:
      case VariantType.PackedVector3Array:
      case VariantType.PackedVector4Array:
        return this.packedVectors(type, value as PackedVector2Array | PackedVector3Array | PackedVector4Array);
      case VariantType.PackedColorArray: {
        const colors = value as Color[];
        this.header(type, 0);
        this.out.u32(colors.length);
        for (let i = 0; i < colors.length; i++) {
          const c = colors[i];
          if (typeof c !== 'object' || c === null) invalid(`element ${i} of a PackedColorArray is not a Color`);
          this.float32s([c.r, c.g, c.b, c.a]);
        }
        return;
      }
      default:
        invalid(`a ${describe(value)} has no Variant representation`);
    }
  }

  private plainObject(object: Record<string, unknown>, depth: number): void {
    const keys = Object.keys(object);
    this.out.wordPair(this.godot3 ? TYPE_TO_GODOT3[VariantType.Dictionary]! : VariantType.Dictionary, keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      this.out.stringVariant(key);
      try {
        this.value(object[key], depth + 1);
      } catch (failure) {
        throw onTheWayOut(failure, key);
      }
    }
  }

  private dictionary(map: Map<unknown, unknown>, depth: number): void {
    let flags = 0;
    const typed = map instanceof TypedDictionary && !this.godot3;
    if (typed) {
      flags = (containerKind(map.keyType, 'keyType') << KEY_KIND_SHIFT) |
        (containerKind(map.valueType, 'valueType') << VALUE_KIND_SHIFT);
    }
    this.header(VariantType.Dictionary, flags);
    if (typed) {
      this.containerType(map.keyType);
      this.containerType(map.valueType);
    }
    this.out.u32(map.size);
    let index = 0;
    for (const [key, item] of map) {
      index++;
      try {
        this.value(key, depth + 1);
        this.value(item, depth + 1);
      } catch (failure) {
        throw onTheWayOut(failure, -index);
      }
    }
  }

  private array(array: unknown[], depth: number, typedArray: boolean): void {
    const length = array.length;
    if (typedArray && !this.godot3) {
      const { elementType } = array as TypedArray;
      this.header(VariantType.Array, containerKind(elementType, 'elementType') << ELEMENT_KIND_SHIFT);
      this.containerType(elementType);
      this.out.u32(length);
    } else {
      this.out.wordPair(this.godot3 ? TYPE_TO_GODOT3[VariantType.Array]! : VariantType.Array, length);
    }
    for (let i = 0; i < length; i++) {
      try {
        this.value(array[i], depth + 1);
      } catch (failure) {
        throw onTheWayOut(failure, i);
      }
    }
  }

  /** The type block that follows the header for each typed slot (none for untyped). */
  private containerType(type: ContainerType): void {
    if (typeof type === 'number') {
      if (type !== VariantType.Nil) this.out.u32(type);
    } else if ('className' in type) {
      this.out.string(type.className);
    } else {
      this.out.string(type.script);
    }
  }

  private nodePath(nodePath: NodePath): void {
    const { names, subnames } = nodePath;
    if (!Array.isArray(names) || !Array.isArray(subnames)) invalid('NodePath needs names and subnames arrays');
    if (names.length > INT32_MAX) invalid('too many NodePath names');
    this.header(VariantType.NodePath, 0);
    this.out.u32((names.length | 0x80000000) >>> 0);
    this.out.u32(subnames.length);
    this.out.u32(nodePath.absolute ? 1 : 0);
    for (const name of [...names, ...subnames]) {
      if (typeof name !== 'string') invalid('NodePath names must be strings');
      this.out.string(name);
    }
  }

  private godotObject(value: object, depth: number): void {
    if (value instanceof EncodedObjectAsId) {
      // The id form whatever `fullObjects` says: the value *is* an id, there is nothing else to send.
      this.header(VariantType.Object, FLAG_OBJECT_AS_ID);
      return this.out.u64(toUint64(value.objectId, 'EncodedObjectAsId.objectId'));
    }
    const object = value as EncodedObject;
    if (!this.fullObjects) invalid('an EncodedObject is only sent in full: pass fullObjects');
    if (typeof object.className !== 'string' || !(object.properties instanceof Map)) {
      invalid('EncodedObject needs a className string and a properties Map');
    }
    this.header(VariantType.Object, 0);
    this.out.string(object.className);
    this.out.u32(object.properties.size);
    for (const [name, property] of object.properties) {
      if (typeof name !== 'string') invalid('EncodedObject property names must be strings');
      this.out.string(name);
      try {
        this.value(property, depth + 1);
      } catch (failure) {
        throw onTheWayOut(failure, name);
      }
    }
  }

  /** Types made of `real_t`: f64 and FLAG_64 when marked double precision (Godot 4 only). */
  private realMath(type: VariantType, value: object): void {
    const double = !this.godot3 && (value as { doublePrecision?: boolean }).doublePrecision === true;
    const components = realComponents(type, value);
    this.header(type, double ? FLAG_64 : 0);
    if (double) this.float64s(components);
    else this.float32s(components);
  }

  private packedVectors(
    type: VariantType,
    array: PackedVector2Array | PackedVector3Array | PackedVector4Array,
  ): void {
    const double = !this.godot3 && array.doublePrecision === true;
    const width = type === VariantType.PackedVector2Array ? 2 : type === VariantType.PackedVector3Array ? 3 : 4;
    this.header(type, double ? FLAG_64 : 0);
    const length = array.length;
    this.out.u32(length);
    this.out.reserve(length * width * (double ? 8 : 4));
    for (let i = 0; i < length; i++) {
      const v = array[i] as Vector4 | undefined;
      if (typeof v !== 'object' || v === null) invalid(`element ${i} of a ${VariantType[type]} is not a vector`);
      const components = width === 2 ? [v.x, v.y] : width === 3 ? [v.x, v.y, v.z] : [v.x, v.y, v.z, v.w];
      if (double) this.float64s(components);
      else this.float32s(components);
    }
  }

  private float32s(values: unknown[]): void {
    this.out.reserve(values.length * 4);
    for (const value of values) {
      if (typeof value !== 'number') invalid(`expected number components, got ${typeof value}`);
      this.out.f32(value);
    }
  }

  private float64s(values: unknown[]): void {
    this.out.reserve(values.length * 8);
    for (const value of values) {
      if (typeof value !== 'number') invalid(`expected number components, got ${typeof value}`);
      this.out.f64(value);
    }
  }

  private int32s(...values: unknown[]): void {
    this.out.reserve(values.length * 4);
    for (const value of values) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
        invalid('integer vector components must be int32 integers');
      }
      this.out.i32(value);
    }
  }
}

/** The `real_t` components of a math value in wire order. */
function realComponents(type: VariantType, value: object): unknown[] {
  switch (type) {
    case VariantType.Vector2: {
      const v = value as Vector2;
      return [v.x, v.y];
    }
    case VariantType.Rect2: {
      const r = value as Rect2;
      return [r.position?.x, r.position?.y, r.size?.x, r.size?.y];
    }
    case VariantType.Vector3: {
      const v = value as Vector3;
      return [v.x, v.y, v.z];
    }
    case VariantType.Transform2D: {
      const t = value as Transform2D;
      return [t.x?.x, t.x?.y, t.y?.x, t.y?.y, t.origin?.x, t.origin?.y];
    }
    case VariantType.Vector4:
    case VariantType.Quaternion: {
      const v = value as Vector4;
      return [v.x, v.y, v.z, v.w];
    }
    case VariantType.Plane: {
      const p = value as Plane;
      return [p.normal?.x, p.normal?.y, p.normal?.z, p.d];
    }
    case VariantType.Aabb: {
      const a = value as Aabb;
      return [a.position?.x, a.position?.y, a.position?.z, a.size?.x, a.size?.y, a.size?.z];
    }
    case VariantType.Basis:
      return basisRows(value as Basis);
    case VariantType.Transform3D: {
      const t = value as Transform3D;
      if (typeof t.basis !== 'object' || t.basis === null) invalid('Transform3D needs a basis');
      return [...basisRows(t.basis), t.origin?.x, t.origin?.y, t.origin?.z];
    }
    default: {
      const p = value as Projection;
      return [p.x, p.y, p.z, p.w].flatMap((c) => [c?.x, c?.y, c?.z, c?.w]);
    }
  }
}

/** The wire is row-major; the JS Basis holds columns x, y, z. */
function basisRows(basis: Basis): unknown[] {
  const { x, y, z } = basis;
  return [x?.x, y?.x, z?.x, x?.y, y?.y, z?.y, x?.z, y?.z, z?.z];
}

/** The 2-bit container type kind: 0 untyped, 1 built-in, 2 class name, 3 script. */
function containerKind(type: ContainerType, field: string): number {
  if (typeof type === 'number') {
    if (!Number.isInteger(type) || type < 0 || type >= VariantType.Max) invalid(`${field} is not a VariantType`);
    return type === VariantType.Nil ? KIND_NONE : KIND_BUILTIN;
  }
  if (typeof type === 'object' && type !== null) {
    if ('className' in type && typeof type.className === 'string') return KIND_CLASS_NAME;
    if ('script' in type && typeof type.script === 'string') return KIND_SCRIPT;
  }
  invalid(`${field} must be a VariantType, { className } or { script }`);
}

function toUint64(value: unknown, field: string): bigint {
  if (typeof value === 'bigint' && value >= 0n && value <= UINT64_MAX) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  invalid(`${field} must be an unsigned 64-bit id (bigint)`);
}
