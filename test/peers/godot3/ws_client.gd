extends SceneTree
# Godot 3 WebSocketClient driven by test/peers/godot3.ts.
#
# Reads a JSON config from $WS_CONFIG: url, protocols, messages (kind + base64), close
# ({by: "client"|"server", code, reason}), timeout_ms, buffer_kb. Sends each message, waits for
# its echo and checks bytes and frame type, then closes (or asks the server to close with a
# "close:CODE:REASON" text message). Every observation is one JSON line on stdout; the last line
# is "EXIT 0" or "EXIT 1 <reason>". Godot exits 0 even on a parse error, so the helper only
# trusts that final line.
#
# Work happens in _idle, never in _init: a runtime error in _init would hang the process,
# while one in _idle only aborts that frame and the deadline check still ends the run.

const TEXT := WebSocketPeer.WRITE_MODE_TEXT
const BINARY := WebSocketPeer.WRITE_MODE_BINARY

var client := WebSocketClient.new()
var cfg := {}
var messages := []  # [{text: bool, data: PoolByteArray, hex: String}]
var next_index := 0  # index of the message whose echo we wait for
var phase := "start"
var close_code := 1006  # 1006 until a close frame from the server is reported
var close_reason := ""
var start_ms := 0
var done := false


func _init():
	start_ms = OS.get_ticks_msec()


func report(obj: Dictionary) -> void:
	print(to_json(obj))


func end_run(ok: bool, reason: String) -> void:
	if done:
		return
	done = true
	print("EXIT 0" if ok else "EXIT 1 " + reason)
	quit(0 if ok else 1)


func hex(s: String) -> String:
	return s.to_utf8().hex_encode()


func load_config() -> bool:
	var f := File.new()
	var path := OS.get_environment("WS_CONFIG")
	if path == "" or f.open(path, File.READ) != OK:
		return false
	var parsed = parse_json(f.get_as_text())
	f.close()
	if typeof(parsed) != TYPE_DICTIONARY:
		return false
	cfg = parsed
	for m in cfg.get("messages", []):
		var data: PoolByteArray = Marshalls.base64_to_raw(m["b64"])
		messages.append({"text": m["kind"] == "text", "data": data, "hex": data.hex_encode()})
	return true


func begin() -> void:
	phase = "connecting"
	if not load_config():
		end_run(false, "bad config")
		return
	var kb := int(cfg.get("buffer_kb", 0))
	if kb > 0:
		# Godot 3 silently drops inbound messages that do not fit the 64 KiB default buffer.
		client.set_buffers(kb, 1024, kb, 1024)
	client.connect("connection_established", self, "_on_open")
	client.connect("connection_error", self, "_on_error")
	client.connect("connection_closed", self, "_on_closed")
	client.connect("server_close_request", self, "_on_close_request")
	client.connect("data_received", self, "_on_data")
	var protocols := PoolStringArray(cfg.get("protocols", []))
	var err := client.connect_to_url(cfg["url"], protocols)
	if err != OK:
		report({"event": "connect_failed", "error": err})
		end_run(false, "connect_to_url error %d" % err)


func _idle(_delta):
	if done:
		return
	if phase == "start":
		begin()
	elif OS.get_ticks_msec() - start_ms > int(cfg.get("timeout_ms", 10000)):
		report({"event": "timeout", "phase": phase})
		end_run(false, "timeout while " + phase)
		return
	if not done:
		client.poll()
	# No vsync in the headless build: sleep a little so the loop does not spin a core.
	OS.delay_usec(500)


func peer() -> WebSocketPeer:
	return client.get_peer(1)


func send_next() -> void:
	if next_index < messages.size():
		var m: Dictionary = messages[next_index]
		peer().set_write_mode(TEXT if m["text"] else BINARY)
		var err := peer().put_packet(m["data"])
		if err != OK:
			report({"event": "send_failed", "index": next_index, "error": err})
			end_run(false, "put_packet error %d" % err)
		return
	var close: Dictionary = cfg.get("close", {"by": "client", "code": 1000, "reason": ""})
	var code := int(close.get("code", 1000))
	var reason := str(close.get("reason", ""))
	if close.get("by", "client") == "server":
		phase = "waiting for the server to close"
		peer().set_write_mode(TEXT)
		peer().put_packet(("close:%d:%s" % [code, reason]).to_utf8())
	else:
		phase = "closing"
		report({"event": "close_sent", "code": code, "reason_hex": hex(reason)})
		client.disconnect_from_host(code, reason)


func _on_open(protocol: String) -> void:
	phase = "echoing"
	report({"event": "open", "protocol": protocol})
	send_next()


func _on_data() -> void:
	while peer().get_available_packet_count() > 0:
		var pkt: PoolByteArray = peer().get_packet()
		var is_text := peer().was_string_packet()
		if next_index >= messages.size():
			report({"event": "unexpected", "kind": "text" if is_text else "binary", "size": pkt.size()})
			continue
		var m: Dictionary = messages[next_index]
		var ok: bool = is_text == m["text"] and pkt.size() == m["data"].size() and pkt.hex_encode() == m["hex"]
		report({
			"event": "echo", "index": next_index,
			"kind": "text" if m["text"] else "binary", "size": m["data"].size(),
			"echo_kind": "text" if is_text else "binary", "echo_size": pkt.size(), "ok": ok,
		})
		if not ok:
			end_run(false, "echo %d differs" % next_index)
			return
		next_index += 1
		send_next()


func _on_close_request(code: int, reason: String) -> void:
	close_code = code
	close_reason = reason
	report({"event": "close_request", "code": code, "reason_hex": hex(reason)})


func _on_closed(was_clean: bool) -> void:
	report({"event": "closed", "clean": was_clean, "code": close_code, "reason_hex": hex(close_reason)})
	if next_index < messages.size():
		end_run(false, "closed after %d of %d echoes" % [next_index, messages.size()])
	else:
		end_run(true, "")


func _on_error() -> void:
	report({"event": "connection_error", "phase": phase})
	end_run(false, "connection_error while " + phase)
