/**
 * The multiplayer classes under GDScript's names, re-exported by "godot-websocket-peer/gdscript":
 * snake_case members (added by gdscript.ts from the class registry), the constants GDScript
 * reads (MultiplayerPeer.TARGET_PEER_SERVER, MultiplayerAPI.RPC_MODE_ANY_PEER), ClassName.new(),
 * signals as properties (`multiplayer.peer_connected.connect(fn)`) and `rpc(...)`, the @rpc
 * annotation as a value.
 */
import type { Error } from '../core/error.js';
import { installConstants, installNew, installStatics, type GDClass } from '../core/gdscript-statics.js';
import type { Listener } from '../core/godot-signal.js';
import type { TlsOptions } from '../tls/tls-options.js';
import type { WebSocketPeer } from '../websocket/websocket-peer.js';
import type { Variant, VariantInput } from '../variant/variant-value.js';
import { MultiplayerPeer } from './multiplayer-peer.js';
import { NodeMirror } from './node-mirror.js';
import { OfflineMultiplayerPeer } from './offline-multiplayer-peer.js';
import { rpcAnnotation, RpcMode, type RpcConfig } from './rpc-config.js';
import { SceneMultiplayer, type AuthCallback } from './scene-multiplayer.js';
import { WebSocketMultiplayerPeer } from './websocket-multiplayer-peer.js';

const constants = {
  TARGET_PEER_BROADCAST: MultiplayerPeer.TargetPeerBroadcast,
  TARGET_PEER_SERVER: MultiplayerPeer.TargetPeerServer,
  CONNECTION_DISCONNECTED: MultiplayerPeer.ConnectionStatus.Disconnected,
  CONNECTION_CONNECTING: MultiplayerPeer.ConnectionStatus.Connecting,
  CONNECTION_CONNECTED: MultiplayerPeer.ConnectionStatus.Connected,
  TRANSFER_MODE_UNRELIABLE: MultiplayerPeer.TransferModeEnum.Unreliable,
  TRANSFER_MODE_UNRELIABLE_ORDERED: MultiplayerPeer.TransferModeEnum.UnreliableOrdered,
  TRANSFER_MODE_RELIABLE: MultiplayerPeer.TransferModeEnum.Reliable,
} as const;
installConstants(MultiplayerPeer, constants);

const rpcModes = {
  RPC_MODE_DISABLED: RpcMode.Disabled,
  RPC_MODE_ANY_PEER: RpcMode.AnyPeer,
  RPC_MODE_AUTHORITY: RpcMode.Authority,
} as const;

/** GDScript's MultiplayerAPI constants (SceneMultiplayer is the MultiplayerAPI here). */
export const MultiplayerAPI = Object.freeze({ ...rpcModes });

installNew([WebSocketMultiplayerPeer, SceneMultiplayer, OfflineMultiplayerPeer]);
installStatics(NodeMirror, { new: (path: string, rpcs?: Record<string, RpcConfig>) => new NodeMirror(path, rpcs) });

/** A signal as GDScript uses it. */
export interface GDSignal<Args extends unknown[]> {
  connect(callable: Listener<Args>, one_shot?: boolean): number;
  disconnect(callable: Listener<Args>): void;
  is_connected(callable: Listener<Args>): boolean;
  emit(...args: Args): void;
}

export interface GDMultiplayerPeer {
  refuse_new_connections: boolean;
  transfer_mode: number;
  transfer_channel: number;
  readonly peer_connected: GDSignal<[id: number]>;
  readonly peer_disconnected: GDSignal<[id: number]>;
  set_target_peer(id: number): void;
  get_packet_peer(): number;
  get_packet_channel(): number;
  get_packet_mode(): number;
  poll(): void;
  close(): void;
  disconnect_peer(peer: number, force?: boolean): void;
  get_connection_status(): MultiplayerPeer.ConnectionStatus;
  get_unique_id(): number;
  generate_unique_id(): number;
  is_server_relay_supported(): boolean;
  get_available_packet_count(): number;
  get_packet(): Uint8Array;
  put_packet(buffer: Uint8Array): Error;
  get_packet_error(): Error;
  get_var(allow_objects?: boolean): Variant;
  put_var(value: VariantInput, full_objects?: boolean): Error;
}

