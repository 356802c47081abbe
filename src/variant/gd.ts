/**
 * `GD`: the Variant (de)serialization helpers of Godot's C# `GD` class (`var_to_bytes`,
 * `bytes_to_var` and their `_with_objects` variants in GDScript). Like Godot they return an empty
 * byte array / `null` when the data is bad; a JavaScript value that has no Variant representation
 * is a wrong argument type and throws TypeError. The optional `format` (3 or 4, default 4) selects
 * the Godot 3 or Godot 4 binary layout.
 */
import { Error } from '../core/error.js';
import { decodeVariant, encodeVariantWithReason, type VariantFormat } from './index.js';
import type { Variant, VariantInput } from './variant-value.js';
import { checkVariantFormat } from './variant-type.js';

function checkFormat(format: unknown): asserts format is VariantFormat {
  checkVariantFormat('format', format);
}

function toBytes(value: VariantInput, fullObjects: boolean, format: VariantFormat): Uint8Array {
  checkFormat(format);
  const { error, bytes, reason } = encodeVariantWithReason(value, { fullObjects, format });
  if (error === Error.InvalidParameter) throw new TypeError(reason);
  return bytes;
}

function toVar(bytes: Uint8Array, allowObjects: boolean, format: VariantFormat): Variant {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  checkFormat(format);
  return decodeVariant(bytes, { allowObjects, format }).value;
}

export class GD {
  private constructor() {}

  /** Encodes a value; objects travel as instance ids. Empty on failure (e.g. nesting over 1024). */
  static VarToBytes(value: VariantInput, format: VariantFormat = 4): Uint8Array {
    return toBytes(value, false, format);
  }

  /** Encodes a value; `EncodedObject`s travel in full (class name and properties). */
  static VarToBytesWithObjects(value: VariantInput, format: VariantFormat = 4): Uint8Array {
    return toBytes(value, true, format);
  }

  /** Decodes a value; `null` if the bytes are invalid or hold an object sent in full. */
  static BytesToVar(bytes: Uint8Array, format: VariantFormat = 4): Variant {
    return toVar(bytes, false, format);
  }

  /** Decodes a value, accepting objects sent in full (as `EncodedObject` data; nothing is instantiated). */
  static BytesToVarWithObjects(bytes: Uint8Array, format: VariantFormat = 4): Variant {
    return toVar(bytes, true, format);
  }
}
