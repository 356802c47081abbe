/**
 * Godot's math value types as small data classes with Godot's field names (GDScript spelling,
 * C# type names). They carry data only: no math methods, so nothing here can drift from Godot.
 *
 * Types whose components are `real_t` in Godot (Vector2, Rect2, Vector3, Transform2D, Vector4,
 * Plane, Quaternion, Aabb, Basis, Transform3D, Projection) have a `doublePrecision` flag: `true`
 * when the value came from (or must go to) a double-precision Godot build, which sets FLAG_64 and
 * writes 64-bit floats. It defaults to `false` on the prototype, so ordinary values print and
 * compare as plain `{ x, y }`; the decoder sets it as an own property only when FLAG_64 was present.
 * In a value nested inside another (Rect2.position) only the outer value's flag counts.
 */

export class Vector2 {
  declare doublePrecision: boolean;
  constructor(
    public x = 0,
    public y = 0,
  ) {}
}

export class Vector2I {
  constructor(
    public x = 0,
    public y = 0,
  ) {}
}

export class Vector3 {
  declare doublePrecision: boolean;
  constructor(
    public x = 0,
    public y = 0,
    public z = 0,
  ) {}
}

export class Vector3I {
  constructor(
    public x = 0,
    public y = 0,
    public z = 0,
  ) {}
}

export class Vector4 {
  declare doublePrecision: boolean;
  constructor(
    public x = 0,
    public y = 0,
    public z = 0,
    public w = 0,
  ) {}
}

export class Vector4I {
  constructor(
    public x = 0,
    public y = 0,
    public z = 0,
    public w = 0,
  ) {}
}

export class Rect2 {
  declare doublePrecision: boolean;
  constructor(
    public position = new Vector2(),
    public size = new Vector2(),
  ) {}
}

export class Rect2I {
  constructor(
    public position = new Vector2I(),
    public size = new Vector2I(),
  ) {}
}

/** Columns `x`, `y` and `origin`, as Godot's Transform2D; the default is the identity. */
export class Transform2D {
  declare doublePrecision: boolean;
  constructor(
    public x = new Vector2(1, 0),
    public y = new Vector2(0, 1),
    public origin = new Vector2(),
  ) {}
}

export class Plane {
  declare doublePrecision: boolean;
  constructor(
    public normal = new Vector3(),
    public d = 0,
  ) {}
}

/** The default is the identity rotation (0, 0, 0, 1), as in Godot. */
export class Quaternion {
  declare doublePrecision: boolean;
  constructor(
    public x = 0,
    public y = 0,
    public z = 0,
    public w = 1,
  ) {}
}

export class Aabb {
  declare doublePrecision: boolean;
  constructor(
    public position = new Vector3(),
    public size = new Vector3(),
  ) {}
}

/**
 * Columns `x`, `y`, `z` (Godot's `Basis.x/y/z` properties); the default is the identity.
 * The wire format is row-major, so the codec transposes: row 0 is (x.x, y.x, z.x).
 */
export class Basis {
  declare doublePrecision: boolean;
  constructor(
    public x = new Vector3(1, 0, 0),
    public y = new Vector3(0, 1, 0),
    public z = new Vector3(0, 0, 1),
  ) {}
}

export class Transform3D {
  declare doublePrecision: boolean;
  constructor(
    public basis = new Basis(),
    public origin = new Vector3(),
  ) {}
}

/** Columns `x`, `y`, `z`, `w` (Godot's Projection); the default is the identity. */
export class Projection {
  declare doublePrecision: boolean;
  constructor(
    public x = new Vector4(1, 0, 0, 0),
    public y = new Vector4(0, 1, 0, 0),
    public z = new Vector4(0, 0, 1, 0),
    public w = new Vector4(0, 0, 0, 1),
  ) {}
}

/** Always single precision on the wire, in every build. The default is opaque black, as in Godot. */
export class Color {
  constructor(
    public r = 0,
    public g = 0,
    public b = 0,
    public a = 1,
  ) {}
}

for (const type of [Vector2, Vector3, Vector4, Rect2, Transform2D, Plane, Quaternion, Aabb, Basis, Transform3D, Projection]) {
  type.prototype.doublePrecision = false;
}
