extends RefCounted
## A script class for full-object and script-typed container entries of the Variant corpus.
## Only exported (stored) members travel in var_to_bytes_with_objects; `scratch` does not.

@export var count := 0
@export var label := ""
@export var items: Array[int] = []
var scratch := "not sent"
