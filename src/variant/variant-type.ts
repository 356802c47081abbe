/**
 * Godot 4's `Variant.Type` (C# member names, Godot 4 numbers from `core/variant/variant.h`), and the
 * Godot 3 wire ids, which differ from type 6 on (see `variant-binary.md` §3).
 */
export enum VariantType {
  Nil = 0,
  Bool = 1,
  Int = 2,
  Float = 3,
  String = 4,
  Vector2 = 5,
  Vector2I = 6,
  Rect2 = 7,
  Rect2I = 8,
  Vector3 = 9,
  Vector3I = 10,
  Transform2D = 11,
  Vector4 = 12,
  Vector4I = 13,
  Plane = 14,
  Quaternion = 15,
  Aabb = 16,
  Basis = 17,
  Transform3D = 18,
  Projection = 19,
  Color = 20,
  StringName = 21,
  NodePath = 22,
  Rid = 23,
  Object = 24,
  Callable = 25,
  Signal = 26,
  Dictionary = 27,
  Array = 28,
  PackedByteArray = 29,
  PackedInt32Array = 30,
  PackedInt64Array = 31,
  PackedFloat32Array = 32,
  PackedFloat64Array = 33,
  PackedStringArray = 34,
  PackedVector2Array = 35,
  PackedVector3Array = 36,
  PackedColorArray = 37,
  PackedVector4Array = 38,
  Max = 39,
}

/** Godot major version of the peer. No marker in the bytes tells the two formats apart. */
export type VariantFormat = 3 | 4;

/**
 * Throws TypeError unless `value` is 3 or 4. The type is the union 3 | 4, so anything else ('3',
 * 5, null) is a wrong type, refused at once: kept, it would make every later GetVar/PutVar fail
 * far from the mistake.
 */
export function checkVariantFormat(what: string, value: unknown): asserts value is VariantFormat {
  if (value !== 3 && value !== 4) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    throw new TypeError(`${what} must be 3 or 4 (the Godot major version of the peer), not ${shown}`);
  }
}

/** Godot 3 wire id → the Godot 4 type with the same meaning (index = Godot 3 id; 27 types). */
export const GODOT3_TO_TYPE: readonly VariantType[] = [
  VariantType.Nil,
  VariantType.Bool,
  VariantType.Int,
  VariantType.Float, // REAL
  VariantType.String,
  VariantType.Vector2,
  VariantType.Rect2,
  VariantType.Vector3,
  VariantType.Transform2D,
  VariantType.Plane,
  VariantType.Quaternion, // QUAT
  VariantType.Aabb,
  VariantType.Basis,
  VariantType.Transform3D, // TRANSFORM
  VariantType.Color,
  VariantType.NodePath,
  VariantType.Rid, // _RID
  VariantType.Object,
  VariantType.Dictionary,
  VariantType.Array,
  VariantType.PackedByteArray, // POOL_BYTE_ARRAY
  VariantType.PackedInt32Array, // POOL_INT_ARRAY
  VariantType.PackedFloat32Array, // POOL_REAL_ARRAY
  VariantType.PackedStringArray,
  VariantType.PackedVector2Array,
  VariantType.PackedVector3Array,
  VariantType.PackedColorArray,
];

/** Godot 4 type → Godot 3 wire id, or -1 where Godot 3 has no such type. */
export const TYPE_TO_GODOT3: readonly number[] = (() => {
  const table = new Array<number>(VariantType.Max).fill(-1);
  GODOT3_TO_TYPE.forEach((type, godot3Id) => (table[type] = godot3Id));
  return table;
})();
