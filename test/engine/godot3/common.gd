extends Reference
# Helpers shared by the engine test scripts: hex and the one-line protocol the Node side reads (one
# JSON object per line, then "EXIT 0" or "EXIT 1 <reason>"). Status names come from the codec.

const ROLE_CLIENT = 0
const ROLE_SERVER = 1

var _hex_values := {}


func _init():
	var digits := "0123456789abcdef"
	for i in range(16):
		_hex_values[digits[i]] = i
		_hex_values[digits[i].to_upper()] = i


func from_hex(text: String) -> PoolByteArray:
	var clean := text.replace(" ", "")
	var out := PoolByteArray()
	out.resize(clean.length() / 2)
	for i in range(out.size()):
		out[i] = _hex_values[clean[2 * i]] * 16 + _hex_values[clean[2 * i + 1]]
	return out


func to_hex(bytes: PoolByteArray) -> String:
	return bytes.hex_encode()


func new_codec():
	return load("res://web_socket_codec.gdns").new()


func report(obj: Dictionary) -> void:
	print(to_json(obj))
