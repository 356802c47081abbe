/**
 * Growable little-endian output buffer for the Variant encoder. Every reservation is exact, so
 * the size cap is checked before any byte past it is written (Godot's `encode_buffer_max_size`).
 */
import { Error } from '../core/error.js';

/** Thrown inside the encoder only; `encodeVariant` turns it into a returned `Error`. */
export class EncodeFailure {
  constructor(
    readonly error: Error,
    readonly reason: string,
  ) {}
}

/** Godot measures encoded sizes in an `int`. */
export const MAX_ENCODED_SIZE = 0x7fffffff;

const INITIAL_CAPACITY = 4096;
/** A scratch buffer grown past this is dropped after the call instead of being kept. */
const MAX_RETAINED_CAPACITY = 1 << 20;

/** One buffer reused across calls, like Godot's cached encode buffer; taken while in use. */
let spare: Uint8Array | undefined;

const utf8Encoder = new TextEncoder();

export class ByteWriter {
  bytes: Uint8Array;
  view: DataView;
  pos = 0;
  /** min(capacity, limit): writing up to here needs no check. */
  private room: number;

  constructor(private readonly limit: number) {
    this.bytes = spare ?? new Uint8Array(INITIAL_CAPACITY);
    spare = undefined;
    this.view = new DataView(this.bytes.buffer);
    this.room = Math.min(this.bytes.length, limit);
  }

  /** Makes room for `count` more bytes, or fails with OutOfMemory past the limit. */
  reserve(count: number): void {
    const needed = this.pos + count;
    if (needed > this.room) this.grow(needed);
  }

  private grow(needed: number): void {
    if (needed > this.limit) {
      throw new EncodeFailure(Error.OutOfMemory, `encoded size exceeds ${this.limit} bytes`);
    }
    const capacity = Math.min(Math.max(needed, this.bytes.length * 2), this.limit);
    const bytes = new Uint8Array(capacity);
    bytes.set(this.bytes.subarray(0, this.pos));
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer);
    this.room = capacity;
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.pos, value, true);
    this.pos += 4;
  }

  i32(value: number): void {
    this.reserve(4);
    this.view.setInt32(this.pos, value, true);
    this.pos += 4;
  }

  u64(value: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.pos, value, true);
    this.pos += 8;
  }

  i64(value: bigint): void {
    this.reserve(8);
    this.view.setBigInt64(this.pos, value, true);
    this.pos += 8;
  }

  f32(value: number): void {
    this.reserve(4);
    this.view.setFloat32(this.pos, value, true);
    this.pos += 4;
  }

  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** Raw bytes followed by zero padding to the next multiple of 4. */
  paddedBytes(data: Uint8Array): void {
    this.reserve(data.length + ((4 - (data.length % 4)) % 4));
    this.bytes.set(data, this.pos);
    this.pos += data.length;
    this.padToFour();
  }

  /**
   * A string block: u32 byte length, UTF-8 bytes, zero padding. With `terminated` the length
   * counts one NUL byte after the text (the PackedStringArray element layout).
   * ASCII text is copied in one pass; the first non-ASCII character restarts with the encoder.
   */
  string(text: string, terminated = false): void {
    const length = text.length;
    const extra = terminated ? 1 : 0;
    this.reserve(4 + length + extra + ((4 - ((length + extra) % 4)) % 4));
    const bytes = this.bytes;
    const start = this.pos + 4;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) return this.utf8String(text, extra);
      bytes[start + i] = code;
    }
    this.view.setUint32(this.pos, length + extra, true);
    this.pos = start + length;
    if (terminated) bytes[this.pos++] = 0;
    this.padToFour();
  }

  private utf8String(text: string, extra: number): void {
    const byteLength = Buffer.byteLength(text, 'utf8');
    const declared = byteLength + extra;
    this.reserve(4 + declared + ((4 - (declared % 4)) % 4));
    this.view.setUint32(this.pos, declared, true);
    this.pos += 4;
    utf8Encoder.encodeInto(text, this.bytes.subarray(this.pos, this.pos + byteLength));
    this.pos += byteLength;
    if (extra) this.bytes[this.pos++] = 0;
    this.padToFour();
  }

  private padToFour(): void {
    while (this.pos & 3) this.bytes[this.pos++] = 0;
  }

  /** A copy of the written bytes; the scratch buffer goes back for the next call. */
  finish(): Uint8Array {
    const result = this.bytes.slice(0, this.pos);
    this.release();
    return result;
  }

  release(): void {
    if (this.bytes.length <= MAX_RETAINED_CAPACITY) spare = this.bytes;
  }
}
