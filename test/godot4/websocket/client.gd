extends Node
## A GDScript WebSocketPeer client for test/godot4/websocket-client.test.ts. User arguments:
## --url=ws://127.0.0.1:PORT/<scenario> --scenario=<name>. Prints one "WS {json}" line per event:
## every ready-state change (with get_close_code/get_close_reason at that moment), each echo
## checked, and the final close; quits with 0 when the scenario ends (1 on a timeout).

var ws := WebSocketPeer.new()
var scenario := ""
var last_state := -1
var started_ms := 0
var sent: Array = []  # [kind, PackedByteArray] not yet echoed
var closing := false
var finished := false


func out(event: String, data: Dictionary = {}) -> void:
	data["event"] = event
	print("WS ", JSON.stringify(data))


func state_name(s: int) -> String:
	return ["CONNECTING", "OPEN", "CLOSING", "CLOSED"][s]


func pattern(size: int) -> PackedByteArray:
	var b := PackedByteArray()
	b.resize(size)
	for i in size:
		b[i] = (i * 31 + 7) & 0xff
	return b


func _ready() -> void:
	var url := ""
	for a in OS.get_cmdline_user_args():
		if a.begins_with("--url="):
			url = a.substr(6)
		elif a.begins_with("--scenario="):
			scenario = a.substr(11)
	match scenario:
		"messages":
			ws.supported_protocols = PackedStringArray(["chat", "json"])
			ws.handshake_headers = PackedStringArray(["X-Godot-Test: 1"])
			ws.inbound_buffer_size = 2 * 1024 * 1024
			ws.outbound_buffer_size = 2 * 1024 * 1024
		"protocol-order":
			ws.supported_protocols = PackedStringArray(["beta", "alpha"])
		"refused":
			ws.supported_protocols = PackedStringArray(["nothing-in-common"])
	var err := ws.connect_to_url(url)
	out("connect", {"error": err, "state": state_name(ws.get_ready_state())})
	started_ms = Time.get_ticks_msec()


func report_state() -> void:
	var s := ws.get_ready_state()
	if s == last_state:
		return
	last_state = s
	out("state", {"state": state_name(s), "code": ws.get_close_code(), "reason": ws.get_close_reason(),
		"protocol": ws.get_selected_protocol()})


func send(kind: String, data: PackedByteArray) -> void:
	var err := ws.send(data, WebSocketPeer.WRITE_MODE_TEXT if kind == "text" else WebSocketPeer.WRITE_MODE_BINARY)
	out("sent", {"kind": kind, "size": data.size(), "error": err})
	sent.append([kind, data])


func close(code: int, reason: String) -> void:
	closing = true
	ws.close(code, reason)
	out("close_called", {"code": code, "state": state_name(ws.get_ready_state()), "close_code": ws.get_close_code()})
	report_state()  # the close may complete before the next frame's poll: log CLOSING now


func on_open() -> void:
	out("open", {"protocol": ws.get_selected_protocol(), "url": ws.get_requested_url()})
	match scenario:
		"messages":
			send("text", "hello ünï ✓".to_utf8_buffer())
			send("binary", PackedByteArray([0, 1, 2, 255]))
			send("text", PackedByteArray())
			send("binary", PackedByteArray())
			send("binary", pattern(1024 * 1024))
			send("text", "VAR".to_utf8_buffer())
		"server-close", "server-close-default", "server-close-empty", "server-drop", "server-close-long":
			ws.send_text(scenario)  # the server closes as the scenario says
		"client-close-default":
			close(1000, "")
		"client-close-1001":
			close(1001, "going")
		"client-close-123":
			close(4003, "é".repeat(61) + "z")  # 123 bytes: the longest reason a close frame holds
		"protocol-order":
			close(4000, "done")


func on_packet() -> void:
	var data := ws.get_packet()
	var kind := "text" if ws.was_string_packet() else "binary"
	if scenario == "messages" and sent.size() > 0 and sent[0][0] == "text" and sent[0][1] == "VAR".to_utf8_buffer():
		sent.pop_front()
		# the echo of "VAR"; now a put_var, answered by the server with a put_var
		ws.put_var({"v": Vector2(1, 2), "list": [1, 2.5, "s", null], "sn": &"name"})
		out("put_var")
		return
	if scenario == "messages" and sent.is_empty():
		var value = bytes_to_var(data)
		out("var", {"kind": kind, "text": var_to_str(value)})
		close(4001, "bye ünï")
		return
	var expected = sent.pop_front() if not sent.is_empty() else ["none", PackedByteArray()]
	out("echo", {"kind": kind, "size": data.size(), "same_kind": kind == expected[0], "same_bytes": data == expected[1]})


func _process(_delta: float) -> void:
	if finished:
		return
	ws.poll()
	var was := last_state
	report_state()
	if last_state == WebSocketPeer.STATE_OPEN and was != WebSocketPeer.STATE_OPEN:
		on_open()
	while ws.get_available_packet_count() > 0:
		on_packet()
	if last_state == WebSocketPeer.STATE_CLOSED:
		finished = true
		out("closed", {"code": ws.get_close_code(), "reason": ws.get_close_reason(), "closing_called": closing})
		get_tree().quit(0)
	elif Time.get_ticks_msec() - started_ms > 15000:
		finished = true
		out("timeout", {"state": state_name(last_state)})
		get_tree().quit(1)
