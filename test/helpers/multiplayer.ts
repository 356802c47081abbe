/** Node-side multiplayer fixtures: a WebSocketMultiplayerPeer server on loopback and clients of it. */
import { Error, MultiplayerPeer, WebSocketMultiplayerPeer } from '../../src/index.js';
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

