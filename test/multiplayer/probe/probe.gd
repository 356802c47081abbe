extends Node
## Joins a Node multiplayer server and runs one scenario (user arguments --url=... --scenario=...).
## Every event is printed as one line: MP {"event": name, "data": ["type:value", ...]}.
## The RPC methods are declared out of alphabetical order on purpose: Godot numbers them by name.

var url := ""
var scenario := ""
var sm: SceneMultiplayer


func _ready() -> void:
	for arg in OS.get_cmdline_user_args():
		if arg.begins_with("--url="):
			url = arg.substr(6)
		elif arg.begins_with("--scenario="):
			scenario = arg.substr(11)
	sm = multiplayer as SceneMultiplayer
	# A node-level RPC (Node.rpc_config): numbered apart from the script's, with bit 15 set.
	rpc_config("dyn", {"rpc_mode": MultiplayerAPI.RPC_MODE_ANY_PEER, "transfer_mode": MultiplayerPeer.TRANSFER_MODE_RELIABLE, "call_local": false, "channel": 0})
	sm.connected_to_server.connect(_on_connected_to_server)
	sm.connection_failed.connect(func(): out("connection_failed"))
	sm.server_disconnected.connect(func(): out("server_disconnected"))
	sm.peer_connected.connect(_on_peer_connected)
	sm.peer_disconnected.connect(func(id: int): out("peer_disconnected", [id]))
	sm.peer_packet.connect(func(id: int, packet: PackedByteArray): out("peer_packet", [id, packet]))
	var peer := WebSocketMultiplayerPeer.new()
	if scenario == "timeout":
		peer.handshake_timeout = 0.5
	if scenario.begins_with("auth"):
		sm.auth_callback = _on_auth_data
		sm.peer_authenticating.connect(_on_authenticating)
		sm.peer_authentication_failed.connect(func(id: int): out("peer_authentication_failed", [id]))
	var error := peer.create_client(url)
	out("create_client", [error])
	sm.multiplayer_peer = peer


func out(event: String, data: Array = []) -> void:
	var texts := []
	for value in data:
		texts.append(type_string(typeof(value)) + ":" + var_to_str(value))
	print("MP ", JSON.stringify({"event": event, "data": texts}))


func _on_connected_to_server() -> void:
	out("connected", [sm.get_unique_id()])
	if scenario == "rpc":
		run_rpc_scenario()
	elif scenario == "relay":
		relay_ping.rpc(1000 + sm.get_unique_id())


func _on_peer_connected(id: int) -> void:
	out("peer_connected", [id])
	if scenario == "relay" and id != 1:
		relay_ping.rpc_id(id, sm.get_unique_id())


func _on_authenticating(id: int) -> void:
	out("peer_authenticating", [id])
	var password := "secret" if scenario == "auth-good" else "wrong"
	sm.send_auth(id, password.to_utf8_buffer())


func _on_auth_data(id: int, data: PackedByteArray) -> void:
	out("auth_data", [id, data.get_string_from_utf8()])
	sm.complete_auth(id)


func run_rpc_scenario() -> void:
	sm.send_bytes(PackedByteArray([1, 2, 3]))
	zulu.rpc_id(1, 5)
	alpha.rpc_id(1, "a")
	mike.rpc_id(1)
	dyn.rpc_id(1, 7)
	args.rpc_id(1, true, false, 0, -129, 70000, 1099511627776, 1.5, 2.0, "ünï", Vector2(1, 2), [1, "a"], {"k": 1}, PackedInt32Array([1, 2]), null, &"sn", NodePath("a/b:c"))
	bytes_only.rpc_id(1, PackedByteArray([9, 8, 7]))
	$Extra.known.rpc_id(1)
	$Extra.zzz_unknown.rpc_id(1)
	# Garbage straight through the transport, past SceneMultiplayer.
	var raw := sm.multiplayer_peer
	raw.put_packet(PackedByteArray([0x30]))
	raw.put_packet(PackedByteArray([7, 3, 0, 0, 0, 0]))
	raw.put_packet(PackedByteArray([4, 1, 2, 3]))
	zulu.rpc_id(1, 6)


func dyn(n: int) -> void:
	out("dyn", [n, sm.get_remote_sender_id()])


@rpc("any_peer", "call_remote", "reliable")
func zulu(n: int) -> void:
	out("zulu", [n, sm.get_remote_sender_id()])


@rpc("any_peer", "call_remote", "reliable")
func alpha(text: String) -> void:
	out("alpha", [text, sm.get_remote_sender_id()])


@rpc("authority", "call_remote", "reliable")
func from_server(a, b, c, d, e, f, g, h) -> void:
	out("from_server", [a, b, c, d, e, f, g, h, sm.get_remote_sender_id()])


@rpc("any_peer")
func mike() -> void:
	out("mike", [sm.get_remote_sender_id()])


@rpc("any_peer", "call_remote", "reliable")
func args(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p) -> void:
	out("args", [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p])


@rpc("any_peer", "call_remote", "reliable")
func bytes_only(data: PackedByteArray) -> void:
	out("bytes_only", [data])


@rpc("any_peer", "call_remote", "reliable")
func relay_ping(n: int) -> void:
	out("relay_ping", [n, sm.get_remote_sender_id()])
