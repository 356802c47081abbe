/** Godot 4's high-level multiplayer for Node.js: the WebSocket transport and SceneMultiplayer. */
export { MultiplayerPeer } from './multiplayer-peer.js';
export { WebSocketMultiplayerPeer } from './websocket-multiplayer-peer.js';
