// An editor-tool client: a Node tool (MCP server, asset pipeline, test runner) talking JSON text
// frames to a Godot editor plugin or a running game. It sends one request, waits for the matching
// reply with a timeout, and closes. Run: node examples/editor-tool/index.mjs ws://127.0.0.1:9080/
// Without a URL it starts a tiny stand-in "editor" that answers {"id", "result"} and talks to it.
import { Error, TcpServer, WebSocketPeer } from 'godot-websocket-peer';

const { State } = WebSocketPeer;

/** Sends a JSON request and resolves with the reply that carries the same id. */
function request(peer, method, params, timeoutMs = 3000) {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    let sent = false;
    const loop = setInterval(() => {
      peer.Poll();
      if (peer.GetReadyState() === State.Open && !sent) {
        if (peer.SendText(JSON.stringify({ id, method, params })) !== Error.Ok) return fail('send failed');
        sent = true;
      }
      while (peer.GetAvailablePacketCount() > 0) {
        const reply = JSON.parse(Buffer.from(peer.GetPacket()).toString());
        if (reply.id === id) { clearInterval(loop); resolve(reply.result); }
      }
      if (peer.GetReadyState() === State.Closed) fail(`connection closed: ${peer.GetCloseReason() || peer.GetCloseCode()}`);
      else if (Date.now() > deadline) fail('timed out');
    }, 5);
    function fail(why) { clearInterval(loop); reject(new globalThis.Error(why)); }
  });
}

function startStandInEditor() {
  const tcp = new TcpServer();
  tcp.Listen(0, '127.0.0.1');
  const peers = [];
  const loop = setInterval(() => {
    if (tcp.IsConnectionAvailable()) { const p = new WebSocketPeer(); p.AcceptStream(tcp.TakeConnection()); peers.push(p); }
    for (const p of peers) {
      p.Poll();
      while (p.GetAvailablePacketCount() > 0) {
        const { id, method, params } = JSON.parse(Buffer.from(p.GetPacket()).toString());
        p.SendText(JSON.stringify({ id, result: { method, echoed: params, scene: 'res://main.tscn' } }));
      }
    }
  }, 5);
  return { url: `ws://127.0.0.1:${tcp.GetLocalPort()}/`, stop() { clearInterval(loop); for (const p of peers) p.Dispose(); tcp.Stop(); } };
}

const standIn = process.argv[2] ? null : startStandInEditor();
const peer = new WebSocketPeer();
peer.HandshakeTimeout = 3; // extension: fail fast instead of waiting on a dead editor
if (peer.ConnectToUrl(process.argv[2] ?? standIn.url) !== Error.Ok) throw new globalThis.Error('bad URL');
try {
  const result = await request(peer, 'get_edited_scene', { verbose: true });
  console.log('editor answered:', JSON.stringify(result));
  peer.Close();
  while (peer.GetReadyState() !== State.Closed) { peer.Poll(); await new Promise((r) => setTimeout(r, 5)); }
} catch (error) {
  console.error(String(error));
  process.exitCode = 1;
} finally {
  peer.Dispose();
  standIn?.stop();
}
