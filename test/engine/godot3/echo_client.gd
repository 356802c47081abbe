extends SceneTree
# WebSocket client in GDScript: StreamPeerTCP moves bytes, the GDNative WebSocketCodec does the
# handshake rules and the framing, masking with keys from Godot's Crypto. Connects to $GDWS_URL,
# sends the messages below and a ping, checks that every message comes back unchanged, then
# closes with 1000 "bye from godot" and waits for the peer's close. Prints one JSON line per event,
# then "EXIT 0" / "EXIT 1 <reason>". $GDWS_TIMEOUT_MS bounds the run.
# Work happens in _idle, never in _init: a runtime error in _init would hang the process.

var common = preload("res://common.gd").new()
var peer := StreamPeerTCP.new()
var codec = null
var key := ""
var url := ""
var head := PoolByteArray()
var sent := []
var echoes := []
var pongs := 0
var closing := false
var timeout_ms := 20000
var start_ms := 0
var started := false
var finished := false


func messages() -> Array:
	var pattern := PoolByteArray()
	for i in range(300):
		pattern.append(i % 256)
	return [
		{"kind": "text", "data": "hello from godot ✓".to_utf8()},
		{"kind": "binary", "data": PoolByteArray([0, 1, 2, 254, 255])},
		{"kind": "binary", "data": pattern},
		{"kind": "text", "data": PoolByteArray()},
	]


func _idle(_delta):
	if finished:
		return true
	if not started:
		started = true
		start_ms = OS.get_ticks_msec()
		if OS.get_environment("GDWS_TIMEOUT_MS") != "":
			timeout_ms = int(OS.get_environment("GDWS_TIMEOUT_MS"))
		begin()
		return finished
	if OS.get_ticks_msec() - start_ms > timeout_ms:
		end_run(false, "timeout")
		return true
	poll()
	return finished


func end_run(ok: bool, reason: String) -> void:
	if finished:
		return
	finished = true
	peer.disconnect_from_host()
	print("EXIT 0" if ok else "EXIT 1 " + reason)
	quit(0 if ok else 1)


func begin() -> void:
	url = OS.get_environment("GDWS_URL")
	var helper = common.new_codec()
	var parsed: Dictionary = helper.parse_url(url)
	if parsed["result"] != "OK":
		end_run(false, "bad url " + url + ": " + parsed["result"])
		return
	if peer.connect_to_host(parsed["host"], parsed["port"]) != OK:
		end_run(false, "connect_to_host failed")
		return
	key = helper.make_key(Crypto.new().generate_random_bytes(16))
	codec = helper


func read_available() -> PoolByteArray:
	var available := peer.get_available_bytes()
	if available <= 0:
		return PoolByteArray()
	var got: Array = peer.get_partial_data(available)
	return got[1] if got[0] == OK else PoolByteArray()


func flush() -> void:
	var output: PoolByteArray = codec.take_output()
	if output.size() > 0:
		peer.put_data(output)
		codec.acknowledge_output(output.size())


var request_sent := false
var open := false


func poll() -> void:
	var status := peer.get_status()
	if status == StreamPeerTCP.STATUS_CONNECTING:
		return
	if status != StreamPeerTCP.STATUS_CONNECTED:
		end_run(false, "connection lost (status %d)" % status)
		return
	if not request_sent:
		request_sent = true
		peer.put_data(codec.build_client_request(url, key, PoolStringArray(), PoolStringArray()).to_utf8())
		return
	var input := read_available()
	if not open:
		head.append_array(input)
		var found: Dictionary = codec.find_header_end(head)
		if found["result"] == "INCOMPLETE":
			return
		if found["result"] != "OK":
			end_run(false, "response head: " + found["result"])
			return
		var response: Dictionary = codec.parse_server_response(head.subarray(0, found["length"] - 1), key, PoolStringArray())
		if response["result"] != "OK":
			end_run(false, "response: " + response["result"])
			return
		open = true
		codec.create(common.ROLE_CLIENT, {})
		common.report({"event": "open"})
		for message in messages():
			codec.queue_message(message["kind"], message["data"])
			sent.append(message)
		codec.queue_message("ping", "are you there".to_utf8())
		input = PoolByteArray() if found["length"] == head.size() else head.subarray(found["length"], head.size() - 1)
	if input.size() > 0:
		codec.receive([input], -1, -1)
	for record in codec.take_records():
		common.report({"event": "record", "kind": record["kind"], "data": common.to_hex(record["data"])})
		if record["kind"] == "pong":
			pongs += 1
		elif record["kind"] == "text" or record["kind"] == "binary":
			echoes.append(record)
	if not closing and echoes.size() >= sent.size() and pongs >= 1:
		closing = true
		codec.queue_close(1000, "bye from godot".to_utf8())
	flush()
	if codec.is_failed():
		end_run(false, "codec failure " + codec.get_failure())
	elif codec.is_close_received():
		common.report({
			"event": "closed",
			"code": codec.get_received_close_code(),
			"reason": common.to_hex(codec.get_received_close_reason_bytes()),
		})
		var same := echoes.size() == sent.size()
		for i in range(min(echoes.size(), sent.size())):
			same = same and echoes[i]["kind"] == sent[i]["kind"] and common.to_hex(echoes[i]["data"]) == common.to_hex(sent[i]["data"])
		if not closing:
			end_run(false, "peer closed first")
		elif not same:
			end_run(false, "echoes differ from what was sent")
		else:
			end_run(true, "")
