extends SceneTree
# Godot 3 WebSocketServer driven by test/peers/godot3.ts.
#
# Reads a JSON config from $WS_CONFIG: port, protocols, clients (quit after that many
# disconnects; 0 = run until killed), timeout_ms (0 = none), buffer_kb. Binds 127.0.0.1 only and
# echoes every message with its own frame type; a text message "close:CODE:REASON" makes it close
# that client with CODE and REASON instead. Every observation is one JSON line on stdout; the
# last line is "EXIT 0" or "EXIT 1 <reason>" (Godot exits 0 even on a parse error).
#
# Work happens in _idle, never in _init: a runtime error in _init would hang the process.

const TEXT := WebSocketPeer.WRITE_MODE_TEXT
const BINARY := WebSocketPeer.WRITE_MODE_BINARY

var server := WebSocketServer.new()
var cfg := {}
var started := false
var disconnects := 0
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
	server.stop()
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
	return true


func begin() -> void:
	started = true
	if not load_config():
		end_run(false, "bad config")
		return
	var kb := int(cfg.get("buffer_kb", 0))
	if kb > 0:
		# Godot 3 silently drops inbound messages that do not fit the 64 KiB default buffer.
		server.set_buffers(kb, 1024, kb, 1024)
	server.bind_ip = "127.0.0.1"
	server.connect("client_connected", self, "_on_connected")
	server.connect("client_disconnected", self, "_on_disconnected")
	server.connect("client_close_request", self, "_on_close_request")
	server.connect("data_received", self, "_on_data")
	var port := int(cfg["port"])
	var err := server.listen(port, PoolStringArray(cfg.get("protocols", [])))
	if err != OK:
		report({"event": "listen_failed", "port": port, "error": err})
		end_run(false, "listen error %d on port %d" % [err, port])
		return
	report({"event": "listening", "port": port})


func _idle(_delta):
	if done:
		return
	if not started:
		begin()
	else:
		var timeout := int(cfg.get("timeout_ms", 0))
		if timeout > 0 and OS.get_ticks_msec() - start_ms > timeout:
			report({"event": "timeout", "disconnects": disconnects})
			end_run(false, "timeout after %d disconnects" % disconnects)
			return
	if not done:
		server.poll()
	# No vsync in the headless build: sleep a little so the loop does not spin a core.
	OS.delay_usec(500)


func _on_connected(id: int, protocol: String) -> void:
	report({"event": "connect", "id": id, "protocol": protocol})


func _on_data(id: int) -> void:
	var peer: WebSocketPeer = server.get_peer(id)
	while peer.get_available_packet_count() > 0:
		var pkt: PoolByteArray = peer.get_packet()
		var is_text := peer.was_string_packet()
		var msg := {"event": "message", "id": id, "kind": "text" if is_text else "binary", "size": pkt.size()}
		if pkt.size() > 0:
			# The first bytes are enough for a test to tell messages apart.
			msg["head_hex"] = pkt.subarray(0, min(pkt.size(), 64) - 1).hex_encode()
		var text := pkt.get_string_from_utf8() if is_text else ""
		if is_text and text.begins_with("close:"):
			# "close:CODE:REASON": the reason is everything after the second colon.
			var rest := text.substr(6, text.length() - 6)
			var colon := rest.find(":")
			var code := int(rest.substr(0, colon)) if colon >= 0 else int(rest)
			var reason := rest.substr(colon + 1, rest.length() - colon - 1) if colon >= 0 else ""
			msg["command"] = "close"
			report(msg)
			report({"event": "close_sent", "id": id, "code": code, "reason_hex": hex(reason)})
			peer.close(code, reason)
			return
		report(msg)
		peer.set_write_mode(TEXT if is_text else BINARY)
		var err := peer.put_packet(pkt)
		if err != OK:
			report({"event": "send_failed", "id": id, "error": err})


func _on_close_request(id: int, code: int, reason: String) -> void:
	report({"event": "close_request", "id": id, "code": code, "reason_hex": hex(reason)})


func _on_disconnected(id: int, was_clean: bool) -> void:
	disconnects += 1
	report({"event": "disconnect", "id": id, "clean": was_clean})
	var wanted := int(cfg.get("clients", 0))
	if wanted > 0 and disconnects >= wanted:
		end_run(true, "")
