// The Variant corpus both sides build: each entry is a GDScript expression the engine evaluates
// and the JavaScript value it must decode to (and that our encoder turns into the same bytes).
// GDScript helpers used in the expressions (negz, thing, eoid, ...) are in corpus-runner.gd.

import {
  Aabb, Basis, Callable, Color, EncodedObject, EncodedObjectAsId, GodotFloat, NodePath,
  PackedColorArray, PackedStringArray, PackedVector2Array, PackedVector3Array, PackedVector4Array,
  Plane, Projection, Quaternion, Rect2, Rect2I, Rid, Signal, StringName, Transform2D, Transform3D,
  TypedArray, TypedDictionary, VariantType as T, Vector2, Vector2I, Vector3, Vector3I, Vector4, Vector4I,
} from '../../../src/variant/index.js';

export interface CorpusEntry {
  readonly name: string;
  /** A GDScript expression (evaluated in corpus-runner.gd). */
  readonly gd: string;
  /** What it decodes to in JavaScript; our encoder must write the engine's bytes from it. */
  readonly js: unknown;
  /** var_to_bytes_with_objects / bytes_to_var_with_objects instead of the plain ones. */
  readonly objects?: boolean;
  /**
   * The value holds engine-made ids that change every run (object instance ids): only the
   * engine → ours direction runs, ids masked; `toEngine: false` as well.
   */
  readonly runIds?: boolean;
  /** Our bytes go to the engine only (the engine cannot build this value itself). */
  readonly fromEngine?: boolean;
  /**
   * Where Godot's own round trip (its bytes_to_var of its var_to_bytes) does not give the value
   * back, and ours then behaves the same: 'class' = a typed container's class becomes
   * EncodedObjectAsID without objects; 'id' = an EncodedObjectAsID re-encodes as the id of the
   * wrapper object itself; 'script' = bytes_to_var_with_objects drops a typed Dictionary's
   * script type (4.6; an Array's script type survives).
   */
  readonly godotLoses?: 'class' | 'id' | 'script';
}

const f = Math.fround;
const float = (v: number) => new GodotFloat(v);
const typedArray = (type: T | { className: string } | { script: string }, items: unknown[]) => new TypedArray(type, items);
const map = (entries: [unknown, unknown][]) => new Map(entries);

/** A placeholder for an id that changes every run (compared masked). */
export const RUN_ID = 0n;

