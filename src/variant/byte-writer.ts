/**
 * Growable little-endian output buffer for the Variant encoder. Every reservation is exact, so
 * the size cap is checked before any byte past it is written (Godot's `encode_buffer_max_size`).
 */
import { Error } from '../core/error.js';

/** Thrown inside the encoder only; `encodeVariant` turns it into a returned `Error`. */
export class EncodeFailure {
  /**
   * Where it happened, innermost step first, added by each container on the way out: a string is
   * an object key or property name, n >= 0 an array index, n < 0 Map entry -n - 1.
   */
  readonly path: (string | number)[] = [];

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
let spare: Buffer | undefined;

const STRING_HEADER = 4;

/** Up to this many UTF-16 units a string is encoded by a JS loop (cheaper than a native call). */
const SHORT_STRING = 32;

export class ByteWriter {
  /** A Buffer for its native UTF-8 write; never zero-filled (every byte up to `pos` is written). */
  bytes: Buffer;
  view: DataView;
  pos = 0;
  /** min(capacity, limit): writing up to here needs no check. */
  private room: number;

  constructor(private readonly limit: number) {
    this.bytes = spare ?? Buffer.allocUnsafeSlow(INITIAL_CAPACITY);
    spare = undefined;
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.room = Math.min(this.bytes.length, limit);
  }

  /** Makes room for `count` more bytes, or fails with OutOfMemory past the limit. */
  reserve(count: number): void {
    const needed = this.pos + count;
    if (needed > this.room) {
      if (needed > this.limit) this.overLimit();
      this.grow(needed);
    }
  }

  /**
   * Room for at most `count` (a small worst case, e.g. 3 bytes per UTF-16 unit) that may not all be
   * used; the limit is checked by `checkLimit()` once the real size is known.
   */
  private reserveUpTo(count: number): void {
    const needed = this.pos + count;
    if (needed > this.bytes.length) this.grow(needed);
  }

  private checkLimit(): void {
    if (this.pos > this.limit) this.overLimit();
  }

  private overLimit(): never {
    throw new EncodeFailure(Error.OutOfMemory, `encoded size exceeds ${this.limit} bytes`);
  }

  private grow(needed: number): void {
    const capacity = Math.max(needed, Math.min(this.bytes.length * 2, this.limit));
    const bytes = Buffer.allocUnsafeSlow(capacity);
    this.bytes.copy(bytes, 0, 0, this.pos);
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.room = Math.min(capacity, this.limit);
  }

  /** Two 32-bit words (a header and its 32-bit payload): one room check. */
  wordPair(first: number, second: number): void {
    this.reserve(8);
    const view = this.view;
    view.setUint32(this.pos, first, true);
    view.setInt32(this.pos + 4, second, true);
    this.pos += 8;
  }

  headerF32(header: number, value: number): void {
    this.reserve(8);
    this.view.setUint32(this.pos, header, true);
    this.view.setFloat32(this.pos + 4, value, true);
    this.pos += 8;
  }

  headerF64(header: number, value: number): void {
    this.reserve(12);
    this.view.setUint32(this.pos, header, true);
    this.view.setFloat64(this.pos + 4, value, true);
    this.pos += 12;
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
   * counts one NUL byte after the text (the PackedStringArray element layout). With `header` >= 0
   * the String Variant's header word comes first, under the same room check. Short text is
   * encoded by a JS loop, longer text by Buffer's native UTF-8 writer.
   */
  string(text: string, terminated = false, header = -1): void {
    const length = text.length;
    const extra = terminated ? 1 : 0;
    const short = length <= SHORT_STRING;
    // Short: room for the worst case (3 bytes per UTF-16 unit), the limit checked after writing.
    // Long: the exact size first, so a big string never reserves three times its bytes.
    const byteLength = short ? 0 : Buffer.byteLength(text, 'utf8');
    const words = header >= 0 ? 8 : 4;
    if (short) this.reserveUpTo(words + length * 3 + extra + 3);
    else this.reserve(words + byteLength + extra + ((4 - ((byteLength + extra) % 4)) % 4));
    if (header >= 0) {
      this.view.setUint32(this.pos, header, true);
      this.pos += 4;
    }
    const start = this.pos + 4;
    const written = short ? this.shortUtf8(text, start) : this.bytes.write(text, start, byteLength, 'utf8');
    this.view.setUint32(this.pos, written + extra, true);
    this.pos = start + written;
    if (extra) this.bytes[this.pos++] = 0;
    this.padToFour();
    if (short) this.checkLimit();
  }

  /** A whole String Variant (its header is 4 in both Godot versions): the hot case of `string`. */
  stringVariant(text: string): void {
    const length = text.length;
    if (length > SHORT_STRING) return this.string(text, false, STRING_HEADER);
    this.reserveUpTo(12 + length * 3); // header, length, worst-case UTF-8, a zero word of padding
    const view = this.view;
    const at = this.pos;
    view.setUint32(at, STRING_HEADER, true);
    const byteLength = this.shortUtf8(text, at + 8);
    view.setUint32(at + 4, byteLength, true);
    const end = at + 8 + byteLength;
    view.setUint32(end, 0, true);
    this.pos = (end + 3) & ~3;
    this.checkLimit();
  }

  /**
   * UTF-8 of a short string by a JS loop (cheaper than a native call at this size); a lone
   * surrogate becomes U+FFFD, as Buffer and TextEncoder write it. Returns the byte count.
   */
  private shortUtf8(text: string, start: number): number {
    const bytes = this.bytes;
    let at = start;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code < 0x80) {
        bytes[at++] = code;
      } else if (code < 0x800) {
        bytes[at++] = 0xc0 | (code >> 6);
        bytes[at++] = 0x80 | (code & 0x3f);
      } else {
        if (code >= 0xd800 && code <= 0xdfff) {
          const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
          if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
            i++;
            bytes[at++] = 0xf0 | (code >> 18);
            bytes[at++] = 0x80 | ((code >> 12) & 0x3f);
            bytes[at++] = 0x80 | ((code >> 6) & 0x3f);
            bytes[at++] = 0x80 | (code & 0x3f);
            continue;
          }
          code = 0xfffd;
        }
        bytes[at++] = 0xe0 | (code >> 12);
        bytes[at++] = 0x80 | ((code >> 6) & 0x3f);
        bytes[at++] = 0x80 | (code & 0x3f);
      }
    }
    return at - start;
  }

  private padToFour(): void {
    while (this.pos & 3) this.bytes[this.pos++] = 0;
  }

  /**
   * A copy of the written bytes as a plain Uint8Array; the scratch buffer goes back for the next
   * call. Small results come from Node's Buffer pool, as `Buffer.from` does (so several may share
   * one ArrayBuffer: mind `byteOffset`), large ones get their own ArrayBuffer; neither is zero-filled
   * first, every byte of the result is copied over.
   */
  finish(): Uint8Array {
    const memory = Buffer.allocUnsafe(this.pos);
    this.bytes.copy(memory, 0, 0, this.pos);
    this.release();
    return new Uint8Array(memory.buffer, memory.byteOffset, this.pos);
  }

  /** The written bytes in place, valid until `release()`: for a caller that copies them at once. */
  lend(): Uint8Array {
    return this.bytes.subarray(0, this.pos);
  }

  release(): void {
    if (this.bytes.length <= MAX_RETAINED_CAPACITY) spare = this.bytes;
  }
}
