// examples/multiplayer/server.mjs with Node clients that mirror main.gd (the real Godot clients
// join it in multiplayer-engine.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Error, MultiplayerPeer, NodeMirror, Rpc, RpcMode, SceneMultiplayer, WebSocketMultiplayerPeer,
} from '../src/index.js';
import { pollUntil } from './helpers/loop.js';
import { startExampleServer, type ExampleServer } from './helpers/example-server.js';

const reliable = { TransferMode: MultiplayerPeer.TransferModeEnum.Reliable };

class Main extends NodeMirror {
  static override Rpcs = { chat: Rpc(RpcMode.AnyPeer, reliable), chat_echo: Rpc(RpcMode.Authority, reliable), ping: Rpc(RpcMode.AnyPeer, reliable) };
  readonly log: string[] = [];
  chat_echo(from: number, text: string) {
    this.log.push(`chat_echo ${from} ${text}`);
  }
  ping(n: number) {
    this.log.push(`ping ${n} from ${this.Multiplayer!.GetRemoteSenderId()}`);
  }
}

let server: ExampleServer;
beforeAll(async () => {
  server = await startExampleServer();
});
afterAll(async () => {
  expect(await server.stop()).toBe(0); // SIGTERM closes the peer and the process ends by itself
});

function join() {
  const peer = new WebSocketMultiplayerPeer();
  expect(peer.CreateClient(`ws://127.0.0.1:${server.port}`)).toBe(Error.Ok);
  const multiplayer = new SceneMultiplayer();
  multiplayer.MultiplayerPeer = peer;
  const main = new Main('Main');
  multiplayer.AddMirror(main);
  multiplayer.ConnectedToServer.Connect(() => main.RpcId(1, 'chat', `hello from ${multiplayer.GetUniqueId()}`));
  multiplayer.PeerConnected.Connect((id) => {
    if (id !== 1) main.RpcId(id, 'ping', multiplayer.GetUniqueId());
  });
  return { peer, multiplayer, main };
}

describe('examples/multiplayer/server.mjs', () => {
  it('echoes chat to every client and relays pings with the true sender', async () => {
    const a = join();
    await pollUntil([a.multiplayer], () => a.main.log.length === 1);
    const b = join();
    await pollUntil([a.multiplayer, b.multiplayer], () => a.main.log.length === 3 && b.main.log.length === 2);
    const [idA, idB] = [a.multiplayer.GetUniqueId(), b.multiplayer.GetUniqueId()];
    expect(a.main.log[0]).toBe(`chat_echo ${idA} hello from ${idA}`);
    expect(a.main.log.slice(1).sort()).toEqual([`chat_echo ${idB} hello from ${idB}`, `ping ${idB} from ${idB}`].sort());
    expect(b.main.log.sort()).toEqual([`chat_echo ${idB} hello from ${idB}`, `ping ${idA} from ${idA}`].sort());
    a.peer.Close();
    b.peer.Close();
    await pollUntil([], () => server.lines.filter((l) => l.endsWith(' left')).length === 2);
    expect(server.lines).toEqual(expect.arrayContaining([
      `peer ${idA} joined`, `chat from ${idA}: hello from ${idA}`, `peer ${idB} joined`, `chat from ${idB}: hello from ${idB}`,
      `peer ${idA} left`, `peer ${idB} left`,
    ]));
  });
});
