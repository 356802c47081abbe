// The GDScript face of the multiplayer classes: a port of the usual GDScript server and client.
import { describe, expect, it } from 'vitest';
import {
  MultiplayerAPI, MultiplayerPeer, NodeMirror, OK, SceneMultiplayer, WebSocketMultiplayerPeer, rpc,
} from '../src/gdscript.js';
import { pollUntil } from './helpers/loop.js';

describe('multiplayer, GDScript face', () => {
  it('runs the GDScript shape: create_server, multiplayer_peer, signals with connect(), rpc_id, @rpc as rpc()', async () => {
    expect(MultiplayerPeer.TARGET_PEER_SERVER).toBe(1);
    expect(MultiplayerPeer.CONNECTION_CONNECTED).toBe(2);
    expect(WebSocketMultiplayerPeer.TRANSFER_MODE_RELIABLE).toBe(2);
    expect(MultiplayerAPI.RPC_MODE_ANY_PEER).toBe(1);
    expect(rpc()).toEqual({ rpc_mode: 2, transfer_mode: 0, call_local: false, channel: 0 });
    expect(rpc('any_peer', 'call_local', 'unreliable_ordered', 3)).toEqual({ rpc_mode: 1, transfer_mode: 1, call_local: true, channel: 3 });
    expect(() => rpc('anyone')).toThrow(TypeError);

    const rpcs = { chat: rpc('any_peer', 'call_remote', 'reliable'), chat_echo: rpc('authority', 'call_remote', 'reliable') };
    const peer = WebSocketMultiplayerPeer.new();
    expect(peer.create_server(0, '127.0.0.1')).toBe(OK);
    const server = SceneMultiplayer.new();
    server.multiplayer_peer = peer;
    const main = NodeMirror.new('Main', rpcs);
    const heard: string[] = [];
    Object.assign(main, {
      chat(text: string) {
        heard.push(`${server.get_remote_sender_id()}: ${text}`);
        main.rpc('chat_echo', server.get_remote_sender_id(), text);
      },
    });
    expect(server.add_mirror(main)).toBe(OK);
    const joined: number[] = [];
    server.peer_connected.connect((id) => joined.push(id));

    const clientPeer = WebSocketMultiplayerPeer.new();
    expect(clientPeer.create_client(`ws://127.0.0.1:${peer.get_local_port()}`)).toBe(OK);
    const client = SceneMultiplayer.new();
    client.multiplayer_peer = clientPeer;
    const clientMain = NodeMirror.new('Main', rpcs);
    const echoes: string[] = [];
    Object.assign(clientMain, { chat_echo: (from: number, text: string) => echoes.push(`${from} ${text}`) });
    client.add_mirror(clientMain);
    client.connected_to_server.connect(() => clientMain.rpc_id(1, 'chat', 'hi'));

    await pollUntil([server, client], () => echoes.length === 1);
    const id = client.get_unique_id();
    expect(joined).toEqual([id]);
    expect(heard).toEqual([`${id}: hi`]);
    expect(echoes).toEqual([`${id} hi`]);
    expect(clientMain.multiplayer).toBe(client);
    expect(main.get_multiplayer_authority()).toBe(1);
    expect(main.is_multiplayer_authority()).toBe(true);
    expect(clientMain.is_multiplayer_authority()).toBe(false);
    clientPeer.close();
    peer.close();
  });
});
