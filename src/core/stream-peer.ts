/**
 * StreamPeer: Godot's byte-stream API (PutData, PutPartialData, GetData, GetPartialData,
 * GetAvailableBytes) and its typed helpers (Put8 … PutVar, Get8 … GetVar, BigEndian) over a
 * SocketPipe. Node sockets cannot block, so the "blocking" calls (PutData, GetData and every
 * helper) behave as their non-blocking twins that must move every byte at once: a helper whose
 * bytes have not all arrived reads nothing and returns 0, "" or null.
 */
import { Error } from './error.js';
import { GodotObject, registerGodotClass } from './godot-object.js';
import { checkBoolean, checkBytes, checkInteger, checkString, describe } from './arguments.js';
import { asciiBytes, halfBits, halfValue, latin1Text } from './stream-encoding.js';
import { checkVariantFormat, decodeVariantPacket, encodeVariant, type Variant, type VariantFormat, type VariantInput } from '../variant/index.js';
import { int64Value } from '../variant/decoder.js';
import type { SocketPipe } from '../net/socket-pipe.js';

/** PutPartialData accepts bytes until Node's socket buffer holds this much (then "would block"). */
export const STREAM_WRITE_HIGH_WATER = 1024 * 1024;
const EMPTY = new Uint8Array(0);

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

export abstract class StreamPeer extends GodotObject {
  /** Byte order of the helpers' numbers and length prefixes (not of Variant payloads); little-endian by default. */
  BigEndian = false;
  private variantFormat: VariantFormat = 4;

  /**
   * Extension, as on PacketPeer: the Variant format of PutVar/GetVar, 4 (default) or 3 for a
   * Godot 3 game (whose StreamPeer.put_var frames its value the same way). Anything else throws TypeError.
   */
  get VariantFormat(): VariantFormat {
    return this.variantFormat;
  }
  set VariantFormat(value: VariantFormat) {
    checkVariantFormat('VariantFormat', value);
    this.variantFormat = value;
  }

  /** @internal The pipe while connected, null otherwise. */
  abstract get pipe(): SocketPipe | null;
  /** @internal Whether the stream is ready for data (Connected). */
  protected abstract get isReady(): boolean;
  /** @internal Called when a read meets the end of the stream or an error: the stream disconnects. */
  protected abstract onReadEnd(error: Error): void;

  /** Writes all bytes. Node cannot block: Busy when the socket buffer is full, nothing written. */
  PutData(data: Uint8Array): Error {
    checkBytes('PutData', data);
    if (data.length === 0) return Error.Ok;
    const pipe = this.readyPipe();
    if (!pipe) return Error.Failed;
    if (pipe.writableLength >= STREAM_WRITE_HIGH_WATER) return Error.Busy;
    pipe.write(data);
    return Error.Ok;
  }

  /** Writes what fits now: [Error, bytes sent]. */
  PutPartialData(data: Uint8Array): [Error, number] {
    checkBytes('PutPartialData', data);
    if (data.length === 0) return [Error.Ok, 0];
    const pipe = this.readyPipe();
    if (!pipe) return [Error.Failed, 0];
    const room = Math.max(0, STREAM_WRITE_HIGH_WATER - pipe.writableLength);
    const sent = Math.min(room, data.length);
    if (sent > 0) pipe.write(sent === data.length ? data : data.subarray(0, sent));
    return [Error.Ok, sent];
  }

  /** Reads exactly `bytes` bytes, or nothing: Node cannot wait, so Unavailable when fewer arrived. */
  GetData(bytes: number): [Error, Uint8Array] {
    checkInteger('GetData', bytes);
    const pipe = this.readyPipe();
    if (!pipe || bytes < 0) return [Error.Failed, EMPTY];
    if (pipe.bufferedBytes < bytes) {
      const ended = this.readEnded(pipe);
      return ended === Error.Ok ? [Error.Unavailable, EMPTY] : [ended, EMPTY];
    }
    return [Error.Ok, pipe.read(bytes)];
  }

  /** Reads up to `bytes` bytes that have arrived: [Error, data]. */
  GetPartialData(bytes: number): [Error, Uint8Array] {
    checkInteger('GetPartialData', bytes);
    const pipe = this.readyPipe();
    if (!pipe || bytes < 0) return [Error.Failed, EMPTY];
    if (pipe.bufferedBytes === 0) {
      const ended = this.readEnded(pipe);
      return [ended, EMPTY];
    }
    return [Error.Ok, pipe.read(bytes)];
  }

  GetAvailableBytes(): number {
    const pipe = this.readyPipe();
    return pipe ? pipe.bufferedBytes : 0;
  }

  // ---------------------------------------------------------------- put_* helpers
  // Godot's put_* return nothing and print a failed write; ours return the write's Error (PutData's).

