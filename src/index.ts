/**
 * godot-websocket-peer: Godot 4's WebSocketPeer for Node.js, under the GodotSharp (C#) names.
 * The GDScript names of the same objects are in "godot-websocket-peer/gdscript".
 */
export { Error, GodotError } from './core/error.js';
export { GodotObject } from './core/godot-object.js';
export { WarningCode } from './core/warnings.js';
export { PacketPeer } from './core/packet-peer.js';
export { StreamPeer } from './core/stream-peer.js';
export { StreamPeerTcp } from './net/stream-peer-tcp.js';
export { TcpServer } from './net/tcp-server.js';
export { WebSocketPeer } from './websocket/websocket-peer.js';
export { GodotSignal } from './core/godot-signal.js';
export { PollLoop } from './core/poll-loop.js';
export {
  MultiplayerPeer, WebSocketMultiplayerPeer, OfflineMultiplayerPeer, SceneMultiplayer, NodeMirror, Rpc, RpcMode, MultiplayerApi,
  type AuthCallback, type RpcConfig, type RpcOptions,
} from './multiplayer/index.js';
export { CryptoKey, StreamPeerTls, TlsOptions, X509Certificate } from './tls/index.js';
export { GD } from './variant/gd.js';
export {
  decodeVariant, encodeVariant, VariantType, GodotFloat, StringName, NodePath, Rid, Callable, Signal,
  EncodedObjectAsId, EncodedObject, type VariantFormat, type EncodeOptions, type DecodeOptions,
  type Variant, type VariantInput, type VariantMath, type VariantPacked,
} from './variant/index.js';
export * from './variant/math-types.js';
export * from './variant/containers.js';
