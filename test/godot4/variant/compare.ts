// Field-by-field comparison of decoded Variant values, and the one engine quirk the bytes need:
// Godot 4.6 leaves the padding after NodePath names uninitialised.

import { GodotFloat, TypedArray, TypedDictionary, type ContainerType } from '../../../src/variant/index.js';

/**
 * A precise description of a decoded value: class names, field order, -0 vs 0, NaN, bigint vs
 * number, Map order, typed-container types and doublePrecision flags all show. With `maskIds`,
 * object ids, signal owner ids and RIDs read "*" (they change every engine run).
 */
export function canon(value: unknown, maskIds = false): string {
  const c = (v: unknown): string => canon(v, maskIds);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'string':
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      return `?${typeof value}`;
  }
  if (value instanceof GodotFloat) return `float(${c(value.value)})`;
  const name = value.constructor?.name ?? 'Object';
  if (value instanceof Map) {
    const types = value instanceof TypedDictionary ? `<${containerType(value.keyType)}, ${containerType(value.valueType)}>` : '';
    return `${name}${types}{${[...value].map(([k, v]) => `${c(k)}: ${c(v)}`).join(', ')}}`;
  }
  if (Array.isArray(value)) {
    const types = value instanceof TypedArray ? `<${containerType(value.elementType)}>` : '';
    const double = (value as { doublePrecision?: boolean }).doublePrecision ? ' f64' : '';
    return `${name}${types}${double}[${value.map(c).join(', ')}]`;
  }
  if (ArrayBuffer.isView(value)) {
    return `${name}[${Array.from(value as unknown as ArrayLike<number | bigint>, c).join(', ')}]`;
  }
  const fields = Object.keys(value).map((key) => {
    const field = (value as Record<string, unknown>)[key];
    const masked = maskIds && (key === 'objectId' || (name === 'Rid' && key === 'id'));
    return `${key}=${masked ? '*' : c(field)}`;
  });
  return `${name}(${fields.join(', ')})`;
}

function containerType(type: ContainerType): string {
  return typeof type === 'number' ? String(type) : JSON.stringify(type);
}

/** A copy of Godot 4 Variant bytes with the padding after every NodePath name set to zero. */
export function zeroNodePathPadding(input: Uint8Array): Uint8Array {
  const bytes = Uint8Array.from(input);
  const view = new DataView(bytes.buffer);
  let pos = 0;
  const u32 = () => {
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const text = (zeroPadding: boolean) => {
    const length = u32();
    const padding = (4 - (length % 4)) % 4;
    if (zeroPadding) bytes.fill(0, pos + length, pos + length + padding);
    pos += length + padding;
    return length;
  };
  const typeBlock = (kind: number) => {
    if (kind === 1) pos += 4;
    else if (kind >= 2) text(false);
  };
  // Fixed payload sizes in 4-byte words (reals double with FLAG_64), by type id.
  const REALS: Record<number, number> = { 5: 2, 7: 4, 9: 3, 11: 6, 12: 4, 14: 4, 15: 4, 16: 6, 17: 9, 18: 12, 19: 16 };
  const INTS: Record<number, number> = { 1: 1, 6: 2, 8: 4, 10: 3, 13: 4, 20: 4, 23: 2 };
  const value = (): void => {
    const header = u32();
    const type = header & 0xff;
    const wide = (header >>> 16) & 1;
    if (type in REALS) pos += REALS[type]! * (wide ? 8 : 4);
    else if (type in INTS) pos += INTS[type]! * 4;
    else {
      switch (type) {
        case 0:
        case 25:
          return;
        case 2:
        case 3:
          pos += wide ? 8 : 4;
          return;
        case 4:
        case 21:
          text(false);
          return;
        case 22: {
          const names = u32() & 0x7fffffff;
          let subnames = u32();
          if (u32() & 2) subnames++;
          for (let i = 0; i < names + subnames; i++) text(true);
          return;
        }
        case 24: {
          if (wide) {
            pos += 8;
            return;
          }
          if (text(false) === 0) return;
          const count = u32();
          for (let i = 0; i < count; i++) {
            text(false);
            value();
          }
          return;
        }
        case 26:
          text(false);
          pos += 8;
          return;
        case 27: {
          typeBlock((header >>> 16) & 3);
          typeBlock((header >>> 18) & 3);
          const count = u32() & 0x7fffffff;
          for (let i = 0; i < count * 2; i++) value();
          return;
        }
        case 28: {
          typeBlock((header >>> 16) & 3);
          const count = u32() & 0x7fffffff;
          for (let i = 0; i < count; i++) value();
          return;
        }
        case 29: {
          const count = u32();
          pos += count + ((4 - (count % 4)) % 4);
          return;
        }
        case 34: {
          const count = u32();
          for (let i = 0; i < count; i++) text(false);
          return;
        }
        default: {
          const size: Record<number, number> = { 30: 4, 31: 8, 32: 4, 33: 8, 35: 8, 36: 12, 37: 16, 38: 16 };
          const count = u32();
          const element = size[type]! * (wide && type !== 37 && type >= 35 ? 2 : 1);
          pos += count * element;
        }
      }
    }
  };
  value();
  return bytes;
}
