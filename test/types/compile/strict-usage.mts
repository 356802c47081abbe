// What a strict TypeScript user writes with the C# face: every line must compile.
import {
  Color, GD, GodotError, GodotFloat, NodePath, PollLoop, StreamPeerTcp, TcpServer, TlsOptions, TypedArray, Vector2, VariantType, WebSocketPeer,
  type Variant, type VariantInput,
} from 'godot-websocket-peer';

const peer = new WebSocketPeer();
const connect: GodotError = peer.ConnectToUrl('wss://example.com/', TlsOptions.Client());
const plain: GodotError = peer.ConnectToUrl('ws://127.0.0.1:9080/', null);
peer.SupportedProtocols = ['chat'];
peer.HeartbeatInterval = 5;
peer.VariantFormat = 3;
const state: WebSocketPeer.State = peer.GetReadyState();
if (state === WebSocketPeer.State.Open) {
  peer.Send(new Uint8Array([1, 2, 3]), WebSocketPeer.WriteMode.Text);
  peer.Send(new Uint8Array([1]));
  peer.SendText('hi');
}

// GetVar returns a Variant: narrow it before use.
const msg: Variant = peer.GetVar();
if (msg instanceof Map) {
  const pos = msg.get('pos');
  if (pos instanceof Vector2) console.log(pos.x + pos.y);
}
if (typeof msg === 'number' || typeof msg === 'bigint') console.log(msg);
if (msg instanceof GodotFloat) console.log(msg.value.toFixed(1));
if (Array.isArray(msg)) for (const item of msg) console.log(item satisfies Variant);

// PutVar takes Variants, plain objects (declared with `type`), undefined, read-only containers.
type Move = { op: string; to: Vector2; tags: readonly string[]; extra?: number };
const move: Move = { op: 'move', to: new Vector2(1, 2), tags: ['a'] };
const sent: GodotError = peer.PutVar(move);
peer.PutVar({ list: [1, 2n, 'three', null, undefined, new Color(1, 0, 0, 1)], nested: new Map<string, VariantInput>([['k', new NodePath('/root')]]) });
peer.PutVar(new TypedArray(VariantType.Int, [1, 2, 3]));
peer.PutVar(new Float32Array(4), true);
const bytes: Uint8Array = GD.VarToBytes({ hp: 10 });
const back: Variant = GD.BytesToVar(bytes, 4);
console.log(connect, plain, sent, back);

// Streams and servers.
const server = new TcpServer();
if (server.Listen(0, '127.0.0.1') === GodotError.Ok && server.IsConnectionAvailable()) {
  const stream: StreamPeerTcp | null = server.TakeConnection();
  if (stream) {
    const status: StreamPeerTcp.Status = stream.GetStatus();
    const [error, data] = stream.GetData(4);
    const value: Variant = stream.GetVar();
    console.log(status, error, data.length, value, peer.AcceptStream(stream));
  }
}
peer.Close(1000, 'bye');

const loop: PollLoop = PollLoop.Start(() => peer.Poll());
const runs: number = loop.GetRunCount();
loop.Wake();
if (loop.IsRunning()) loop.Stop();
console.log(runs);
