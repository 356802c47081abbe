// Each line marked `// error: TSnnnn` must fail to compile with exactly that error (and no other
// line may fail): test/types.test.ts compares tsc's output with these marks.
import { GD, GodotError, PacketPeer, PollLoop, TcpServer, WebSocketPeer, type Variant } from 'godot-websocket-peer';
import * as gd from 'godot-websocket-peer/gdscript';
import { Socket } from 'node:net';

const peer = new WebSocketPeer();
const bytes = new Uint8Array(4);
peer.ConnectToUrl('ws://127.0.0.1:9080/', 42); // error: TS2345
peer.ConnectToUrl(new URL('ws://127.0.0.1/')); // error: TS2345
peer.Send(bytes, 7); // error: TS2345
peer.Send('text'); // error: TS2345
peer.SendText(bytes); // error: TS2345
peer.Close('1000'); // error: TS2345
peer.AcceptStream(new TcpServer()); // error: TS2740
peer.AcceptHttpUpgrade('GET / HTTP/1.1', new Socket(), Buffer.alloc(0)); // error: TS2345
peer.VariantFormat = 5; // error: TS2322
peer.SupportedProtocols = 'chat'; // error: TS2322
const state: string = peer.GetReadyState(); // error: TS2322
new PacketPeer(); // error: TS2511
new TcpServer().Listen('9080'); // error: TS2345
PollLoop.Start(42); // error: TS2345
new PollLoop(); // error: TS2673

// Variant: GetVar's value must be narrowed; PutVar refuses what has no Variant form.
const msg = peer.GetVar();
msg.get('pos'); // error: TS18047, TS2339
const text: string = peer.GetVar(); // error: TS2322
peer.PutVar(() => 1); // error: TS2345
peer.PutVar(new Date()); // error: TS2345
peer.PutVar({ when: new Date() }); // error: TS2345
peer.PutVar(Symbol('x')); // error: TS2345
GD.VarToBytes(new Set([1])); // error: TS2345
GD.BytesToVar([1, 2, 3]); // error: TS2740
GD.VarToBytes(1, 5); // error: TS2345
interface Move { op: string }
peer.PutVar({ op: 'move' } as Move); // error: TS2345
const fine: Variant = 1;

// The GDScript face: same rules, snake_case names.
const ws = gd.WebSocketPeer.new();
ws.send(bytes, 7); // error: TS2345
ws.connect_to_url('ws://127.0.0.1:9080/', 42); // error: TS2345
ws.accept_stream('stream'); // error: TS2345
ws.put_var(() => 1); // error: TS2345
gd.WebSocketPeer.STATE_OPEN = 3; // error: TS2540
const code: GodotError.Busy = gd.OK; // error: TS2322
if (gd.TCPServer.new().take_connection()?.get_status() === gd.WebSocketPeer.STATE_OPEN) {} // error: TS2367
new gd.StreamPeer(); // error: TS2511
gd.WebSocketMultiplayerPeer.new().create_client('ws://127.0.0.1/', 42); // error: TS2345
console.log(state, text, code, fine);
