extends SceneTree
# StreamPeer put_*/get_* between the real Godot 3 engine and Node (test/stream-peer-helpers.test.ts).
#
# 1. Connects a StreamPeerTCP to 127.0.0.1:$TCP_PORT and sends a u32 byte count, then
#    write_values() (little-endian, then the same again big-endian) written by the put_* helpers.
# 2. Node reads them with its Get* helpers and checks them, then writes the same values with its
#    Put* helpers; this script reads them back with get_* and checks each one.
# Prints one JSON line per mismatch and "EXIT 0" (all equal) or "EXIT 1 <reason>".
# Work happens in _idle, never in _init: a runtime error in _init would hang the process.

var tcp := StreamPeerTCP.new()
var timeout_ms := 20000
var start_ms := 0
var started := false
var finished := false
var sent := false
var expected_size := 0
var mismatches := 0


func write_values(out: StreamPeer) -> void:
	for big in [false, true]:
		out.big_endian = big
		out.put_8(-1)
		out.put_u8(200)
		out.put_16(-2)
		out.put_u16(0x1234)
		out.put_32(-123456789)
		out.put_u32(4000000000)
		out.put_64(-2)
		out.put_64(9007199254740993)
		out.put_u64(-1)
		out.put_float(0.1)
		out.put_double(0.1)
		out.put_string("hello")
		out.put_utf8_string("héllo ✓ 🎮")
		out.put_var(42)
		out.put_var("hé")
	out.big_endian = false


func read_values(src: StreamPeer) -> void:
	# The exact float32 value of 0.1, as Godot rounds it.
	var f32 := StreamPeerBuffer.new()
	f32.put_float(0.1)
	f32.seek(0)
	var tenth_f32 := f32.get_float()
	for big in [false, true]:
		src.big_endian = big
		var tag := "be " if big else "le "
		check(tag + "get_8", src.get_8(), -1)
		check(tag + "get_u8", src.get_u8(), 200)
		check(tag + "get_16", src.get_16(), -2)
		check(tag + "get_u16", src.get_u16(), 0x1234)
		check(tag + "get_32", src.get_32(), -123456789)
		check(tag + "get_u32", src.get_u32(), 4000000000)
		check(tag + "get_64", src.get_64(), -2)
		check(tag + "get_64 2^53+1", src.get_64(), 9007199254740993)
		check(tag + "get_u64", src.get_u64(), -1)
		check(tag + "get_float", src.get_float(), tenth_f32)
		check(tag + "get_double", src.get_double(), 0.1)
		check(tag + "get_string", src.get_string(), "hello")
		check(tag + "get_utf8_string", src.get_utf8_string(), "héllo ✓ 🎮")
		check(tag + "get_var int", src.get_var(), 42)
		check(tag + "get_var string", src.get_var(), "hé")
	src.big_endian = false


func check(what: String, got, expected) -> void:
	if typeof(got) != typeof(expected) or got != expected:
		mismatches += 1
		print(to_json({"event": "mismatch", "what": what, "expected": var2str(expected), "got": var2str(got)}))


func _idle(_delta):
	if finished:
		return true
	if not started:
		started = true
		start_ms = OS.get_ticks_msec()
		var measure := StreamPeerBuffer.new()
		write_values(measure)
		expected_size = measure.get_size()
		var err := tcp.connect_to_host("127.0.0.1", int(OS.get_environment("TCP_PORT")))
		if err != OK:
			end_run(false, "connect_to_host returned %d" % err)
		return finished
	if OS.get_ticks_msec() - start_ms > timeout_ms:
		end_run(false, "timeout")
		return true
	var status := tcp.get_status()
	if status == StreamPeerTCP.STATUS_ERROR or (sent and status == StreamPeerTCP.STATUS_NONE):
		end_run(false, "the connection failed or closed")
		return true
	if status != StreamPeerTCP.STATUS_CONNECTED:
		return false
	if not sent:
		sent = true
		var block := StreamPeerBuffer.new()
		write_values(block)
		tcp.put_u32(block.get_size())
		tcp.put_data(block.data_array)
		return false
	if tcp.get_available_bytes() >= expected_size:
		read_values(tcp)
		if mismatches > 0:
			end_run(false, "%d mismatches" % mismatches)
		else:
			end_run(true, "")
	return finished


func end_run(ok: bool, reason: String) -> void:
	if finished:
		return
	finished = true
	tcp.disconnect_from_host()
	print("EXIT 0" if ok else "EXIT 1 " + reason)
	quit(0 if ok else 1)
