extends SceneTree
# The glue's own rules, in the real engine: argument checks (a wrong call prints an error and
# returns null), Error numbers for bad settings, and the values the glue adds to the codec's
# (status names, -1 for "no failure", the receive chunk check, handshake dictionaries).
# Prints {"check": name, "ok": bool, "got": ...} per check, then "EXIT 0".
# Work happens in _idle, never in _init: a runtime error in _init would hang the process.

var common = preload("res://common.gd").new()
var started := false


func check(name: String, got, expected) -> void:
	common.report({"check": name, "ok": typeof(got) == typeof(expected) and got == expected, "got": str(got)})


func _idle(_delta):
	if started:
		return false
	started = true
	var codec = common.new_codec()
	check("too few arguments: null", codec.receive([]), null)
	check("too many arguments: null", codec.is_failed(1), null)
	check("wrong argument type: null", codec.queue_message("text", "not bytes"), null)
	check("create: unknown role", codec.create(2, {}), 31)
	check("create: negative limit", codec.create(1, {"max_message_size": -1}), 31)
	check("create: limit that is not an int", codec.create(1, {"max_outbound_bytes": "10"}), 31)
	check("create: message count over 32 bits", codec.create(1, {"max_outbound_messages": 4294967296}), 31)
	check("create: server", codec.create(1, {"max_message_size": 3}), 0)
	check("set_limits: negative", codec.set_limits({"max_outbound_bytes": -5}), 31)
	check("set_limits: ok", codec.set_limits({"max_outbound_bytes": 5}), 0)
	check("no failure: close code -1", codec.get_failure_close_code(), -1)
	check("no close received: -1", codec.get_received_close_code(), -1)
	check("receive: a chunk that is not bytes", codec.receive([PoolByteArray([0x81]), 7], -1, -1), -1)
	check("queue_message: unknown kind", codec.status_name(codec.queue_message("close", PoolByteArray())), "INVALID_ARGUMENT")
	check("queue_message: over the byte limit", codec.status_name(codec.queue_message("binary", PoolByteArray([1, 2, 3, 4, 5, 6]))), "BUFFER_FULL")
	check("status_name: out of range", codec.status_name(300), "UNKNOWN")
	# A 4-byte masked text frame over the 3-byte limit: the codec fails the connection with 1009.
	check("receive: consumed up to the length", codec.receive([PoolByteArray([0x81, 0x84, 1, 2, 3, 4, 5])], -1, -1), 2)
	check("failure name", codec.get_failure(), "MESSAGE_TOO_BIG")
	check("failure close code", codec.get_failure_close_code(), 1009)
	check("failure close frame", common.to_hex(codec.take_output()), "880203f1")
	check("queue_close after failure", codec.status_name(codec.queue_close(1000, PoolByteArray())), "INVALID_STATE")
	check("close code beyond int: empty close", _empty_close_for(1 << 40), "8800")
	check("make_key: not 16 bytes", codec.make_key(PoolByteArray([1, 2, 3])), "")
	check("build_error_response: no such result", codec.build_error_response(250), "")
	check("check_head_start: TLS from a client", codec.check_head_start(PoolByteArray([0x16, 3, 1]), true)["result"], "TLS_FROM_CLIENT")
	check("check_head_start: a response may start", codec.check_head_start("HTTP/1".to_utf8(), false)["result"], "OK")
	var head := "GET /chat?x=1 HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	var request: Dictionary = codec.parse_client_request(head.to_utf8(), PoolStringArray())
	check("parse_client_request: result", request["result"], "OK")
	check("parse_client_request: path", request["path"], "/chat?x=1")
	check("parse_client_request: code", request["code"], 0)
	check("compute_accept: RFC 6455 sample", codec.compute_accept(request["key"]), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
	print("EXIT 0")
	quit(0)
	return true


# The close frame a fresh server codec sends for an out-of-range code.
func _empty_close_for(code: int) -> String:
	var codec = common.new_codec()
	codec.queue_close(code, "ignored".to_utf8())
	return common.to_hex(codec.take_output())
