extends SceneTree
# WebSocket echo server in GDScript: TCP_Server + StreamPeerTCP move bytes, the GDNative
# WebSocketCodec does the handshake rules and the framing. Config from the environment:
# GDWS_PORT (listen on 127.0.0.1), GDWS_CLIENTS (quit after that many connections end),
# GDWS_TIMEOUT_MS. Prints one JSON line per event, then "EXIT 0" / "EXIT 1 <reason>".
# Work happens in _idle, never in _init: a runtime error in _init would hang the process.

var common = preload("res://common.gd").new()
var server := TCP_Server.new()
var connections := []
var clients_wanted := 1
var clients_done := 0
var timeout_ms := 20000
var start_ms := 0
var started := false
var finished := false


func _idle(_delta):
	if finished:
		return true
	if not started:
		started = true
		start_ms = OS.get_ticks_msec()
		clients_wanted = int(OS.get_environment("GDWS_CLIENTS")) if OS.get_environment("GDWS_CLIENTS") != "" else 1
		if OS.get_environment("GDWS_TIMEOUT_MS") != "":
			timeout_ms = int(OS.get_environment("GDWS_TIMEOUT_MS"))
		var port := int(OS.get_environment("GDWS_PORT"))
		var err := server.listen(port, "127.0.0.1")
		if err != OK:
			end_run(false, "listen error %d on port %d" % [err, port])
			return true
		common.report({"event": "listening", "port": port})
		return false
	if OS.get_ticks_msec() - start_ms > timeout_ms:
		end_run(false, "timeout")
		return true
	while server.is_connection_available():
		connections.append({"peer": server.take_connection(), "head": PoolByteArray(), "codec": null})
	for connection in connections.duplicate():
		if not step(connection):
			connections.erase(connection)
			clients_done += 1
	if clients_done >= clients_wanted:
		end_run(true, "")
	return finished


func end_run(ok: bool, reason: String) -> void:
	finished = true
	server.stop()
	print("EXIT 0" if ok else "EXIT 1 " + reason)
	quit(0 if ok else 1)


func read_available(peer: StreamPeerTCP) -> PoolByteArray:
	var available := peer.get_available_bytes()
	if available <= 0:
		return PoolByteArray()
	var got: Array = peer.get_partial_data(available)
	return got[1] if got[0] == OK else PoolByteArray()


# Returns false once the connection is over.
func step(connection: Dictionary) -> bool:
	var peer: StreamPeerTCP = connection["peer"]
	if peer.get_status() != StreamPeerTCP.STATUS_CONNECTED:
		common.report({"event": "dropped"})
		return false
	var input := read_available(peer)
	if connection["codec"] == null:
		# Pool arrays are values: read, append, store back.
		var head: PoolByteArray = connection["head"]
		head.append_array(input)
		connection["head"] = head
		var found: Dictionary = common.new_codec().find_header_end(head)
		if found["result"] == "INCOMPLETE":
			return true
		if found["result"] != "OK":
			common.report({"event": "handshake_failed", "result": found["result"]})
			peer.disconnect_from_host()
			return false
		var codec = common.new_codec()
		var request: Dictionary = codec.parse_client_request(head.subarray(0, found["length"] - 1), PoolStringArray())
		if request["result"] != "OK":
			common.report({"event": "handshake_failed", "result": request["result"]})
			peer.put_data(codec.build_error_response(request["code"]).to_utf8())
			peer.disconnect_from_host()
			return false
		peer.put_data(codec.build_server_response(request["key"], request["protocol"], PoolStringArray()).to_utf8())
		codec.create(common.ROLE_SERVER, {})
		connection["codec"] = codec
		common.report({"event": "open", "target": request["target"]})
		input = PoolByteArray() if found["length"] == head.size() else head.subarray(found["length"], head.size() - 1)
	var codec = connection["codec"]
	if input.size() > 0:
		codec.receive([input], -1, -1)  # anything not consumed follows a close or a failure: dropped
	for record in codec.take_records():
		common.report({"event": "record", "kind": record["kind"], "data": common.to_hex(record["data"])})
		if record["kind"] == "text" or record["kind"] == "binary":
			var status: int = codec.queue_message(record["kind"], record["data"])
			if status != 0:
				common.report({"event": "echo_refused", "status": codec.status_name(status)})
	var output: PoolByteArray = codec.take_output()
	if output.size() > 0:
		peer.put_data(output)
		codec.acknowledge_output(output.size())
	if codec.is_closed() or codec.is_failed():
		common.report({
			"event": "closed",
			"failure": codec.get_failure(),
			"code": codec.get_received_close_code(),
			"reason": common.to_hex(codec.get_received_close_reason_bytes()),
		})
		peer.disconnect_from_host()
		return false
	return true