  /** The low 8 bits of an integer (wrapped, as Godot's C++ conversion does). */
  Put8(value: number): Error {
    checkInteger('Put8', value);
    return this.putFixed(1, (view) => view.setInt8(0, value));
  }

  PutU8(value: number): Error {
    checkInteger('PutU8', value);
    return this.putFixed(1, (view) => view.setUint8(0, value));
  }

  Put16(value: number): Error {
    checkInteger('Put16', value);
    return this.putFixed(2, (view, little) => view.setInt16(0, value, little));
  }

  PutU16(value: number): Error {
    checkInteger('PutU16', value);
    return this.putFixed(2, (view, little) => view.setUint16(0, value, little));
  }

  Put32(value: number): Error {
    checkInteger('Put32', value);
    return this.putFixed(4, (view, little) => view.setInt32(0, value, little));
  }

  PutU32(value: number): Error {
    checkInteger('PutU32', value);
    return this.putFixed(4, (view, little) => view.setUint32(0, value, little));
  }

  /** An integer number or a bigint, wrapped to 64 bits. */
  Put64(value: number | bigint): Error {
    const big = checkInt64('Put64', value);
    return this.putFixed(8, (view, little) => view.setBigInt64(0, BigInt.asIntN(64, big), little));
  }

  PutU64(value: number | bigint): Error {
    const big = checkInt64('PutU64', value);
    return this.putFixed(8, (view, little) => view.setBigUint64(0, BigInt.asUintN(64, big), little));
  }

  /** IEEE half precision, converted as Godot does (truncated; below 2^-14 becomes 0; 65536 and up infinity). */
  PutHalf(value: number): Error {
    checkFloat('PutHalf', value);
    return this.putFixed(2, (view, little) => view.setUint16(0, halfBits(value), little));
  }

  PutFloat(value: number): Error {
    checkFloat('PutFloat', value);
    return this.putFixed(4, (view, little) => view.setFloat32(0, value, little));
  }

  PutDouble(value: number): Error {
    checkFloat('PutDouble', value);
    return this.putFixed(8, (view, little) => view.setFloat64(0, value, little));
  }

  /** A uint32 length and one byte per character; characters outside ASCII become spaces (as in Godot). */
  PutString(value: string): Error {
    checkString('PutString', value);
    return this.putSized(asciiBytes(value));
  }

  /** A uint32 length and the UTF-8 bytes. */
  PutUtf8String(value: string): Error {
    checkString('PutUtf8String', value);
    return this.putSized(utf8Encoder.encode(value));
  }

  /**
   * An int32 length and the value in the Variant format of `VariantFormat`. A value that cannot be
   * encoded writes nothing and returns the encoder's Error (Godot would write a broken length).
   */
  PutVar(value: VariantInput, fullObjects = false): Error {
    checkBoolean('PutVar', fullObjects);
    const encoded = encodeVariant(value, { fullObjects, format: this.variantFormat });
    if (encoded.error !== Error.Ok) return encoded.error;
    return this.putSized(encoded.bytes);
  }

  // ---------------------------------------------------------------- get_* helpers
  // Each reads its bytes whole or not at all: 0 / "" / null (nothing read) until they have arrived.

  Get8(): number {
    return this.getFixed(1, (view) => view.getInt8(0), 0);
  }

  GetU8(): number {
    return this.getFixed(1, (view) => view.getUint8(0), 0);
  }

  Get16(): number {
    return this.getFixed(2, (view, little) => view.getInt16(0, little), 0);
  }

  GetU16(): number {
    return this.getFixed(2, (view, little) => view.getUint16(0, little), 0);
  }

  Get32(): number {
    return this.getFixed(4, (view, little) => view.getInt32(0, little), 0);
  }

  GetU32(): number {
    return this.getFixed(4, (view, little) => view.getUint32(0, little), 0);
  }

  /** A number, or a bigint beyond ±(2^53 − 1). */
  Get64(): number | bigint {
    return this.getFixed(8, (view, little) => int64Value(view.getBigInt64(0, little)), 0);
  }

  /** A number, or a bigint beyond 2^53 − 1. */
  GetU64(): number | bigint {
    return this.getFixed(8, (view, little) => int64Value(view.getBigUint64(0, little)), 0);
  }

  GetHalf(): number {
    return this.getFixed(2, (view, little) => halfValue(view.getUint16(0, little)), 0);
  }

  GetFloat(): number {
    return this.getFixed(4, (view, little) => view.getFloat32(0, little), 0);
  }

  GetDouble(): number {
    return this.getFixed(8, (view, little) => view.getFloat64(0, little), 0);
  }

  /** `bytes` bytes, or (bytes < 0) an int32 length and that many, as Latin-1 text. */
  GetString(bytes = -1): string {
    checkInteger('GetString', bytes);
    const data = this.takeSized(bytes);
    return data ? latin1Text(data) : '';
  }

