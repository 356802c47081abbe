/** Node-side multiplayer fixtures: a WebSocketMultiplayerPeer server on loopback and clients of it. */
import {
  Error, MultiplayerPeer, SceneMultiplayer, WebSocketMultiplayerPeer, type NodeMirror,
} from '../../src/index.js';
import { pollUntil, type Pollable } from './loop.js';

export function startServerPeer(configure?: (peer: WebSocketMultiplayerPeer) => void): WebSocketMultiplayerPeer {
  const peer = new WebSocketMultiplayerPeer();
  configure?.(peer);
  const error = peer.CreateServer(0, '127.0.0.1');
  if (error !== Error.Ok) throw new globalThis.Error(`CreateServer returned ${Error[error]}`);
  return peer;
}

export function urlOf(server: WebSocketMultiplayerPeer): string {
  return `ws://127.0.0.1:${server.GetLocalPort()}/`;
}

/** Connects a client peer and polls it (and the others) until it has its id. */
export async function connectClientPeer(server: WebSocketMultiplayerPeer, others: Pollable[] = []): Promise<WebSocketMultiplayerPeer> {
  const client = new WebSocketMultiplayerPeer();
  const error = client.CreateClient(urlOf(server));
  if (error !== Error.Ok) throw new globalThis.Error(`CreateClient returned ${Error[error]}`);
  await pollUntil([server, client, ...others], () => client.GetConnectionStatus() === MultiplayerPeer.ConnectionStatus.Connected, 5000, 'the client id');
  return client;
}

/** Everything one SceneMultiplayer saw, for assertions. */
export class Recorder {
  readonly events: string[] = [];
  readonly packets: [number, number[]][] = [];
  readonly errors: [number, string][] = [];

  constructor(readonly multiplayer: SceneMultiplayer) {
    multiplayer.PeerConnected.Connect((id) => this.events.push(`connected ${id}`));
    multiplayer.PeerDisconnected.Connect((id) => this.events.push(`disconnected ${id}`));
    multiplayer.ConnectedToServer.Connect(() => this.events.push('connected_to_server'));
    multiplayer.ServerDisconnected.Connect(() => this.events.push('server_disconnected'));
    multiplayer.ConnectionFailed.Connect(() => this.events.push('connection_failed'));
    multiplayer.PeerPacket.Connect((id, packet) => this.packets.push([id, [...packet]]));
    multiplayer.ProtocolError.Connect((id, reason) => this.errors.push([id, reason]));
  }

  errorNames(): string[] {
    return this.errors.map(([, reason]) => reason.slice(0, reason.indexOf(':')));
  }
}

export interface SceneNode {
  peer: WebSocketMultiplayerPeer;
  multiplayer: SceneMultiplayer;
  record: Recorder;
}

/** A SceneMultiplayer server with the given mirrors. */
export function startSceneServer(mirrors: NodeMirror[] = [], configure?: (peer: WebSocketMultiplayerPeer) => void): SceneNode {
  const peer = startServerPeer(configure);
  const multiplayer = new SceneMultiplayer();
  multiplayer.MultiplayerPeer = peer;
  for (const mirror of mirrors) multiplayer.AddMirror(mirror);
  return { peer, multiplayer, record: new Recorder(multiplayer) };
}

/** A SceneMultiplayer client, polled (with `others`) until the server admitted it. */
export async function joinScene(server: SceneNode, mirrors: NodeMirror[], others: Pollable[] = []): Promise<SceneNode> {
  const peer = new WebSocketMultiplayerPeer();
  const error = peer.CreateClient(urlOf(server.peer));
  if (error !== Error.Ok) throw new globalThis.Error(`CreateClient returned ${Error[error]}`);
  const multiplayer = new SceneMultiplayer();
  multiplayer.MultiplayerPeer = peer;
  for (const mirror of mirrors) multiplayer.AddMirror(mirror);
  const node = { peer, multiplayer, record: new Recorder(multiplayer) };
  await pollUntil([server.multiplayer, multiplayer, ...others], () => multiplayer.GetPeers().includes(1) && server.multiplayer.GetPeers().includes(peer.GetUniqueId()), 5000, 'the client to join');
  return node;
}
