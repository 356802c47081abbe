/**
 * The TypeScript types of Variant values: `Variant` is everything GetVar, GD.BytesToVar and
 * decodeVariant can return (narrow it with `instanceof` / `typeof`); `VariantInput` is everything
 * PutVar, GD.VarToBytes and encodeVariant take (a Variant, `undefined` as null, plain objects as
 * Dictionaries with String keys, read-only containers). Types only: no code.
 */
import type { PackedColorArray, PackedStringArray, PackedVector2Array, PackedVector3Array, PackedVector4Array, TypedArray, TypedDictionary } from './containers.js';
import type {
  Aabb, Basis, Color, Plane, Projection, Quaternion, Rect2, Rect2I, Transform2D, Transform3D, Vector2, Vector2I, Vector3, Vector3I, Vector4, Vector4I,
} from './math-types.js';
import type { Callable, EncodedObject, EncodedObjectAsId, GodotFloat, NodePath, Rid, Signal, StringName } from './value-types.js';

/** Godot's math value types as this package's classes. */
export type VariantMath =
  | Vector2 | Vector2I | Rect2 | Rect2I | Vector3 | Vector3I | Transform2D | Vector4 | Vector4I
  | Plane | Quaternion | Aabb | Basis | Transform3D | Projection | Color;

/** Godot's packed arrays: JavaScript's typed arrays where one fits, Array subclasses otherwise. */
export type VariantPacked =
  | Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array
  | PackedStringArray | PackedVector2Array | PackedVector3Array | PackedVector4Array | PackedColorArray;

/**
 * A decoded Variant: nil `null`, bool, int (`number`, `bigint` beyond 2^53 - 1), float (`number`,
 * or `GodotFloat` for a whole value), String, the math types, StringName, NodePath, RID, Callable,
 * Signal, Object (`null`, `EncodedObjectAsId`, `EncodedObject`), Dictionary (`Map`,
 * `TypedDictionary`), Array (JS array, `TypedArray`) and the packed arrays.
 */
export type Variant =
  | null | boolean | number | bigint | string
  | GodotFloat | StringName | NodePath | Rid | Callable | Signal | EncodedObjectAsId | EncodedObject
  | VariantMath | VariantPacked
  | Variant[] | Map<Variant, Variant> | TypedArray<Variant> | TypedDictionary<Variant, Variant>;

/**
 * What can be encoded: any Variant, `undefined` (sent as nil), plain objects (sent as a Dictionary
 * with String keys, in key order) and read-only arrays and maps, at any depth. An object type
 * declared with `interface` has no index signature in TypeScript: declare it with `type` to pass it.
 */
export type VariantInput =
  | Variant | undefined
  | readonly VariantInput[] | ReadonlyMap<VariantInput, VariantInput>
  | { readonly [key: string]: VariantInput };
