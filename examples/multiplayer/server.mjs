// A Node server that Godot 4 games join: the same WebSocketMultiplayerPeer + SceneMultiplayer a
// Godot server would use, with a NodeMirror standing in for the game's Main node.
//   node examples/multiplayer/server.mjs            (PORT=9080 by default; PORT=0 picks a free port)
// Then run examples/multiplayer/godot (Godot 4) once or more; it connects to ws://127.0.0.1:9080.
import {
  Error, MultiplayerPeer, NodeMirror, PollLoop, Rpc, RpcMode, SceneMultiplayer, WebSocketMultiplayerPeer,
} from 'godot-websocket-peer';

const reliable = { TransferMode: MultiplayerPeer.TransferModeEnum.Reliable };

// The RPC methods of main.gd, with the same @rpc options: the method names fix the RPC ids.
class Main extends NodeMirror {
  static Rpcs = {
    chat: Rpc(RpcMode.AnyPeer, reliable), //      @rpc("any_peer", "call_remote", "reliable")
    chat_echo: Rpc(RpcMode.Authority, reliable), // @rpc("authority", "call_remote", "reliable")
    ping: Rpc(RpcMode.AnyPeer, reliable), //      @rpc("any_peer", "call_remote", "reliable")
  };

  chat(text) {
    const from = this.Multiplayer.GetRemoteSenderId();
    console.log(`chat from ${from}: ${text}`);
    this.Rpc('chat_echo', from, text); // to every client
  }

  chat_echo() {} // clients run it; the server only sends it

  ping() {} // clients ping each other through the server's relay; never sent to the server
}

const peer = new WebSocketMultiplayerPeer();
const error = peer.CreateServer(Number(process.env.PORT ?? 9080));
if (error !== Error.Ok) {
  console.error(`cannot listen: ${Error[error]}`);
  process.exit(1);
}
const multiplayer = new SceneMultiplayer();
multiplayer.MultiplayerPeer = peer;
multiplayer.AddMirror(new Main('Main')); // the node at /root/Main, as in main.tscn
multiplayer.PeerConnected.Connect((id) => console.log(`peer ${id} joined`));
multiplayer.PeerDisconnected.Connect((id) => console.log(`peer ${id} left`));
multiplayer.ProtocolError.Connect((id, reason) => console.log(`peer ${id}: ${reason}`));
console.log(`listening on port ${peer.GetLocalPort()}`);

// The game's process frame, run when something happened (a connection, a packet, a timeout).
const loop = PollLoop.Start(() => multiplayer.Poll());
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    loop.Stop();
    peer.Close();
  });
}
