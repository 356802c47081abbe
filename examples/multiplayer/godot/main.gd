extends Node
## Joins the Node server of examples/multiplayer, says hello in the chat and pings every other
## player through the server's relay. Prints what happens. The server URL is the user argument
## --url=... (default ws://127.0.0.1:9080): godot --path . -- --url=ws://127.0.0.1:9080

var url := "ws://127.0.0.1:9080"


func _ready() -> void:
	for arg in OS.get_cmdline_user_args():
		if arg.begins_with("--url="):
			url = arg.substr(6)
	multiplayer.connected_to_server.connect(_on_connected_to_server)
	multiplayer.connection_failed.connect(func(): print("connection failed"))
	multiplayer.server_disconnected.connect(func(): print("server disconnected"))
	multiplayer.peer_connected.connect(_on_peer_connected)
	multiplayer.peer_disconnected.connect(func(id: int): print("peer %d left" % id))
	var peer := WebSocketMultiplayerPeer.new()
	var error := peer.create_client(url)
	if error != OK:
		print("cannot connect to %s: error %d" % [url, error])
		return
	multiplayer.multiplayer_peer = peer


func _on_connected_to_server() -> void:
	print("connected as %d" % multiplayer.get_unique_id())
	chat.rpc_id(1, "hello from %d" % multiplayer.get_unique_id())


func _on_peer_connected(id: int) -> void:
	print("peer %d joined" % id)
	if id != 1:
		ping.rpc_id(id, multiplayer.get_unique_id())


# The server receives chat and answers every client with chat_echo.
@rpc("any_peer", "call_remote", "reliable")
func chat(text: String) -> void:
	print("chat from %d: %s" % [multiplayer.get_remote_sender_id(), text])


@rpc("authority", "call_remote", "reliable")
func chat_echo(from: int, text: String) -> void:
	print("chat_echo from %d: %s" % [from, text])


@rpc("any_peer", "call_remote", "reliable")
func ping(n: int) -> void:
	print("ping %d from %d" % [n, multiplayer.get_remote_sender_id()])
