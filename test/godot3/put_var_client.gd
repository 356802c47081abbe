extends SceneTree
# put_var round trip between the real Godot 3 engine and Node (test/variant-godot3.test.ts).
#
# 1. Connects to $WS_URL and put_var()s every value of values() (every Godot 3 type that can
#    travel), then the marker "__done__".
# 2. Node decodes each packet in the Godot 3 format, encodes it again and sends it back; this
#    script checks each reply equals what it sent (same types, same contents, same order).
# 3. Node then put_var()s values it built in JavaScript, then "__end__"; this script checks them
#    against node_values().
# Prints one JSON line per mismatch and a summary, then "EXIT 0" (all equal) or "EXIT 1 <reason>".
# Work happens in _idle, never in _init: a runtime error in _init would hang the process.

const DONE = "__done__"
const END = "__end__"

var client := WebSocketClient.new()
var timeout_ms := 20000
var start_ms := 0
var started := false
var finished := false
var sent := []
var echoes := 0
var from_node := []
var phase := "connecting"
var mismatches := 0
var reference_object := Reference.new()
var full_object := Resource.new()


func values() -> Array:
	full_object.resource_name = "sent in full"
	return [
		null, true, false,
		0, 42, -7, 2147483647, -2147483648, 2147483648, -1099511627776,
		9223372036854775807, -9223372036854775807 - 1,
		1.5, -0.25, 0.1, 1.0, -0.0, 1e300, -3.0e-39, INF, -INF,
		"", "hello", "héllo ✓ 🎮", "tab\tnew\nline",
		Vector2(1.5, -2.25), Rect2(1, 2, 3, 4), Vector3(0.1, 2, -3),
		Transform2D(0.5, Vector2(3, 4)), Plane(0, 1, 0, 2.5), Quat(0, 0, 0.5, 0.75),
		AABB(Vector3(1, 2, 3), Vector3(4, 5, 6)),
		Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9)),
		Transform(Basis(Vector3(0, 1, 0), 0.5), Vector3(1, 2, 3)),
		Color(1, 0.5, 0.25, 0.75),
		NodePath("/root/Main/Player:position:x"), NodePath("a/b"), NodePath(""),
		RID(),
		{"a": 1, 2: [3, 4.5], Vector2(1, 2): "vector key", "nested": {"x": {"y": null}}},
		{},
		[1, "two", [3, [4, [5]]], {}, []],
		PoolByteArray([0, 1, 2, 254, 255]), PoolByteArray(),
		PoolIntArray([1, -1, 2147483647, -2147483648]),
		PoolRealArray([0.5, -1.25, 1e-3]),
		PoolStringArray(["a", "", "héllo", "abc"]),
		PoolVector2Array([Vector2(1, 2), Vector2(-3, 4.5)]),
		PoolVector3Array([Vector3(1, 2, 3)]),
		PoolColorArray([Color(1, 0, 0), Color(0, 1, 0, 0.5)]),
		reference_object,
		full_object,
	]


# What Node builds in JavaScript (see NODE_VALUES in the test), as GDScript values.
func node_values() -> Array:
	return [
		{"name": "player", "hp": 100, "speed": 2.5, "alive": true, "tags": ["a", "b"]},
		100.0,
		1099511627776,
		9007199254740991,
		{Vector2(1, 2): NodePath("/root/x:y")},
		PoolRealArray([0.5, 2]),
		PoolByteArray([1, 2, 3]),
		Transform(Vector3(1, 0, 0), Vector3(0, 0, 1), Vector3(0, -1, 0), Vector3(1, 2, 3)),
		Transform2D(Vector2(1, 2), Vector2(3, 4), Vector2(5, 6)),
		Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9)),
		Color(0.25, 0.5, 0.75, 1),
		"héllo 🎮",
		-0.5,
		0.1,
		PoolStringArray(["x", "yz"]),
		null,
	]


func _idle(_delta):
	if finished:
		return true
	if not started:
		started = true
		start_ms = OS.get_ticks_msec()
		if OS.get_environment("WS_TIMEOUT_MS") != "":
			timeout_ms = int(OS.get_environment("WS_TIMEOUT_MS"))
		begin()
		return finished
	if OS.get_ticks_msec() - start_ms > timeout_ms:
		end_run(false, "timeout in phase " + phase)
		return true
	client.poll()
	return finished


func report(obj: Dictionary) -> void:
	print(to_json(obj))


