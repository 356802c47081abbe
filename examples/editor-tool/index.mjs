// An editor-tool client: a Node tool (MCP server, asset pipeline, test runner) talking JSON text
// frames to a Godot editor plugin or a running game. It sends one request, waits for the matching
// reply with a timeout, and closes. Run: node examples/editor-tool/index.mjs ws://127.0.0.1:9080/
// Without a URL it starts a tiny stand-in "editor" that answers {"id", "result"} and talks to it.
// Both sides are polled by PollLoops: the process sleeps until a connection, a reply or a close arrives.
import { Error, PollLoop, TcpServer, WebSocketPeer } from 'godot-websocket-peer';

const { State } = WebSocketPeer;

/** Sends a JSON request and resolves with the reply that carries the same id. */
function request(peer, method, params, timeoutMs = 3000) {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve, reject) => {
    let sent = false;
    // PollLoop runs when the peer has news; a reply that never comes needs a timer of our own.
    const timer = setTimeout(() => fail('timed out'), timeoutMs);
    const loop = PollLoop.Start(() => {
      peer.Poll();
      if (peer.GetReadyState() === State.Open && !sent) {
        if (peer.SendText(JSON.stringify({ id, method, params })) !== Error.Ok) return fail('send failed');
        sent = true;
      }
      while (peer.GetAvailablePacketCount() > 0) {
        const reply = JSON.parse(Buffer.from(peer.GetPacket()).toString());
        if (reply.id === id) return settle(() => resolve(reply.result));
      }
      if (peer.GetReadyState() === State.Closed) fail(`connection closed: ${peer.GetCloseReason() || peer.GetCloseCode()}`);
    });
    function settle(how) { clearTimeout(timer); loop.Stop(); how(); }
    function fail(why) { settle(() => reject(new globalThis.Error(why))); }
  });
}

/** Polls the peer until its closing handshake is done. */
function closed(peer) {
  return new Promise((resolve) => {
    const loop = PollLoop.Start(() => {
      peer.Poll();
      if (peer.GetReadyState() === State.Closed) { loop.Stop(); resolve(); }
    });
  });
}

function startStandInEditor() {
  const tcp = new TcpServer();
  tcp.Listen(0, '127.0.0.1');
  const peers = [];
  const loop = PollLoop.Start(() => {
    while (tcp.IsConnectionAvailable()) { const p = new WebSocketPeer(); p.AcceptStream(tcp.TakeConnection()); peers.push(p); }
    for (const p of peers) {
      p.Poll();
      while (p.GetAvailablePacketCount() > 0) {
        const { id, method, params } = JSON.parse(Buffer.from(p.GetPacket()).toString());
        p.SendText(JSON.stringify({ id, result: { method, echoed: params, scene: 'res://main.tscn' } }));
      }
    }
  });
  return { url: `ws://127.0.0.1:${tcp.GetLocalPort()}/`, stop() { loop.Stop(); for (const p of peers) p.Dispose(); tcp.Stop(); } };
}

const standIn = process.argv[2] ? null : startStandInEditor();
const peer = new WebSocketPeer();
peer.HandshakeTimeout = 3; // extension: fail fast instead of waiting on a dead editor
if (peer.ConnectToUrl(process.argv[2] ?? standIn.url) !== Error.Ok) throw new globalThis.Error('bad URL');
try {
  const result = await request(peer, 'get_edited_scene', { verbose: true });
  console.log('editor answered:', JSON.stringify(result));
  peer.Close();
  await closed(peer);
} catch (error) {
  console.error(String(error));
  process.exitCode = 1;
} finally {
  peer.Dispose();
  standIn?.stop();
}
