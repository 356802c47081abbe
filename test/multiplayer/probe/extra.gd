extends Node
## The node at /root/Probe/Extra. The Node server's mirror of it declares `known` only, so
## `zzz_unknown` (id 1, after `known`) is an RPC the server does not have.


@rpc("any_peer", "call_remote", "reliable")
func known() -> void:
	pass


@rpc("any_peer", "call_remote", "reliable")
func zzz_unknown() -> void:
	pass
