// CommonJS users (require) get the same types.
import gdws = require('godot-websocket-peer');
import gd = require('godot-websocket-peer/gdscript');

const peer = new gdws.WebSocketPeer();
const error: gdws.GodotError = peer.ConnectToUrl('ws://127.0.0.1:9080/');
const value: gdws.Variant = peer.GetVar();
const face: gd.WebSocketPeer = gd.WebSocketPeer.new();
const state: gd.WebSocketPeer.State = face.get_ready_state();
const same: boolean = gd.WebSocketPeer === gdws.WebSocketPeer;
console.log(error, value, state, same);
