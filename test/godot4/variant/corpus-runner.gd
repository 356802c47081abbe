extends Node
## Variant corpus runner (test/godot4/variant-corpus.test.ts). The test appends corpus() and
## OBJECTS (one flag per entry: with objects or not) and packs res://ours.json (our bytes).
## 1. For every entry prints "E<TAB>index<TAB>hex" of var_to_bytes(_with_objects).
## 2. For every entry in ours.json: decodes our bytes, prints "B<TAB>index<TAB>hex of the engine's
##    re-encoding<TAB>same<TAB>own<TAB>own hex", where same says whether the decoded value equals the
##    entry's own value field by field (types, typed-container info, float bits, object properties),
##    own whether the engine's decode of its own bytes does, and own hex is that decode re-encoded.
## Then quits with 0; a GDScript error leaves it running and the harness's time limit reports it.

const Thing = preload("res://thing.gd")


func negz() -> float:
	var one := 1.0
	return -(one - one)  # GDScript folds a literal -0.0 to 0.0: negate at run time


func thing() -> RefCounted:
	var t := Thing.new()
	t.count = 3
	t.label = "x"
	t.items = [1, 2]
	return t


func null_object() -> Object:
	return null


func freed_object() -> Object:
	var n := Node.new()
	n.free()
	return n


func eoid(id: int) -> EncodedObjectAsID:
	var e := EncodedObjectAsID.new()
	e.set_object_id(id)
	return e


## GDScript cannot make a Signal of an object id it does not own: compared by name and id.
func signal_on(id: int, name: String) -> Array:
	return ["__signal__", name, id]


func deep(levels: int) -> Array:
	var a: Array = ["bottom"]
	for i in levels:
		a = [a]
	return a


func same(a, b) -> bool:
	if typeof(a) == TYPE_ARRAY and a.size() == 3 and typeof(a[0]) == TYPE_STRING and a[0] == "__signal__":
		return typeof(b) == TYPE_SIGNAL and b.get_name() == a[1] and b.get_object_id() == a[2]
	if typeof(a) != typeof(b):
		return a == null and b == null  # a null or freed Object travels as NIL
	match typeof(a):
		TYPE_ARRAY:
			if a.size() != b.size() or a.get_typed_builtin() != b.get_typed_builtin() \
					or a.get_typed_class_name() != b.get_typed_class_name() or a.get_typed_script() != b.get_typed_script():
				return false
			for i in a.size():
				if not same(a[i], b[i]):
					return false
			return true
		TYPE_DICTIONARY:
			if a.size() != b.size() \
					or a.get_typed_key_builtin() != b.get_typed_key_builtin() or a.get_typed_key_class_name() != b.get_typed_key_class_name() \
					or a.get_typed_key_script() != b.get_typed_key_script() or a.get_typed_value_builtin() != b.get_typed_value_builtin() \
					or a.get_typed_value_class_name() != b.get_typed_value_class_name() or a.get_typed_value_script() != b.get_typed_value_script():
				return false
			var ka: Array = a.keys()
			var kb: Array = b.keys()
			for i in ka.size():
				if not same(ka[i], kb[i]) or not same(a[ka[i]], b[kb[i]]):
					return false
			return true
		TYPE_OBJECT:
			if not is_instance_valid(a) or not is_instance_valid(b):
				return is_instance_valid(a) == is_instance_valid(b)
			if a is EncodedObjectAsID:
				return b is EncodedObjectAsID and a.get_object_id() == b.get_object_id()
			if a.get_class() != b.get_class() or a.get_script() != b.get_script():
				return false
			for p in a.get_property_list():
				if p.usage & PROPERTY_USAGE_STORAGE and not same(a.get(p.name), b.get(p.name)):
					return false
			return true
		TYPE_CALLABLE:
			return b.is_null()  # Godot sends no Callable data: it always arrives empty
		TYPE_SIGNAL:
			return a.get_name() == b.get_name() and a.get_object_id() == b.get_object_id()
		TYPE_NODE_PATH:
			return a == b  # its encoding has uninitialised padding: compare the paths
		_:
			return var_to_bytes(a) == var_to_bytes(b)  # bit for bit: -0.0, NaN, f32 vs f64


func encode(value, objects: bool) -> PackedByteArray:
	return var_to_bytes_with_objects(value) if objects else var_to_bytes(value)


func _ready() -> void:
	var values := corpus()
	for i in values.size():
		print("E\t", i, "\t", encode(values[i], OBJECTS[i]).hex_encode())
	var ours: Dictionary = JSON.parse_string(FileAccess.get_file_as_string("res://ours.json"))
	for key in ours:
		var i := int(key)
		var bytes: PackedByteArray = String(ours[key]).hex_decode()
		var decoded = bytes_to_var_with_objects(bytes) if OBJECTS[i] else bytes_to_var(bytes)
		var own = bytes_to_var_with_objects(encode(values[i], true)) if OBJECTS[i] else bytes_to_var(encode(values[i], false))
		print("B\t", i, "\t", encode(decoded, OBJECTS[i]).hex_encode(), "\t", same(values[i], decoded), "\t", same(values[i], own), "\t", encode(own, OBJECTS[i]).hex_encode())
	print("END")
	get_tree().quit(0)
