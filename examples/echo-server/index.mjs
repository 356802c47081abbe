// A WebSocket echo server that runs until stopped (Ctrl+C or SIGTERM), driven by PollLoop: the
// poll function runs only when a connection, a message or a close arrives, so the process sleeps
// while its peers are idle and answers a message in the event-loop turn it arrives in.
//   npm start                         ws://127.0.0.1:9080/
//   PORT=8080 HOST=0.0.0.0 npm start  another port or address (an IP address, or * for all)
// Every text or binary message is sent back to its sender with its kind.
import { GodotError, PollLoop, TcpServer, WebSocketPeer } from 'godot-websocket-peer';

const port = Number(process.env.PORT ?? 9080);
const host = process.env.HOST ?? '127.0.0.1';
const { Text, Binary } = WebSocketPeer.WriteMode;

const server = new TcpServer();
if (server.Listen(port, host) !== GodotError.Ok) {
  console.error(`echo-server: cannot listen on ${host} port ${port} (taken, or HOST is not an IP address)`);
  process.exit(1);
}
console.log(`echo-server: listening on ws://${host.includes(':') ? `[${host}]` : host}:${server.GetLocalPort()}/`);

/** @type {Set<WebSocketPeer>} */
const peers = new Set();
let stopping = false;

const loop = PollLoop.Start(() => {
  while (server.IsConnectionAvailable()) {
    const peer = new WebSocketPeer();
    peer.AcceptStream(server.TakeConnection());
    peers.add(peer);
  }
  for (const peer of peers) {
    peer.Poll();
    while (peer.GetAvailablePacketCount() > 0) {
      const packet = peer.GetPacket();
      peer.Send(packet, peer.WasStringPacket() ? Text : Binary);
    }
    if (peer.GetReadyState() === WebSocketPeer.State.Closed) peers.delete(peer);
  }
  // Once stopping, the process ends by itself when the last close handshake is done.
  if (stopping && peers.size === 0) loop.Stop();
});

function stop() {
  if (stopping) return;
  stopping = true;
  console.log(`echo-server: stopping, closing ${peers.size} connection(s)`);
  server.Stop();
  for (const peer of peers) peer.Close(1001, 'server stopping');
  loop.Wake();
  // A client that never answers the close frame must not keep the server alive.
  setTimeout(() => process.exit(0), 3000).unref();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