  /** `bytes` bytes, or (bytes < 0) an int32 length and that many, as UTF-8 (invalid bytes become U+FFFD). */
  GetUtf8String(bytes = -1): string {
    checkInteger('GetUtf8String', bytes);
    const data = this.takeSized(bytes);
    return data ? utf8Decoder.decode(data) : '';
  }

  /**
   * An int32 length and a Variant in the format of `VariantFormat`; null when it has not all arrived,
   * does not decode, or does not fill its length (a value in the other format, see decodeVariantPacket).
   */
  GetVar(allowObjects = false): Variant {
    checkBoolean('GetVar', allowObjects);
    const data = this.takeSized(-1);
    if (!data) return null;
    const decoded = decodeVariantPacket(data, { allowObjects, format: this.variantFormat });
    return decoded.error === Error.Ok ? decoded.value : null;
  }

  private putFixed(size: number, write: (view: DataView, littleEndian: boolean) => void): Error {
    const bytes = new Uint8Array(size);
    write(new DataView(bytes.buffer), !this.BigEndian);
    return this.PutData(bytes);
  }

  /** One write: the uint32 length, then the payload. */
  private putSized(payload: Uint8Array): Error {
    const bytes = new Uint8Array(4 + payload.length);
    new DataView(bytes.buffer).setUint32(0, payload.length, !this.BigEndian);
    bytes.set(payload, 4);
    return this.PutData(bytes);
  }

  private getFixed<T>(size: number, read: (view: DataView, littleEndian: boolean) => T, fallback: T): T {
    const [error, bytes] = this.GetData(size);
    if (error !== Error.Ok) return fallback;
    return read(new DataView(bytes.buffer, bytes.byteOffset, size), !this.BigEndian);
  }

  /**
   * `bytes` bytes, or (bytes < 0) an int32 length and that many bytes, taken together once all
   * have arrived; null before (nothing taken). A negative length is taken and refused, as Godot does.
   */
  private takeSized(bytes: number): Uint8Array | null {
    if (bytes >= 0) {
      const [error, data] = this.GetData(bytes);
      return error === Error.Ok ? data : null;
    }
    const pipe = this.readyPipe();
    if (!pipe || pipe.bufferedBytes < 4) {
      this.GetData(4); // what GetData reports: not ready, end of stream, or not there yet
      return null;
    }
    const header = pipe.peek(4);
    const length = new DataView(header.buffer, header.byteOffset, 4).getInt32(0, !this.BigEndian);
    if (length < 0) {
      this.GetData(4);
      return null;
    }
    const [error, data] = this.GetData(4 + length);
    if (error !== Error.Ok) return null;
    return data.subarray(4);
  }

  private readyPipe(): SocketPipe | null {
    return this.isReady ? this.pipe : null;
  }

  /** With nothing buffered: FileEof after the peer's FIN, Failed after an error, else Ok. */
  private readEnded(pipe: SocketPipe): Error {
    const error = pipe.failed ? Error.Failed : pipe.ended ? Error.FileEof : Error.Ok;
    if (error !== Error.Ok) this.onReadEnd(error);
    return error;
  }
}

registerGodotClass(StreamPeer, {
  name: 'StreamPeer',
  methods: {
    put_data: 'PutData',
    put_partial_data: 'PutPartialData',
    get_data: 'GetData',
    get_partial_data: 'GetPartialData',
    get_available_bytes: 'GetAvailableBytes',
    is_big_endian_enabled: 'get:BigEndian',
    set_big_endian: 'set:BigEndian',
    put_8: 'Put8',
    put_u8: 'PutU8',
    put_16: 'Put16',
    put_u16: 'PutU16',
    put_32: 'Put32',
    put_u32: 'PutU32',
    put_64: 'Put64',
    put_u64: 'PutU64',
    put_half: 'PutHalf',
    put_float: 'PutFloat',
    put_double: 'PutDouble',
    put_string: 'PutString',
    put_utf8_string: 'PutUtf8String',
    put_var: 'PutVar',
    get_8: 'Get8',
    get_u8: 'GetU8',
    get_16: 'Get16',
    get_u16: 'GetU16',
    get_32: 'Get32',
    get_u32: 'GetU32',
    get_64: 'Get64',
    get_u64: 'GetU64',
    get_half: 'GetHalf',
    get_float: 'GetFloat',
    get_double: 'GetDouble',
    get_string: 'GetString',
    get_utf8_string: 'GetUtf8String',
    get_var: 'GetVar',
  },
  properties: { big_endian: 'BigEndian' },
});

/** An integral number or a bigint, as a bigint; TypeError otherwise. */
function checkInt64(name: string, value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  throw new TypeError(`${name}: expected an integer or a bigint, got ${describe(value)}`);
}

/** Any number, NaN and infinities included (they are floats too). */
function checkFloat(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name}: expected a number, got ${describe(value)}`);
}
