extends SceneTree
# Replays every res://traces/*.json trace through the GDNative WebSocketCodec, in every chunking,
# exactly as test/traces/replay.ts does in Node, and prints one JSON result line per replay.
# The last line is "EXIT 0" (a GDScript parse error also exits 0, so the caller requires it).
# Work happens in _idle, never in _init: a runtime error in _init would hang the process.

var common = preload("res://common.gd").new()
var started := false


func _idle(_delta):
	if started:
		return false
	started = true
	var count := 0
	var dir := Directory.new()
	if dir.open("res://traces") != OK:
		print("EXIT 1 no res://traces")
		quit(1)
		return true
	var files := []
	dir.list_dir_begin(true, true)
	var name := dir.get_next()
	while name != "":
		if name.ends_with(".json"):
			files.append(name)
		name = dir.get_next()
	files.sort()
	for file in files:
		var f := File.new()
		f.open("res://traces/" + file, File.READ)
		var parsed := JSON.parse(f.get_as_text())
		f.close()
		if parsed.error != OK:
			print("EXIT 1 %s: %s" % [file, parsed.error_string])
			quit(1)
			return true
		for trace in parsed.result["traces"]:
			for i in range(trace["chunkings"].size()):
				common.report(replay(file, trace, i))
				count += 1
	if count == 0:
		print("EXIT 1 no traces")
		quit(1)
		return true
	print("EXIT 0")
	quit(0)
	return true


# Cuts bytes as the chunking says: "whole", or sizes used cyclically.
func chunk(bytes: PoolByteArray, chunking) -> Array:
	if typeof(chunking) == TYPE_STRING:
		return [bytes]
	var chunks := []
	var at := 0
	var i := 0
	while at < bytes.size():
		var size := int(chunking[i % chunking.size()])
		var end := min(at + size, bytes.size())
		chunks.append(bytes.subarray(at, end - 1))
		at = end
		i += 1
	return chunks


func replay(file: String, trace: Dictionary, chunking_index: int) -> Dictionary:
	var chunking = trace["chunkings"][chunking_index]
	var codec = common.new_codec()
	var limits: Dictionary = trace["limits"]
	var role: int = common.ROLE_CLIENT if trace["role"] == "client" else common.ROLE_SERVER
	codec.create(role, {
		"max_message_size": int(limits["max_message_size"]),
		"max_outbound_messages": int(limits["max_outbound_messages"]),
		"max_outbound_bytes": int(limits["max_outbound_bytes"]),
	})
	if trace.has("mask_keys"):
		codec.set_mask_keys(common.from_hex(PoolStringArray(trace["mask_keys"]).join("")))
	var records := []
	var output := ""
	var statuses := []
	var consumed := 0
	for step in trace["steps"]:
		var hold := false
		if step.has("feed"):
			# One chunk per poll, through the per-poll receive path (as test/traces/replay.ts).
			for piece in chunk(common.from_hex(step["feed"]), chunking):
				var used: int = codec.receive([piece], -1, -1)
				consumed += used
				if used < piece.size():
					break
		elif step.has("queue_message"):
			statuses.append(codec.status_name(codec.queue_message(step["queue_message"], common.from_hex(step["data"]))))
			hold = step.get("hold", false)
		else:
			statuses.append(codec.status_name(codec.queue_close(int(step["queue_close"]), common.from_hex(step["reason"]))))
			hold = step.get("hold", false)
		for record in codec.take_records():
			records.append({"kind": record["kind"], "data": common.to_hex(record["data"])})
		if not hold:
			var bytes: PoolByteArray = codec.take_output()
			codec.acknowledge_output(bytes.size())
			output += common.to_hex(bytes)
	return {
		"file": file,
		"name": trace["name"],
		"chunking": chunking_index,
		"consumed": consumed,
		"statuses": statuses,
		"records": records,
		"output": output,
		"failure": codec.get_failure(),
		"close_sent": codec.is_close_sent(),
		"close_received": codec.is_close_received(),
		"received_close_code": codec.get_received_close_code(),
		"received_close_reason": common.to_hex(codec.get_received_close_reason_bytes()),
	}
