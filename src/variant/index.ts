/**
 * Godot's binary Variant serialization (`var_to_bytes`, `PacketPeer.put_var`) for Node.js:
 * the Godot 4 format by default, the Godot 3 format with `format: 3`.
 *
 * How Variant types map to JavaScript (decode → encode is byte-identical for everything Godot's
 * own encoder writes; see the README table for the full list):
 *
 * | Godot                      | JavaScript |
 * |----------------------------|------------|
 * | null                       | `null` (`undefined` also encodes as null) |
 * | bool                       | `boolean` |
 * | int                        | `number`; `bigint` outside ±(2^53 − 1). A plain integral number encodes as int |
 * | float                      | `number`; a whole-number float (1.0, -0.0) decodes as `GodotFloat` (wrap to send `1.0`) |
 * | String / StringName        | `string` / `StringName` |
 * | Vector2…Projection, Color  | classes with Godot's field names; `doublePrecision` marks FLAG_64 values |
 * | NodePath, RID, Callable, Signal | `NodePath`, `Rid`, `Callable`, `Signal` |
 * | Object                     | `null`, `EncodedObjectAsId` (by id), `EncodedObject` (full, only when allowed) |
 * | Dictionary                 | `Map` (plain objects encode as Dictionaries with String keys); `TypedDictionary` |
 * | Array                      | JS array; `TypedArray` for `Array[T]` |
 * | PackedByte/Int32/Int64/Float32/Float64Array | `Uint8Array`, `Int32Array`, `BigInt64Array`, `Float32Array`, `Float64Array` |
 * | PackedString/Vector2/3/4/ColorArray | `PackedStringArray`, `PackedVector2Array`, … (Array subclasses) |
 */
import { Error } from '../core/error.js';
import { EncodeFailure, MAX_ENCODED_SIZE } from './byte-writer.js';
import { DecodeFailure, decodeFromBytes } from './decoder.js';
import { encodeToWriter } from './encoder.js';
import type { ByteWriter } from './byte-writer.js';
import type { VariantFormat } from './variant-type.js';
import type { Variant, VariantInput } from './variant-value.js';

export { VariantType, checkVariantFormat, type VariantFormat } from './variant-type.js';
export type { Variant, VariantInput, VariantMath, VariantPacked } from './variant-value.js';
export * from './math-types.js';
export {
  Callable,
  EncodedObjectAsId,
  GodotFloat,
  EncodedObject,
  NodePath,
  Rid,
  Signal,
  StringName,
} from './value-types.js';
export * from './containers.js';

export interface EncodeOptions {
  /** Send objects as class name + properties instead of instance ids (`put_var(v, true)`). */
  fullObjects?: boolean;
  /** Godot major version of the receiving peer; default 4. */
  format?: VariantFormat;
  /** Encoded size cap in bytes (`encode_buffer_max_size`); larger values give Error.OutOfMemory. */
  maxSize?: number;
}

export interface DecodeOptions {
  /** Accept objects sent in full (`get_var(true)`); otherwise they are Error.Unauthorized. */
  allowObjects?: boolean;
  /** Godot major version of the sending peer; default 4. */
  format?: VariantFormat;
}

/** The encode result with a human-readable reason on failure (for GD's TypeError messages). */
export interface EncodeOutcome {
  error: Error;
  bytes: Uint8Array;
  reason: string;
}

/**
 * Encodes `value`. Never throws: a value with no Variant representation (or none in Godot 3) is
 * Error.InvalidParameter, nesting deeper than 1024 (or a cycle) and sizes over `maxSize` are
 * Error.OutOfMemory. On error `bytes` is empty.
 */
export function encodeVariant(value: VariantInput, options?: EncodeOptions): { error: Error; bytes: Uint8Array } {
  const { error, bytes } = encodeVariantWithReason(value, options);
  return { error, bytes };
}

export function encodeVariantWithReason(value: unknown, options: EncodeOptions = {}): EncodeOutcome {
  const encoded = encodeChecked(value, options);
  if (!encoded.writer) return failed(encoded.error, encoded.reason);
  return { error: Error.Ok, bytes: encoded.writer.finish(), reason: '' };
}