export interface GDWebSocketMultiplayerPeer extends GDMultiplayerPeer {
  supported_protocols: string[];
  handshake_headers: string[];
  inbound_buffer_size: number;
  outbound_buffer_size: number;
  handshake_timeout: number;
  max_queued_packets: number;
  create_client(url: string, tls_client_options?: TlsOptions | null): Error;
  create_server(port: number, bind_address?: string, tls_server_options?: TlsOptions | null): Error;
  get_peer(peer_id: number): WebSocketPeer | null;
  get_peer_address(id: number): string;
  get_peer_port(id: number): number;
  get_local_port(): number;
  get_close_reason(): string;
}

export interface GDSceneMultiplayer {
  multiplayer_peer: MultiplayerPeer | null;
  root_path: string;
  auth_callback: AuthCallback | null;
  auth_timeout: number;
  allow_object_decoding: boolean;
  server_relay: boolean;
  refuse_new_connections: boolean;
  max_cached_paths: number;
  readonly peer_connected: GDSignal<[id: number]>;
  readonly peer_disconnected: GDSignal<[id: number]>;
  readonly connected_to_server: GDSignal<[]>;
  readonly connection_failed: GDSignal<[]>;
  readonly server_disconnected: GDSignal<[]>;
  readonly peer_authenticating: GDSignal<[id: number]>;
  readonly peer_authentication_failed: GDSignal<[id: number]>;
  readonly peer_packet: GDSignal<[id: number, packet: Uint8Array]>;
  readonly protocol_error: GDSignal<[id: number, reason: string]>;
  poll(): Error;
  has_multiplayer_peer(): boolean;
  get_unique_id(): number;
  is_server(): boolean;
  get_remote_sender_id(): number;
  get_peers(): number[];
  rpc(peer: number, object: NodeMirror, method: string, args?: VariantInput[]): Error;
  send_bytes(bytes: Uint8Array, id?: number, mode?: MultiplayerPeer.TransferModeEnum, channel?: number): Error;
  send_auth(id: number, data: Uint8Array): Error;
  complete_auth(id: number): Error;
  get_authenticating_peers(): number[];
  disconnect_peer(id: number): void;
  clear(): void;
  add_mirror(mirror: NodeMirror): Error;
  remove_mirror(mirror: NodeMirror): void;
  get_mirror(path: string): NodeMirror | null;
}

export interface GDNodeMirror {
  readonly name: string;
  readonly multiplayer: (SceneMultiplayer & GDSceneMultiplayer) | null;
  rpc(method: string, ...args: VariantInput[]): Error;
  rpc_id(peer_id: number, method: string, ...args: VariantInput[]): Error;
  rpc_config(method: string, config: RpcConfig | null): void;
  get_multiplayer_authority(): number;
  set_multiplayer_authority(id: number): void;
  is_multiplayer_authority(): boolean;
  get_path_from_root(): string;
}

const GDMultiplayerPeerClass = MultiplayerPeer as unknown as (abstract new () => MultiplayerPeer & GDMultiplayerPeer) & Omit<typeof MultiplayerPeer, 'prototype'> & typeof constants;
const GDWebSocketMultiplayerPeerClass = WebSocketMultiplayerPeer as unknown as GDClass<WebSocketMultiplayerPeer & GDWebSocketMultiplayerPeer> & Omit<typeof WebSocketMultiplayerPeer, 'prototype'> & typeof constants;
const GDSceneMultiplayerClass = SceneMultiplayer as unknown as GDClass<SceneMultiplayer & GDSceneMultiplayer>;
const GDOfflineMultiplayerPeerClass = OfflineMultiplayerPeer as unknown as GDClass<OfflineMultiplayerPeer & GDMultiplayerPeer>;
const GDNodeMirrorClass = NodeMirror as unknown as (new (path: string, rpcs?: Record<string, RpcConfig>) => NodeMirror & GDNodeMirror) & {
  new: (path: string, rpcs?: Record<string, RpcConfig>) => NodeMirror & GDNodeMirror;
};

export {
  GDMultiplayerPeerClass as MultiplayerPeer,
  GDWebSocketMultiplayerPeerClass as WebSocketMultiplayerPeer,
  GDSceneMultiplayerClass as SceneMultiplayer,
  GDOfflineMultiplayerPeerClass as OfflineMultiplayerPeer,
  GDNodeMirrorClass as NodeMirror,
  rpcAnnotation as rpc,
};
