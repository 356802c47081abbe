// A game-server mirror: the poll loop a GDScript server runs in _process(), serving several
// clients. Each client's text packets are chat lines broadcast to everyone; binary packets are
// input frames answered with a tick number. A PollLoop runs that _process() whenever a
// connection, a message, a close or a heartbeat is due, and never while the clients are idle.
// Run: node examples/game-server/index.mjs [port]
// With DEMO=1 it starts three bot clients, polled by a second PollLoop, and exits 0 once each
// bot has heard every chat line.
import { Error, PollLoop, TcpServer, WebSocketPeer } from 'godot-websocket-peer';

const { State, WriteMode } = WebSocketPeer;
const port = Number(process.argv[2] ?? process.env.PORT ?? (process.env.DEMO ? 0 : 9080));
const server = new TcpServer();
if (server.Listen(port, '127.0.0.1') !== Error.Ok) throw new globalThis.Error(`cannot listen on ${port}`);
console.log(`game server on ws://127.0.0.1:${server.GetLocalPort()}/`);

/** @type {Map<number, WebSocketPeer>} */
const peers = new Map();
let nextId = 1;
let tick = 0;

function process_() {
  tick++;
  while (server.IsConnectionAvailable()) {
    const peer = new WebSocketPeer();
    peer.HeartbeatInterval = 5; // drop clients that stop answering pings
    peer.AcceptStream(server.TakeConnection());
    peers.set(nextId++, peer);
  }
  for (const [id, peer] of peers) {
    peer.Poll();
    const state = peer.GetReadyState();
    if (state === State.Open) {
      while (peer.GetAvailablePacketCount() > 0) {
        const packet = peer.GetPacket();
        if (peer.WasStringPacket()) broadcast(`[${id}] ${Buffer.from(packet).toString()}`);
        else peer.Send(Uint8Array.of(tick & 0xff, packet[0] ?? 0), WriteMode.Binary);
      }
    } else if (state === State.Closed) {
      console.log(`player ${id} left (code ${peer.GetCloseCode()})`);
      peers.delete(id);
    }
  }
}

function broadcast(line) {
  for (const peer of peers.values()) if (peer.GetReadyState() === State.Open) peer.SendText(line);
}

const loop = PollLoop.Start(process_); // runs when something happened, like a game frame that sleeps

if (process.env.DEMO) {
  const url = `ws://127.0.0.1:${server.GetLocalPort()}/`;
  const bots = [1, 2, 3].map(() => { const b = new WebSocketPeer(); b.ConnectToUrl(url); return b; });
  let chatted = 0;
  let heard = 0;
  const botLoop = PollLoop.Start(() => {
    for (const [i, bot] of bots.entries()) {
      bot.Poll();
      if (bot.GetReadyState() !== State.Open) continue;
      if (chatted <= i) { bot.SendText(`hi from bot ${i + 1}`); chatted++; }
      while (bot.GetAvailablePacketCount() > 0) {
        const p = bot.GetPacket();
        if (bot.WasStringPacket()) { heard++; console.log(`bot ${i + 1} heard: ${Buffer.from(p)}`); }
      }
    }
    if (heard === 9) {
      for (const bot of bots) bot.Close();
      botLoop.Stop();
      setTimeout(() => { loop.Stop(); server.Stop(); console.log('demo done'); process.exit(0); }, 200);
    }
  });
  setTimeout(() => { console.error('demo timed out'); process.exit(1); }, 10_000).unref();
}
