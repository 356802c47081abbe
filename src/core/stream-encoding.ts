/**
 * Byte encodings of StreamPeer's put_* / get_* helpers, as Godot 4 writes them
 * (core/io/stream_peer.cpp, core/math/math_funcs.h): fixed-width integers and IEEE floats in
 * the stream's byte order, Godot's half-float rounding, and its ASCII string conversion.
 * @internal
 */

const scratch = new DataView(new ArrayBuffer(8));

/**
 * Godot's float → half conversion: the value is first made a 32-bit float, then its mantissa is
 * truncated (not rounded); magnitudes below 2^-14 become +0 (Godot has no half subnormals and
 * drops the sign), 65536 and above become ±infinity, NaN stays NaN.
 */
export function halfBits(value: number): number {
  scratch.setFloat32(0, value);
  const bits = scratch.getUint32(0);
  const sign = (bits >>> 31) << 15;
  const exponent = bits & 0x7f800000;
  const mantissa = bits & 0x007fffff;
  if (exponent >= 0x47800000) {
    const nan = exponent === 0x7f800000 && mantissa !== 0;
    return sign | 0x7c00 | (nan ? 0x3ff : 0);
  }
  if (exponent <= 0x38000000) return 0;
  return sign | ((exponent - 0x38000000) >>> 13) | (mantissa >>> 13);
}

/** A half's value (subnormals included), as Godot's half_to_float. */
export function halfValue(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/**
 * Godot's String.ascii(): one byte per code point; a code point above 0x7F (which Godot reports
 * as an error) becomes a space.
 */
export function asciiBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    out.push(code <= 0x7f ? code : 0x20);
  }
  return Uint8Array.from(out);
}

/** Bytes as Latin-1 text (each byte one character), as Godot reads get_string's bytes. */
export function latin1Text(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}