func end_run(ok: bool, reason: String) -> void:
	if finished:
		return
	finished = true
	report({"event": "summary", "sent": sent.size(), "echoes": echoes, "from_node": from_node.size(), "mismatches": mismatches})
	client.disconnect_from_host(1000, "done")
	print("EXIT 0" if ok else "EXIT 1 " + reason)
	quit(0 if ok else 1)


func begin() -> void:
	client.connect("connection_established", self, "_on_open")
	client.connect("connection_error", self, "_on_error")
	client.connect("connection_closed", self, "_on_closed")
	client.connect("data_received", self, "_on_data")
	var err := client.connect_to_url(OS.get_environment("WS_URL"))
	if err != OK:
		end_run(false, "connect_to_url returned %d" % err)


func _on_open(_protocol) -> void:
	phase = "echo"
	var peer := client.get_peer(1)
	peer.set_write_mode(WebSocketPeer.WRITE_MODE_BINARY)
	for value in values():
		sent.append(value)
		var full := value is Resource
		var err := peer.put_var(value, full)
		if err != OK:
			end_run(false, "put_var returned %d" % err)
			return
	peer.put_var(DONE)


func _on_error() -> void:
	end_run(false, "connection error")


func _on_closed(_clean) -> void:
	end_run(false, "connection closed by Node in phase " + phase)


func _on_data() -> void:
	var peer := client.get_peer(1)
	while peer.get_available_packet_count() > 0:
		var value = peer.get_var(true)
		if phase == "echo":
			if typeof(value) == TYPE_STRING and value == DONE:
				phase = "node"
			else:
				check_echo(value)
		elif phase == "node":
			if typeof(value) == TYPE_STRING and value == END:
				check_node_values()
				return
			from_node.append(value)


func check_echo(value) -> void:
	var index := echoes
	echoes += 1
	if index >= sent.size():
		mismatch("extra echo", index, null, value)
		return
	var expected = sent[index]
	if expected is Resource:
		# A full object arrives as a new instance of the same class with the same properties.
		if not (value is Resource) or value.get_class() != expected.get_class() or value.resource_name != expected.resource_name:
			mismatch("full object", index, expected, value)
	elif expected is Object:
		# An object sent by id arrives as an EncodedObjectAsID holding that id.
		if not (value is EncodedObjectAsID) or value.get_object_id() != expected.get_instance_id():
			mismatch("object id", index, expected, value)
	elif not same(expected, value):
		mismatch("echo", index, expected, value)


func check_node_values() -> void:
	var expected := node_values()
	if from_node.size() != expected.size():
		end_run(false, "got %d values from Node, expected %d" % [from_node.size(), expected.size()])
		return
	for i in range(expected.size()):
		if not same(expected[i], from_node[i]):
			mismatch("from node", i, expected[i], from_node[i])
	if echoes != sent.size():
		end_run(false, "got %d echoes for %d values" % [echoes, sent.size()])
	elif mismatches > 0:
		end_run(false, "%d mismatches" % mismatches)
	else:
		end_run(true, "")


func mismatch(what: String, index: int, expected, got) -> void:
	mismatches += 1
	report({"event": "mismatch", "what": what, "index": index, "expected": var2str(expected), "got": var2str(got)})


# Deep equality that also requires equal types (int 1 is not float 1.0) and equal key order.
# Godot 3 compares Dictionaries by reference, so they are walked here.
func same(a, b) -> bool:
	if typeof(a) != typeof(b):
		return false
	match typeof(a):
		TYPE_ARRAY:
			if a.size() != b.size():
				return false
			for i in range(a.size()):
				if not same(a[i], b[i]):
					return false
			return true
		TYPE_DICTIONARY:
			if a.size() != b.size():
				return false
			var a_keys: Array = a.keys()
			var b_keys: Array = b.keys()
			for i in range(a_keys.size()):
				if not same(a_keys[i], b_keys[i]) or not same(a[a_keys[i]], b[b_keys[i]]):
					return false
			return true
		TYPE_RAW_ARRAY, TYPE_INT_ARRAY, TYPE_REAL_ARRAY, TYPE_STRING_ARRAY, TYPE_VECTOR2_ARRAY, TYPE_VECTOR3_ARRAY, TYPE_COLOR_ARRAY:
			return same(Array(a), Array(b))
		TYPE_REAL:
			# Bit for bit: -0.0 == 0.0 in GDScript, their encodings differ.
			return var2bytes(a).hex_encode() == var2bytes(b).hex_encode()
	return a == b
