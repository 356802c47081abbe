/**
 * Godot binary Variant → JavaScript value (`decode_variant` in Godot's `core/io/marshalls.cpp`),
 * with Godot's rejections and error codes (`variant-binary.md` §6).
 *
 * Memory stays proportional to the input: nothing is allocated from a declared count before the
 * bytes for it are known to be there. Packed arrays check count × element size against the
 * remaining bytes first; Arrays, Dictionaries, NodePaths, PackedStringArrays and object properties
 * grow one element at a time, and each element consumes at least 4 bytes, so a huge declared count
 * simply runs out of input.
 */
import { Error } from '../core/error.js';
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
  NodePath,
  Rid,
  Signal,
  StringName,
} from './value-types.js';
import { GODOT3_TO_TYPE, VariantType } from './variant-type.js';
import {
  ELEMENT_KIND_SHIFT,
  FLAG_64,
  FLAG_OBJECT_AS_ID,
  KEY_KIND_SHIFT,
  KIND_BUILTIN,
  KIND_CLASS_NAME,
  KIND_NONE,
  MAX_RECURSION_DEPTH,
  TYPE_MASK,
  VALUE_KIND_SHIFT,
} from './wire.js';

/** Thrown inside the decoder only; `decodeVariant` turns it into a returned `Error`. */
export class DecodeFailure {
  constructor(readonly error: Error) {}
}