export const CORPUS: readonly CorpusEntry[] = [
  // nil, bool
  { name: 'nil', gd: 'null', js: null },
  { name: 'true', gd: 'true', js: true },
  { name: 'false', gd: 'false', js: false },

  // int: 32-bit unless it needs 64
  { name: 'int 0', gd: '0', js: 0 },
  { name: 'int -1', gd: '-1', js: -1 },
  { name: 'int32 max', gd: '2147483647', js: 2147483647 },
  { name: 'int32 min', gd: '-2147483648', js: -2147483648 },
  { name: 'int 2^31', gd: '2147483648', js: 2147483648 },
  { name: 'int -2^31-1', gd: '-2147483649', js: -2147483649 },
  { name: 'int 2^53-1', gd: '9007199254740991', js: 9007199254740991 },
  { name: 'int 2^53', gd: '9007199254740992', js: 9007199254740992n },
  { name: 'int64 max', gd: '9223372036854775807', js: 9223372036854775807n },
  { name: 'int64 min', gd: '-9223372036854775807 - 1', js: -9223372036854775808n },

  // float: f32 when exact, else f64; whole numbers come back as GodotFloat
  { name: 'float 0.0', gd: '0.0', js: float(0) },
  { name: 'float -0.0', gd: 'negz()', js: float(-0) },
  { name: 'float 1.0', gd: '1.0', js: float(1) },
  { name: 'float 0.5', gd: '0.5', js: 0.5 },
  { name: 'float -2.75', gd: '-2.75', js: -2.75 },
  { name: 'float 0.1 (f64)', gd: '0.1', js: 0.1 },
  { name: 'float 1e300', gd: '1e300', js: float(1e300) },
  { name: 'float -1e-300', gd: '-1e-300', js: -1e-300 },
  // GDScript's literal parser is not correctly rounded (3.4028234663852886e38 reads as ...289e38): compute it
  { name: 'float f32 max', gd: 'pow(2.0, 127) * (2.0 - pow(2.0, -23))', js: float(3.4028234663852886e38) },
  { name: 'float f32 denormal', gd: '1.401298464324817e-45', js: 1.401298464324817e-45 },
  { name: 'float 2^24', gd: '16777216.0', js: float(16777216) },
  { name: 'float 2^24+1 (f64)', gd: '16777217.0', js: float(16777217) },
  { name: 'float 2^53 (f32)', gd: '9007199254740992.0', js: float(9007199254740992) },
  { name: 'float 1e20', gd: '1e20', js: float(1e20) },
  { name: 'float inf', gd: 'INF', js: Infinity },
  { name: 'float -inf', gd: '-INF', js: -Infinity },
  { name: 'float nan', gd: 'NAN', js: NaN },

  // String: every padding length, unicode
  { name: 'string empty', gd: '""', js: '' },
  { name: 'string 1', gd: '"a"', js: 'a' },
  { name: 'string 2', gd: '"ab"', js: 'ab' },
  { name: 'string 3', gd: '"abc"', js: 'abc' },
  { name: 'string 4', gd: '"abcd"', js: 'abcd' },
  { name: 'string 5', gd: '"abcde"', js: 'abcde' },
  { name: 'string unicode', gd: '"héllo ✓ 🎮 日本"', js: 'héllo ✓ 🎮 日本' },
  { name: 'string controls', gd: '"tab\\tnew\\nline\\r\\"q\\" \\\\"', js: 'tab\tnew\nline\r"q" \\' },

  // math types (real_t = float in the standard template: f32)
  { name: 'Vector2', gd: 'Vector2(1.5, -2.25)', js: new Vector2(1.5, -2.25) },
  { name: 'Vector2 f32 rounding', gd: 'Vector2(0.1, 1e-3)', js: new Vector2(f(0.1), f(1e-3)) },
  { name: 'Vector2 edges', gd: 'Vector2(negz(), NAN)', js: new Vector2(-0, NaN) },
  { name: 'Vector2i', gd: 'Vector2i(1, -2)', js: new Vector2I(1, -2) },
  { name: 'Vector2i extremes', gd: 'Vector2i(2147483647, -2147483648)', js: new Vector2I(2147483647, -2147483648) },
  { name: 'Rect2', gd: 'Rect2(1, 2, 3.5, -4)', js: new Rect2(new Vector2(1, 2), new Vector2(3.5, -4)) },
  { name: 'Rect2i', gd: 'Rect2i(-1, 2, 30, 40)', js: new Rect2I(new Vector2I(-1, 2), new Vector2I(30, 40)) },
  { name: 'Vector3', gd: 'Vector3(INF, -INF, 0.25)', js: new Vector3(Infinity, -Infinity, 0.25) },
  { name: 'Vector3i', gd: 'Vector3i(7, 8, -9)', js: new Vector3I(7, 8, -9) },
  {
    name: 'Transform2D', gd: 'Transform2D(Vector2(1, 2), Vector2(3, 4), Vector2(5, 6))',
    js: new Transform2D(new Vector2(1, 2), new Vector2(3, 4), new Vector2(5, 6)),
  },
  { name: 'Vector4', gd: 'Vector4(1, -2, 3.5, 0.1)', js: new Vector4(1, -2, 3.5, f(0.1)) },
  { name: 'Vector4i', gd: 'Vector4i(1, -2, 3, -4)', js: new Vector4I(1, -2, 3, -4) },
  { name: 'Plane', gd: 'Plane(Vector3(0, 1, 0), 2.5)', js: new Plane(new Vector3(0, 1, 0), 2.5) },
  { name: 'Quaternion', gd: 'Quaternion(0, 0, 0.5, 0.75)', js: new Quaternion(0, 0, 0.5, 0.75) },
  { name: 'AABB', gd: 'AABB(Vector3(1, 2, 3), Vector3(4, 5, 6))', js: new Aabb(new Vector3(1, 2, 3), new Vector3(4, 5, 6)) },
  {
    name: 'Basis', gd: 'Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9))',
    js: new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9)),
  },
  {
    name: 'Transform3D', gd: 'Transform3D(Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9)), Vector3(10, 11, 12))',
    js: new Transform3D(new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9)), new Vector3(10, 11, 12)),
  },
  {
    name: 'Projection', gd: 'Projection(Vector4(1, 2, 3, 4), Vector4(5, 6, 7, 8), Vector4(9, 10, 11, 12), Vector4(13, 14, 15, 16))',
    js: new Projection(new Vector4(1, 2, 3, 4), new Vector4(5, 6, 7, 8), new Vector4(9, 10, 11, 12), new Vector4(13, 14, 15, 16)),
  },
  { name: 'Color', gd: 'Color(1, 0.5, 0.1, 0.75)', js: new Color(1, 0.5, f(0.1), 0.75) },

  // StringName, NodePath, RID
  { name: 'StringName', gd: '&"player_name"', js: new StringName('player_name') },
  { name: 'StringName empty', gd: '&""', js: new StringName('') },
  { name: 'NodePath absolute', gd: 'NodePath("/root/Main/Player:position:x")', js: new NodePath('/root/Main/Player:position:x') },
  { name: 'NodePath relative', gd: 'NodePath("a/bc")', js: new NodePath('a/bc') },
  { name: 'NodePath parent', gd: 'NodePath("../up/ünï")', js: new NodePath('../up/ünï') },
  { name: 'NodePath subnames only', gd: 'NodePath(":x:yz")', js: new NodePath(':x:yz') },
  { name: 'NodePath empty', gd: 'NodePath("")', js: new NodePath('') },
  { name: 'RID empty', gd: 'RID()', js: new Rid(0n) },
  { name: 'RID id', gd: 'rid_from_int64(1234567890123)', js: new Rid(1234567890123n) },

  // Object, Callable, Signal
  { name: 'Object null', gd: 'null_object()', js: null },
  { name: 'Object freed', gd: 'freed_object()', js: null },
  { name: 'Object as id', gd: 'self', js: new EncodedObjectAsId(RUN_ID), runIds: true },
  { name: 'EncodedObjectAsID to the engine', gd: 'eoid(987654321)', js: new EncodedObjectAsId(987654321n), fromEngine: true, godotLoses: 'id' },
  {
    name: 'Object in full (script)', gd: 'thing()', objects: true,
    js: new EncodedObject('RefCounted', new Map<string, unknown>([['script', 'res://thing.gd'], ['count', 3], ['label', 'x'], ['items', typedArray(T.Int, [1, 2])]])),
  },
  { name: 'Object in full, null', gd: 'null_object()', objects: true, js: null },
  { name: 'Callable', gd: 'Callable(self, "negz")', js: new Callable() },
  { name: 'Callable empty', gd: 'Callable()', js: new Callable() },
  { name: 'Signal', gd: 'Signal(self, "renamed")', js: new Signal('renamed', RUN_ID), runIds: true },
  { name: 'Signal to the engine', gd: 'signal_on(4242, "ready")', js: new Signal('ready', 4242n), fromEngine: true },

  // Dictionary
  { name: 'Dictionary empty', gd: '{}', js: new Map() },
  {
    name: 'Dictionary mixed keys in order',
    gd: '{"b": 1, 2: [3, 4.5], Vector2(1, 2): "vector key", &"sn": null, "nested": {"x": {"y": negz()}}}',
    js: map([['b', 1], [2, [3, 4.5]], [new Vector2(1, 2), 'vector key'], [new StringName('sn'), null], ['nested', map([['x', map([['y', float(-0)]])]])]]),
  },
  { name: 'Dictionary[String, int]', gd: 'Dictionary({"a": 1, "b": 2}, TYPE_STRING, &"", null, TYPE_INT, &"", null)', js: new TypedDictionary(T.String, T.Int, [['a', 1], ['b', 2]]) },
  { name: 'Dictionary[int, Variant]', gd: 'Dictionary({1: "x", 2: null}, TYPE_INT, &"", null, TYPE_NIL, &"", null)', js: new TypedDictionary(T.Int, T.Nil, [[1, 'x'], [2, null]]) },
  { name: 'Dictionary[Variant, float]', gd: 'Dictionary({"k": 1.5}, TYPE_NIL, &"", null, TYPE_FLOAT, &"", null)', js: new TypedDictionary(T.Nil, T.Float, [['k', 1.5]]) },
  // Without objects Godot names every class type EncodedObjectAsID
  {
    name: 'Dictionary[StringName, Node] empty', gd: 'Dictionary({}, TYPE_STRING_NAME, &"", null, TYPE_OBJECT, &"Node", null)',
    js: new TypedDictionary(T.StringName, { className: 'EncodedObjectAsID' }, []), godotLoses: 'class',
  },
  {
    name: 'Dictionary[Node, Thing] empty, objects', gd: 'Dictionary({}, TYPE_OBJECT, &"Node", null, TYPE_OBJECT, &"RefCounted", Thing)', objects: true,
    js: new TypedDictionary({ className: 'Node' }, { script: 'res://thing.gd' }, []), godotLoses: 'script',
  },

  // Array
  { name: 'Array empty', gd: '[]', js: [] },
  { name: 'Array nested', gd: '[1, "two", [3, [4, [5]]], {}, [], null]', js: [1, 'two', [3, [4, [5]]], new Map(), [], null] },
  { name: 'Array[int]', gd: 'Array([1, 2, 3], TYPE_INT, &"", null)', js: typedArray(T.Int, [1, 2, 3]) },
  { name: 'Array[String] empty', gd: 'Array([], TYPE_STRING, &"", null)', js: typedArray(T.String, []) },
  { name: 'Array[Vector2]', gd: 'Array([Vector2(1, 2)], TYPE_VECTOR2, &"", null)', js: typedArray(T.Vector2, [new Vector2(1, 2)]) },
  { name: 'Array[Node] empty', gd: 'Array([], TYPE_OBJECT, &"Node", null)', js: typedArray({ className: 'EncodedObjectAsID' }, []), godotLoses: 'class' },
  { name: 'Array[Node] empty, objects', gd: 'Array([], TYPE_OBJECT, &"Node", null)', objects: true, js: typedArray({ className: 'Node' }, []) },
  { name: 'Array[Thing] empty', gd: 'Array([], TYPE_OBJECT, &"RefCounted", Thing)', js: typedArray({ className: 'EncodedObjectAsID' }, []), godotLoses: 'class' },
  { name: 'Array[Thing] empty, objects', gd: 'Array([], TYPE_OBJECT, &"RefCounted", Thing)', objects: true, js: typedArray({ script: 'res://thing.gd' }, []) },
  { name: 'Array[Array]', gd: 'Array([[1], []], TYPE_ARRAY, &"", null)', js: typedArray(T.Array, [[1], []]) },
  { name: 'Array 40 deep', gd: 'deep(40)', js: Array.from({ length: 40 }).reduce<unknown[]>((inner) => [inner], ['bottom']) },

  // Packed arrays
  { name: 'PackedByteArray empty', gd: 'PackedByteArray()', js: new Uint8Array(0) },
  { name: 'PackedByteArray 5', gd: 'PackedByteArray([0, 1, 2, 254, 255])', js: Uint8Array.of(0, 1, 2, 254, 255) },
  { name: 'PackedByteArray 4', gd: 'PackedByteArray([9, 8, 7, 6])', js: Uint8Array.of(9, 8, 7, 6) },
  { name: 'PackedInt32Array', gd: 'PackedInt32Array([1, -1, 2147483647, -2147483648])', js: Int32Array.of(1, -1, 2147483647, -2147483648) },
  { name: 'PackedInt64Array', gd: 'PackedInt64Array([0, -1, 1099511627776, -9223372036854775807 - 1])', js: BigInt64Array.of(0n, -1n, 1099511627776n, -9223372036854775808n) },
  { name: 'PackedFloat32Array', gd: 'PackedFloat32Array([0.5, negz(), 0.1, NAN, INF])', js: Float32Array.of(0.5, -0, 0.1, NaN, Infinity) },
  { name: 'PackedFloat64Array', gd: 'PackedFloat64Array([0.1, negz(), NAN, -INF, 1e300])', js: Float64Array.of(0.1, -0, NaN, -Infinity, 1e300) },
  { name: 'PackedStringArray', gd: 'PackedStringArray(["a", "", "héllo", "abc", "abcd"])', js: PackedStringArray.from(['a', '', 'héllo', 'abc', 'abcd']) },
  { name: 'PackedStringArray empty', gd: 'PackedStringArray()', js: new PackedStringArray() },
  { name: 'PackedVector2Array', gd: 'PackedVector2Array([Vector2(1, 2), Vector2(-3, 4.5)])', js: PackedVector2Array.of(new Vector2(1, 2), new Vector2(-3, 4.5)) },
  { name: 'PackedVector3Array', gd: 'PackedVector3Array([Vector3(1, 2, 3)])', js: PackedVector3Array.of(new Vector3(1, 2, 3)) },
  { name: 'PackedColorArray', gd: 'PackedColorArray([Color(1, 0, 0), Color(0, 1, 0, 0.5)])', js: PackedColorArray.of(new Color(1, 0, 0, 1), new Color(0, 1, 0, 0.5)) },
  { name: 'PackedVector4Array', gd: 'PackedVector4Array([Vector4(1, 2, 3, 4)])', js: PackedVector4Array.of(new Vector4(1, 2, 3, 4)) },

  // everything at once, nested
  {
    name: 'Dictionary of everything',
    gd: '{"i": -7, "f": 0.1, "s": "ü", "v": Vector3i(1, 2, 3), "p": NodePath("a:b"), "a": [PackedByteArray([1]), &"x", RID()], "t": Array([0.5], TYPE_FLOAT, &"", null)}',
    js: map([['i', -7], ['f', 0.1], ['s', 'ü'], ['v', new Vector3I(1, 2, 3)], ['p', new NodePath('a:b')], ['a', [Uint8Array.of(1), new StringName('x'), new Rid(0n)]], ['t', typedArray(T.Float, [0.5])]]),
  },
];
