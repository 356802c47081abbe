/**
 * RPC arguments as SceneMultiplayer puts them on the wire (MultiplayerAPI's "compressed" Variants):
 * a bool is one byte (type 1, bit 7 = value), an int is a type byte (2, bits 6-7 = size) and the
 * smallest of 1/2/4/8 little-endian bytes that holds it, anything else is its ordinary binary
 * Variant (whose first byte already is the type). No arguments, or exactly one PackedByteArray,
 * travel without an argument count ("raw"); otherwise a count byte precedes them.
 */
import { Error } from '../core/error.js';
import { decodeVariant, encodeVariantWithReason, VariantType } from '../variant/index.js';
import { int64Value } from '../variant/decoder.js';

const TYPE_MASK = 0x3f;
const SIZE_SHIFT = 6;
const BOOL_TRUE = 0x80;

export interface EncodedArguments {
  error: Error;
  /** Why encoding failed (a value with no Variant form). */
  reason: string;
  /** No count byte: no arguments, or one raw PackedByteArray. */
  raw: boolean;
  bytes: Uint8Array;
}

/** Encodes RPC arguments; `bytes` excludes the count byte, which the caller writes unless `raw`. */
export function encodeArguments(args: readonly unknown[], maxSize: number): EncodedArguments {
  if (args.length === 0) return { error: Error.Ok, reason: '', raw: true, bytes: new Uint8Array(0) };
  const parts: Uint8Array[] = [];
  for (const arg of args) {
    const encoded = encodeVariantWithReason(arg, { maxSize });
    if (encoded.error !== Error.Ok) return { error: encoded.error, reason: encoded.reason, raw: false, bytes: new Uint8Array(0) };
    if (args.length === 1 && encoded.bytes[0] === VariantType.PackedByteArray) {
      // One byte array goes as its bare bytes: its Variant header and length are left out.
      return { error: Error.Ok, reason: '', raw: true, bytes: (arg as Uint8Array).slice() };
    }
    parts.push(compress(encoded.bytes));
  }
  return { error: Error.Ok, reason: '', raw: false, bytes: concat(parts) };
}

/** A full binary Variant → its compressed form (only bool and int change). */
function compress(variant: Uint8Array): Uint8Array {
  const view = new DataView(variant.buffer, variant.byteOffset, variant.byteLength);
  if (variant[0] === VariantType.Bool) return Uint8Array.of(VariantType.Bool | (view.getUint32(4, true) !== 0 ? BOOL_TRUE : 0));
  if (variant[0] !== VariantType.Int) return variant;
  const is64 = variant.length >= 12;
  const value = is64 ? view.getBigInt64(4, true) : BigInt(view.getInt32(4, true));
  let size: number;
  if (value >= -128n && value <= 127n) size = 0;
  else if (value >= -32768n && value <= 32767n) size = 1;
  else if (value >= -2147483648n && value <= 2147483647n) size = 2;
  else size = 3;
  const out = new Uint8Array(1 + (1 << size));
  const outView = new DataView(out.buffer);
  out[0] = VariantType.Int | (size << SIZE_SHIFT);
  if (size === 0) outView.setInt8(1, Number(value));
  else if (size === 1) outView.setInt16(1, Number(value), true);
  else if (size === 2) outView.setInt32(1, Number(value), true);
  else outView.setBigInt64(1, value, true);
  return out;
}

export interface DecodedArguments {
  error: Error;
  /** What was wrong, for the rejection reason. */
  reason: string;
  args: unknown[];
}

/**
 * Decodes `count` compressed arguments from `bytes`, or, when `raw`, zero arguments (no bytes)
 * or one PackedByteArray (all of the bytes). Objects sent in full need `allowObjects`.
 */
export function decodeArguments(bytes: Uint8Array, count: number, raw: boolean, allowObjects: boolean): DecodedArguments {
  if (raw) return { error: Error.Ok, reason: '', args: bytes.length === 0 ? [] : [bytes.slice()] };
  const args: unknown[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (offset >= bytes.length) return failure(Error.InvalidData, `argument ${i + 1} of ${count} is missing`);
    const decoded = decodeOne(bytes.subarray(offset), allowObjects);
    if (decoded.error !== Error.Ok) return failure(decoded.error, `argument ${i + 1} of ${count} is not a valid Variant (${Error[decoded.error]})`);
    args.push(decoded.value);
    offset += decoded.length;
  }
  return { error: Error.Ok, reason: '', args };
}

function decodeOne(bytes: Uint8Array, allowObjects: boolean): { error: Error; value: unknown; length: number } {
  const type = bytes[0]! & TYPE_MASK;
  if (type >= VariantType.Max) return { error: Error.InvalidData, value: null, length: 0 };
  if (type === VariantType.Bool) return { error: Error.Ok, value: (bytes[0]! & BOOL_TRUE) !== 0, length: 1 };
  if (type === VariantType.Int) {
    const size = 1 << (bytes[0]! >> SIZE_SHIFT);
    if (bytes.length < 1 + size) return { error: Error.InvalidData, value: null, length: 0 };
    const view = new DataView(bytes.buffer, bytes.byteOffset + 1, size);
    let value: number | bigint;
    if (size === 1) value = view.getInt8(0);
    else if (size === 2) value = view.getInt16(0, true);
    else if (size === 4) value = view.getInt32(0, true);
    else value = int64Value(view.getBigInt64(0, true));
    return { error: Error.Ok, value, length: 1 + size };
  }
  return decodeVariant(bytes, { allowObjects });
}

function failure(error: Error, reason: string): DecodedArguments {
  return { error, reason, args: [] };
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
