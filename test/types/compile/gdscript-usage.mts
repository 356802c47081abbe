// The GDScript face under strict TypeScript: classes as values, types and namespaces of enums,
// constants with their literal types, new().
import {
  ERR_BUSY, ERR_UNAVAILABLE, OK, StreamPeerTCP, StreamPeerTLS, TCPServer, TLSOptions, WebSocketMultiplayerPeer, WebSocketPeer,
  bytes_to_var, var_to_bytes, Vector2i, type Variant,
} from 'godot-websocket-peer/gdscript';
import { GodotError } from 'godot-websocket-peer';

const ws: WebSocketPeer = WebSocketPeer.new();
const other: WebSocketPeer = new WebSocketPeer();
ws.supported_protocols = ['chat'];
ws.inbound_buffer_size = 1 << 20;
if (ws.connect_to_url('ws://127.0.0.1:9080/') !== OK) throw new Error('bad url');
ws.connect_to_url('wss://example.com/', TLSOptions.client());
ws.poll();
const state: WebSocketPeer.State = ws.get_ready_state();
if (state === WebSocketPeer.STATE_OPEN) ws.send(new Uint8Array([1]), WebSocketPeer.WRITE_MODE_TEXT);
if (ws.get_ready_state() === WebSocketPeer.State.Closed) console.log(ws.get_close_code(), ws.get_close_reason());
const mode: WebSocketPeer.WriteMode = WebSocketPeer.WRITE_MODE_BINARY;
const open: WebSocketPeer.State.Open = WebSocketPeer.STATE_OPEN;
const busy: GodotError.Busy = ERR_BUSY;
const unavailable: GodotError = ERR_UNAVAILABLE;
const ok: 0 = OK;
const v: Variant = ws.get_var();
ws.put_var({ at: new Vector2i(1, 2) });
const decoded: Variant = bytes_to_var(var_to_bytes([1, 'two']));

const server = TCPServer.new();
server.listen(0, '127.0.0.1');
const stream: StreamPeerTCP | null = server.take_connection();
if (stream && stream.get_status() === StreamPeerTCP.STATUS_CONNECTED) {
  const status: StreamPeerTCP.Status = stream.get_status();
  stream.put_u16(7);
  other.accept_stream(stream);
  console.log(status);
}
const tlsStatus: StreamPeerTLS.Status = StreamPeerTLS.STATUS_HANDSHAKING;
const mp = WebSocketMultiplayerPeer.new();
mp.create_client('ws://127.0.0.1:9080/', null);
console.log(mode, open, busy, unavailable, ok, v, decoded, tlsStatus, mp.get_connection_status() === WebSocketMultiplayerPeer.CONNECTION_CONNECTED);
