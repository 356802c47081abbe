/** Godot 4's high-level multiplayer for Node.js: the WebSocket transport and SceneMultiplayer. */
export { MultiplayerPeer } from './multiplayer-peer.js';
export { WebSocketMultiplayerPeer } from './websocket-multiplayer-peer.js';
export { OfflineMultiplayerPeer } from './offline-multiplayer-peer.js';
export { SceneMultiplayer, type AuthCallback } from './scene-multiplayer.js';
export { NodeMirror } from './node-mirror.js';
export { Rpc, rpcAnnotation, RpcMode, type RpcConfig, type RpcOptions } from './rpc-config.js';

import { RpcMode } from './rpc-config.js';
/** C#'s MultiplayerApi.RpcMode, for `Rpc(MultiplayerApi.RpcMode.AnyPeer)`. */
export const MultiplayerApi = Object.freeze({ RpcMode });
