// A WebSocket echo in one process: a server on 127.0.0.1 and a client talking to it, both polled
// by one PollLoop (the poll function runs when something happened). Prints every state change and
// packet, then exits 0. For a server that keeps running, see examples/echo-server (npm start).
//   node examples/echo/index.mjs   (PORT=9080 to pick the port; default: any free port)
import { Error, PollLoop, TcpServer, WebSocketPeer } from 'godot-websocket-peer';

const { State, WriteMode } = WebSocketPeer;
const STATE_NAMES = ['Connecting', 'Open', 'Closing', 'Closed'];

const tcp = new TcpServer();
if (tcp.Listen(Number(process.env.PORT ?? 0), '127.0.0.1') !== Error.Ok) {
  console.error('could not listen');
  process.exit(1);
}
const url = `ws://127.0.0.1:${tcp.GetLocalPort()}/echo`;
console.log(`server listening on ${url}`);

const client = new WebSocketPeer();
const server = new WebSocketPeer();
const lastState = new Map();
let sent = false;

function logState(name, peer) {
  const state = peer.GetReadyState();
  if (lastState.get(name) === state) return;
  lastState.set(name, state);
  console.log(`${name}: ${STATE_NAMES[state]}`);
}

client.ConnectToUrl(url);
const loop = PollLoop.Start(() => {
  // Server side: accept, echo every packet with its frame type.
  if (tcp.IsConnectionAvailable()) server.AcceptStream(tcp.TakeConnection());
  server.Poll();
  logState('server', server);
  while (server.GetAvailablePacketCount() > 0) {
    const packet = server.GetPacket();
    const mode = server.WasStringPacket() ? WriteMode.Text : WriteMode.Binary;
    server.Send(packet, mode);
  }

  // Client side: send once open, print echoes, close after the second.
  client.Poll();
  logState('client', client);
  if (client.GetReadyState() === State.Open && !sent) {
    client.SendText('hello, Godot-style peer');
    client.Send(new Uint8Array([1, 2, 3, 254, 255]));
    sent = true;
  }
  while (client.GetAvailablePacketCount() > 0) {
    const packet = client.GetPacket();
    const shown = client.WasStringPacket() ? JSON.stringify(Buffer.from(packet).toString()) : `<${Buffer.from(packet).toString('hex')}>`;
    console.log(`client got ${client.WasStringPacket() ? 'text' : 'binary'} ${shown}`);
    if (!client.WasStringPacket()) client.Close(1000, 'done');
  }
  if (client.GetReadyState() === State.Closed && server.GetReadyState() === State.Closed) {
    console.log(`closed: code ${client.GetCloseCode()} reason ${JSON.stringify(client.GetCloseReason())}`);
    loop.Stop();
    tcp.Stop();
    process.exit(client.GetCloseCode() === 1000 ? 0 : 1);
  }
});
setTimeout(() => { console.error('timed out'); process.exit(1); }, 10_000).unref();
