/**
 * Godot containers that JavaScript's Array, Map and typed arrays cannot express by themselves:
 * typed Arrays/Dictionaries (Godot 4.3/4.4) and the packed arrays of strings, vectors and colors.
 * Untyped Arrays are plain JS arrays and untyped Dictionaries plain Maps.
 */
import type { Color, Vector2, Vector3, Vector4 } from './math-types.js';
import { VariantType } from './variant-type.js';

/**
 * The declared element (or key/value) type of a typed container, as it travels:
 * a built-in type (`VariantType.Int`), a native class (`{ className: 'Node' }`) or a script
 * (`{ script: 'res://enemy.gd' }`). `VariantType.Nil` means untyped.
 */
export type ContainerType = VariantType | { className: string } | { script: string };

/**
 * A typed Godot Array (`Array[int]`, `Array[Node]`), as Godot 4.3+ sends it. Elements are not
 * checked against the type: the type is carried as data, in both directions.
 * `map`/`filter`/`slice` return plain arrays.
 */
export class TypedArray<T = unknown> extends Array<T> {
  elementType: ContainerType;

  constructor(elementType: ContainerType, items: Iterable<T> = []) {
    super();
    this.elementType = elementType;
    for (const item of items) this.push(item);
  }

  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/**
 * A typed Godot Dictionary (`Dictionary[String, int]`), as Godot 4.4+ sends it. Either side may
 * be `VariantType.Nil` (untyped). Entries are not checked against the types.
 */
export class TypedDictionary<K = unknown, V = unknown> extends Map<K, V> {
  keyType: ContainerType;
  valueType: ContainerType;

  constructor(keyType: ContainerType, valueType: ContainerType, entries: Iterable<readonly [K, V]> = []) {
    super(entries);
    this.keyType = keyType;
    this.valueType = valueType;
  }
}

/**
 * Packed arrays without a JS typed-array twin are Array subclasses, so they build like arrays
 * (`PackedStringArray.from(['a', 'b'])`, `PackedVector2Array.of(v1, v2)`) and their
 * `map`/`filter`/`slice` return plain arrays.
 */
export class PackedStringArray extends Array<string> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/** `doublePrecision` (FLAG_64) belongs to the array; the elements' own flags are ignored. */
export class PackedVector2Array extends Array<Vector2> {
  declare doublePrecision: boolean;
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

export class PackedVector3Array extends Array<Vector3> {
  declare doublePrecision: boolean;
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/** Godot 4.3+. */
export class PackedVector4Array extends Array<Vector4> {
  declare doublePrecision: boolean;
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/** Always single precision on the wire. */
export class PackedColorArray extends Array<Color> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

for (const type of [PackedVector2Array, PackedVector3Array, PackedVector4Array]) {
  type.prototype.doublePrecision = false;
}
