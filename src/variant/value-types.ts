/**
 * Variant types that JavaScript has no exact primitive for: an integral float, StringName,
 * NodePath, RID, Callable, Signal and the two wire forms of an Object.
 */

/**
 * A Godot FLOAT whose value is a whole number (`1.0`, `-0.0`, `1e20`). A plain JS number that is an
 * integer encodes as INT, so the decoder returns whole-number floats wrapped in this class to keep
 * INT and FLOAT apart; wrap a number yourself to send `1.0`. Other floats (0.5, NaN, Infinity)
 * decode to plain numbers. Arithmetic and `<`/`>` work through `valueOf()`; `===` does not (use
 * `.value`), and `JSON.stringify` writes the number.
 */
export class GodotFloat {
  constructor(public value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return String(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

const INT64_MIN_NUMBER = -(2 ** 63);
const INT64_LIMIT_NUMBER = 2 ** 63;

/** Whether a plain number encodes as INT (else FLOAT): an integer in the int64 range, except -0. */
export function isIntegralNumber(value: number): boolean {
  return Number.isInteger(value) && !Object.is(value, -0) && value >= INT64_MIN_NUMBER && value < INT64_LIMIT_NUMBER;
}

/** Godot's interned string; a distinct Variant type from String (`&"name"` in GDScript). */
export class StringName {
  constructor(public value = '') {}
  toString(): string {
    return this.value;
  }
}

/**
 * A node path as Godot stores it: node names, property subnames and whether it starts at the root.
 * `new NodePath('/root/Player:position:x')` splits the text the way Godot's parser does for plain
 * paths (`/` between names, `:` before each subname, empty names skipped).
 */
export class NodePath {
  names: string[];
  subnames: string[];
  absolute: boolean;

  constructor(path = '') {
    this.absolute = path.startsWith('/');
    const colon = path.indexOf(':');
    const namePart = colon < 0 ? path : path.slice(0, colon);
    this.names = namePart.split('/').filter((name) => name !== '');
    this.subnames = colon < 0 ? [] : path.slice(colon + 1).split(':').filter((name) => name !== '');
  }

  static fromParts(names: string[], subnames: string[], absolute: boolean): NodePath {
    const path = new NodePath();
    path.names = names;
    path.subnames = subnames;
    path.absolute = absolute;
    return path;
  }

  toString(): string {
    const subnames = this.subnames.map((name) => ':' + name).join('');
    return (this.absolute ? '/' : '') + this.names.join('/') + subnames;
  }
}

/** A resource id (u64). Godot 3 sends no payload for RIDs, so they decode with id 0. */
export class Rid {
  constructor(public id: bigint = 0n) {}
}

/** Godot transmits no data for a Callable: it always arrives empty. */
export class Callable {
  /** Type-only: an empty class would match every object in TypeScript (so Variant would too). */
  private declare readonly callableBrand: void;
}

/** A signal: its name and the instance id of the object that owns it. */
export class Signal {
  constructor(
    public name = '',
    public objectId: bigint = 0n,
  ) {}
}

/**
 * An object sent by instance id (the default when objects are not sent in full): Godot's
 * `EncodedObjectAsID`. It always encodes back to the same id form.
 */
export class EncodedObjectAsId {
  constructor(public objectId: bigint) {}
}

/**
 * An object sent in full (`put_var(obj, true)`): its class name and stored properties, in order.
 * Nothing is instantiated; the properties are plain decoded values (`script` is a `res://` path
 * String or null). It decodes only with `allowObjects` and encodes only with `fullObjects`
 * (without it there is no instance id to send, so encoding fails with InvalidParameter).
 */
export class EncodedObject {
  constructor(
    public className: string,
    public properties = new Map<string, unknown>(),
  ) {}
}