/**
 * @internal PutVar's path: encodes `value` and lends the bytes to `put`, which must copy them
 * before it returns (the encoder's scratch buffer is reused). Saves the copy encodeVariant makes.
 * Returns the encoder's Error, or `put`'s.
 */
export function putEncodedVariant(value: unknown, options: EncodeOptions, put: (bytes: Uint8Array) => Error): Error {
  const encoded = encodeChecked(value, options);
  if (!encoded.writer) return encoded.error;
  try {
    return put(encoded.writer.lend());
  } finally {
    encoded.writer.release();
  }
}

function encodeChecked(value: unknown, options: EncodeOptions): { writer?: ByteWriter; error: Error; reason: string } {
  const format = options.format ?? 4;
  if (format !== 3 && format !== 4) return { error: Error.InvalidParameter, reason: 'format must be 3 or 4' };
  const maxSize = options.maxSize ?? MAX_ENCODED_SIZE;
  if (typeof maxSize !== 'number' || !(maxSize >= 0)) return { error: Error.InvalidParameter, reason: 'maxSize must be >= 0' };
  try {
    const writer = encodeToWriter(value, {
      fullObjects: options.fullObjects === true,
      godot3: format === 3,
      limit: Math.min(Math.floor(maxSize), MAX_ENCODED_SIZE),
    });
    return { writer, error: Error.Ok, reason: '' };
  } catch (failure) {
    if (failure instanceof EncodeFailure) return { error: failure.error, reason: failure.reason };
    // An allocation failure, or an exception from a user getter/proxy: report, never throw.
    if (failure instanceof RangeError) return { error: Error.OutOfMemory, reason: failure.message };
    return { error: Error.InvalidParameter, reason: String(failure) };
  }
}

/**
 * Decodes a whole packet (PacketPeer.GetVar, StreamPeer.GetVar's length-prefixed block) that must
 * hold exactly one value: as decodeVariant, but bytes left after the value are Error.InvalidData.
 * Godot ignores such bytes. Every Godot peer sends exactly one value per packet, so leftovers mean
 * the packet was read in the wrong format: Godot 3 and 4 share type ids 0-5 only, and from 6 on a
 * value read as the other version's type almost always has another size (a Godot 3 Dictionary read
 * as Godot 4 is a 48-byte Transform3D). What still passes is listed in the README.
 */
export function decodeVariantPacket(bytes: Uint8Array, options: DecodeOptions = {}): { error: Error; value: Variant } {
  const decoded = decodeVariant(bytes, options);
  if (decoded.error === Error.Ok && decoded.length !== bytes.length) return { error: Error.InvalidData, value: null };
  return { error: decoded.error, value: decoded.value };
}

function failed(error: Error, reason: string): EncodeOutcome {
  return { error, bytes: new Uint8Array(0), reason };
}

/**
 * Decodes the value at the start of `bytes`; `length` is how many bytes it used (trailing bytes
 * are ignored, as in Godot). Never throws: bad data gives Error.InvalidData (or FileEof for a
 * truncated string, Unauthorized for a full object without `allowObjects`, OutOfMemory for nesting
 * deeper than 1024), with `value` null and `length` 0.
 */
export function decodeVariant(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): { error: Error; value: Variant; length: number } {
  const format = options.format ?? 4;
  if (!(bytes instanceof Uint8Array) || (format !== 3 && format !== 4)) {
    return { error: Error.InvalidParameter, value: null, length: 0 };
  }
  try {
    const { value, length } = decodeFromBytes(bytes, {
      allowObjects: options.allowObjects === true,
      godot3: format === 3,
    });
    // decoder.ts builds nothing but the values the Variant type lists.
    return { error: Error.Ok, value: value as Variant, length };
  } catch (failure) {
    const error =
      failure instanceof DecodeFailure
        ? failure.error
        : failure instanceof RangeError
          ? Error.OutOfMemory
          : Error.InvalidData;
    return { error, value: null, length: 0 };
  }
}