export interface DecoderSettings {
  allowObjects: boolean;
  godot3: boolean;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A 64-bit int as the Variant mapping gives it: a number when it is exactly one, else a bigint. */
export function int64Value(value: bigint): number | bigint {
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/** Below this length, an ASCII string is built in JS (cheaper than a TextDecoder call). */
const SHORT_STRING = 48;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes the value at the start of `bytes`; returns it with the number of bytes it used. */
export function decodeFromBytes(bytes: Uint8Array, settings: DecoderSettings): { value: unknown; length: number } {
  const decoder = new Decoder(bytes, settings.allowObjects, settings.godot3);
  const value = decoder.value(0);
  return { value, length: decoder.pos };
}

function fail(error: Error): never {
  throw new DecodeFailure(error);
}

/** Marks a value decoded with FLAG_64 (own property; the prototype default is false). */
function markDouble<T extends { doublePrecision: boolean }>(value: T, double: boolean): T {
  if (double) value.doublePrecision = true;
  return value;
}

class Decoder {
  private readonly view: DataView;
  private readonly end: number;
  pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly allowObjects: boolean,
    private readonly godot3: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.end = bytes.byteLength;
  }

  /** Fixed-size payloads shorter than declared are ERR_INVALID_DATA. */
  private need(count: number): void {
    if (this.end - this.pos < count) fail(Error.InvalidData);
  }

  private u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  private i32(): number {
    this.need(4);
    const value = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return value;
  }

  private u64(): bigint {
    this.need(8);
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  private f32(): number {
    const value = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return value;
  }

  private f64(): number {
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** `count` reals (after checking they are all there): f64 for double-precision values. */
  private reals(count: number, double: boolean): number[] {
    this.need(count * (double ? 8 : 4));
    const values = new Array<number>(count);
    for (let i = 0; i < count; i++) values[i] = double ? this.f64() : this.f32();
    return values;
  }

  private int32s(count: number): number[] {
    this.need(count * 4);
    const values = new Array<number>(count);
    for (let i = 0; i < count; i++) values[i] = this.i32();
    return values;
  }

  /**
   * A string block. A short length word is ERR_INVALID_DATA; a negative or overlong length is
   * ERR_FILE_EOF, as in Godot; invalid UTF-8 is ERR_INVALID_DATA. Pad bytes are skipped unread.
   */
  private string(): string {
    const length = this.i32();
    const padded = length + ((4 - (length % 4)) % 4);
    if (length < 0 || padded > this.end - this.pos) fail(Error.FileEof);
    const start = this.pos;
    this.pos += padded;
    return decodeUtf8(this.bytes, start, start + length);
  }

  /**
   * One value. Containers recurse through here, so this frame stays small (the leaf types live in
   * `leaf`): 1024 levels must fit the JS stack even before the code is optimised.
   */
  value(depth: number): unknown {
    if (depth > MAX_RECURSION_DEPTH) fail(Error.OutOfMemory);
    const header = this.u32();
    const id = header & TYPE_MASK;
    let type: VariantType;
    if (this.godot3) {
      if (id >= GODOT3_TO_TYPE.length) fail(Error.InvalidData);
      type = GODOT3_TO_TYPE[id]!;
    } else {
      if (id >= VariantType.Max) fail(Error.InvalidData);
      type = id;
    }
    if (type === VariantType.Array) return this.array(header, depth);
    if (type === VariantType.Dictionary) return this.dictionary(header, depth);
    if (type === VariantType.Object) return this.object(header, depth);
    return this.leaf(type, header);
  }

  /** A value that holds no other values. */
  private leaf(type: VariantType, header: number): unknown {
    // Godot 3 writes every math type in single precision and ignores the flag on them.
    const double = (header & FLAG_64) !== 0 && !this.godot3;

    switch (type) {
      case VariantType.Nil:
        return null;
      case VariantType.Bool:
        return this.u32() !== 0;
      case VariantType.Int: {
        if ((header & FLAG_64) === 0) return this.i32();
        this.need(8);
        const value = this.view.getBigInt64(this.pos, true);
        this.pos += 8;
        return int64Value(value);
      }
      case VariantType.Float: {
        let value: number;
        if ((header & FLAG_64) !== 0) {
          this.need(8);
          value = this.f64();
        } else {
          this.need(4);
          value = this.f32();
        }
        // Whole-number floats (1.0, -0.0) are wrapped: as plain numbers they would read back as INT
        // (or, for -0, collapse with 0 as a Map key).
        return Number.isInteger(value) ? new GodotFloat(value) : value;
      }
      case VariantType.String:
        return this.string();
      case VariantType.Vector2: {
        const [x, y] = this.reals(2, double);
        return markDouble(new Vector2(x, y), double);
      }
      case VariantType.Vector2I: {
        const [x, y] = this.int32s(2);
        return new Vector2I(x, y);
      }
      case VariantType.Rect2: {
        const [x, y, w, h] = this.reals(4, double);
        return markDouble(new Rect2(new Vector2(x, y), new Vector2(w, h)), double);
      }
      case VariantType.Rect2I: {
        const [x, y, w, h] = this.int32s(4);
        return new Rect2I(new Vector2I(x, y), new Vector2I(w, h));
      }
      case VariantType.Vector3: {
        const [x, y, z] = this.reals(3, double);
        return markDouble(new Vector3(x, y, z), double);
      }
      case VariantType.Vector3I: {
        const [x, y, z] = this.int32s(3);
        return new Vector3I(x, y, z);
      }
      case VariantType.Transform2D: {
        const [xx, xy, yx, yy, ox, oy] = this.reals(6, double);
        return markDouble(new Transform2D(new Vector2(xx, xy), new Vector2(yx, yy), new Vector2(ox, oy)), double);
      }
      case VariantType.Vector4: {
        const [x, y, z, w] = this.reals(4, double);
        return markDouble(new Vector4(x, y, z, w), double);
      }
      case VariantType.Vector4I: {
        const [x, y, z, w] = this.int32s(4);
        return new Vector4I(x, y, z, w);
      }
      case VariantType.Plane: {
        const [x, y, z, d] = this.reals(4, double);
        return markDouble(new Plane(new Vector3(x, y, z), d), double);
      }
      case VariantType.Quaternion: {
        const [x, y, z, w] = this.reals(4, double);
        return markDouble(new Quaternion(x, y, z, w), double);
      }
      case VariantType.Aabb: {
        const [x, y, z, w, h, d] = this.reals(6, double);
        return markDouble(new Aabb(new Vector3(x, y, z), new Vector3(w, h, d)), double);
      }
      case VariantType.Basis:
        return markDouble(basisFromRows(this.reals(9, double)), double);
      case VariantType.Transform3D: {
        const values = this.reals(12, double);
        const origin = new Vector3(values[9], values[10], values[11]);
        return markDouble(new Transform3D(basisFromRows(values), origin), double);
      }
      case VariantType.Projection: {
        const v = this.reals(16, double);
        return markDouble(
          new Projection(
            new Vector4(v[0], v[1], v[2], v[3]),
            new Vector4(v[4], v[5], v[6], v[7]),
            new Vector4(v[8], v[9], v[10], v[11]),
            new Vector4(v[12], v[13], v[14], v[15]),
          ),
          double,
        );
      }
      case VariantType.Color: {
        this.need(16);
        return new Color(this.f32(), this.f32(), this.f32(), this.f32());
      }
      case VariantType.StringName:
        return new StringName(this.string());
      case VariantType.NodePath:
        return this.nodePath();
      case VariantType.Rid:
        // Godot 3 sends no payload: every RID arrives empty.
        return new Rid(this.godot3 ? 0n : this.u64());
      case VariantType.Callable:
        return new Callable();
      case VariantType.Signal: {
        const name = this.string();
        return new Signal(name, this.u64());
      }
      case VariantType.PackedByteArray: {
        const count = this.i32();
        const padded = count + ((4 - (count % 4)) % 4);
        // Godot only checks `count`; we also require the padding, so `length` never passes the end.
        if (count < 0 || padded > this.end - this.pos) fail(Error.InvalidData);
        const data = this.bytes.slice(this.pos, this.pos + count);
        this.pos += padded;
        return data;
      }
      case VariantType.PackedInt32Array: {
        const count = this.packedCount(4);
        const data = new Int32Array(count);
        for (let i = 0; i < count; i++) data[i] = this.i32();
        return data;
      }
      case VariantType.PackedInt64Array: {
        const count = this.packedCount(8);
        const data = new BigInt64Array(count);
        for (let i = 0; i < count; i++, this.pos += 8) data[i] = this.view.getBigInt64(this.pos, true);
        return data;
      }
      case VariantType.PackedFloat32Array: {
        const count = this.packedCount(4);
        const data = new Float32Array(count);
        for (let i = 0; i < count; i++) data[i] = this.f32();
        return data;
      }
      case VariantType.PackedFloat64Array: {
        const count = this.packedCount(8);
        const data = new Float64Array(count);
        for (let i = 0; i < count; i++) data[i] = this.f64();
        return data;
      }
      case VariantType.PackedStringArray: {
        const count = this.i32();
        const strings = new PackedStringArray();
        for (let i = 0; i < count; i++) {
          const text = this.string();
          // The declared length counts a NUL terminator, which is not part of the text.
          strings.push(text.endsWith('\0') ? text.slice(0, -1) : text);
        }
        return strings;
      }
      case VariantType.PackedVector2Array: {
        const count = this.packedCount(double ? 16 : 8);
        const vectors = markDouble(new PackedVector2Array(), double);
        for (let i = 0; i < count; i++) {
          vectors.push(double ? new Vector2(this.f64(), this.f64()) : new Vector2(this.f32(), this.f32()));
        }
        return vectors;
      }
      case VariantType.PackedVector3Array: {
        const count = this.packedCount(double ? 24 : 12);
        const vectors = markDouble(new PackedVector3Array(), double);
        for (let i = 0; i < count; i++) {
          vectors.push(
            double ? new Vector3(this.f64(), this.f64(), this.f64()) : new Vector3(this.f32(), this.f32(), this.f32()),
          );
        }
        return vectors;
      }
      case VariantType.PackedVector4Array: {
        const count = this.packedCount(double ? 32 : 16);
        const vectors = markDouble(new PackedVector4Array(), double);
        for (let i = 0; i < count; i++) {
          vectors.push(
            double
              ? new Vector4(this.f64(), this.f64(), this.f64(), this.f64())
              : new Vector4(this.f32(), this.f32(), this.f32(), this.f32()),
          );
        }
        return vectors;
      }
      case VariantType.PackedColorArray: {
        const count = this.packedCount(16);
        const colors = new PackedColorArray();
        for (let i = 0; i < count; i++) colors.push(new Color(this.f32(), this.f32(), this.f32(), this.f32()));
        return colors;
      }
      default:
        return fail(Error.InvalidData);
    }
  }

  /** A packed-array count, checked against the remaining bytes before anything is allocated. */
  private packedCount(elementSize: number): number {
    const count = this.i32();
    if (count < 0 || count * elementSize > this.end - this.pos) fail(Error.InvalidData);
    return count;
  }

  private nodePath(): NodePath {
    this.need(12);
    const first = this.view.getUint32(this.pos, true);
    // Without the high bit this is the pre-3.0 form (a plain string), which Godot rejects.
    if ((first & 0x80000000) === 0) fail(Error.InvalidData);
    const nameCount = first & 0x7fffffff;
    let subnameCount = this.view.getUint32(this.pos + 4, true);
    const flags = this.view.getUint32(this.pos + 8, true);
    this.pos += 12;
    // Obsolete flag: the property was stored apart from the subnames.
    if (flags & 2) subnameCount = (subnameCount + 1) >>> 0;
    const total = (nameCount + subnameCount) >>> 0;
    const names: string[] = [];
    const subnames: string[] = [];
    for (let i = 0; i < total; i++) (i < nameCount ? names : subnames).push(this.string());
    return NodePath.fromParts(names, subnames, (flags & 1) !== 0);
  }

  private object(header: number, depth: number): EncodedObjectAsId | EncodedObject | null {
    if (header & FLAG_OBJECT_AS_ID) {
      const id = this.u64();
      return id === 0n ? null : new EncodedObjectAsId(id);
    }
    if (!this.allowObjects) fail(Error.Unauthorized);
    const className = this.string();
    if (className === '') return null;
    const count = this.i32();
    const properties = new Map<string, unknown>();
    for (let i = 0; i < count; i++) {
      const name = this.string();
      const value = this.value(depth + 1);
      // Godot 4 accepts only null or a res:// path for `script` (it would load that script).
      if (!this.godot3 && name === 'script' && value !== null) {
        if (typeof value !== 'string' || !value.startsWith('res://')) fail(Error.InvalidData);
      }
      properties.set(name, value);
    }
    return new EncodedObject(className, properties);
  }

  /** The type block of one typed-container slot (Godot 4.3+/4.4+). */
  private containerType(kind: number): ContainerType {
    switch (kind) {
      case KIND_NONE:
        return VariantType.Nil;
      case KIND_BUILTIN: {
        const type = this.i32();
        if (type < 0 || type >= VariantType.Max) fail(Error.InvalidData);
        return type;
      }
      case KIND_CLASS_NAME:
        return { className: this.string() };
      default: {
        const script = this.string();
        if (this.allowObjects && !script.startsWith('res://')) fail(Error.InvalidData);
        return { script };
      }
    }
  }

  private dictionary(header: number, depth: number): Map<unknown, unknown> {
    let keyType: ContainerType = VariantType.Nil;
    let valueType: ContainerType = VariantType.Nil;
    if (!this.godot3) {
      keyType = this.containerType((header >>> KEY_KIND_SHIFT) & 3);
      valueType = this.containerType((header >>> VALUE_KIND_SHIFT) & 3);
    }
    // Bit 31 of the count is an obsolete "shared" flag, ignored as in Godot.
    const count = this.u32() & 0x7fffffff;
    const map =
      keyType === VariantType.Nil && valueType === VariantType.Nil
        ? new Map<unknown, unknown>()
        : new TypedDictionary(keyType, valueType);
    for (let i = 0; i < count; i++) {
      const key = this.value(depth + 1);
      map.set(key, this.value(depth + 1));
    }
    return map;
  }

  private array(header: number, depth: number): unknown[] {
    const elementType = this.godot3 ? VariantType.Nil : this.containerType((header >>> ELEMENT_KIND_SHIFT) & 3);
    const count = this.u32() & 0x7fffffff;
    const array: unknown[] = elementType === VariantType.Nil ? [] : new TypedArray(elementType);
    for (let i = 0; i < count; i++) array.push(this.value(depth + 1));
    return array;
  }
}

function basisFromRows(v: number[]): Basis {
  return new Basis(new Vector3(v[0], v[3], v[6]), new Vector3(v[1], v[4], v[7]), new Vector3(v[2], v[5], v[8]));
}

function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT_STRING) {
    const text = asciiText(bytes, start, end);
    if (text !== null) return text;
  }
  try {
    return utf8Decoder.decode(bytes.subarray(start, end));
  } catch {
    return fail(Error.InvalidData);
  }
}

/**
 * Short ASCII text without a TextDecoder call: eight bytes per String.fromCharCode, the rest in
 * one call of the right arity. Null when a byte is not ASCII.
 */
function asciiText(b: Uint8Array, start: number, end: number): string | null {
  let text = '';
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const c0 = b[i]!, c1 = b[i + 1]!, c2 = b[i + 2]!, c3 = b[i + 3]!, c4 = b[i + 4]!, c5 = b[i + 5]!, c6 = b[i + 6]!, c7 = b[i + 7]!;
    if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7) & 0x80) return null;
    text += String.fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7);
  }
  const left = end - i;
  if (left === 0) return text;
  let high = 0;
  for (let j = i; j < end; j++) high |= b[j]!;
  if (high & 0x80) return null;
  switch (left) {
    case 1: return text + String.fromCharCode(b[i]!);
    case 2: return text + String.fromCharCode(b[i]!, b[i + 1]!);
    case 3: return text + String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!);
    case 4: return text + String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
    case 5: return text + String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!);
    case 6: return text + String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!);
    default: return text + String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!);
  }
}
