/**
 * MultiplayerPeer: what SceneMultiplayer needs from a transport (scene/main/multiplayer_peer.cpp):
 * numbered peers (the server is 1), a target for the next packet, the sender of the next packet,
 * a connection status and the peer_connected / peer_disconnected signals.
 */
import { randomInt } from 'node:crypto';
import { checkBoolean, checkInteger } from '../core/arguments.js';
import { registerGodotClass } from '../core/godot-object.js';
import { GodotSignal } from '../core/godot-signal.js';
import { PacketPeer } from '../core/packet-peer.js';

/** The largest peer id: ids are positive int32 because a negative target means "all but". */
export const MAX_PEER_ID = 0x7fffffff;

export abstract class MultiplayerPeer extends PacketPeer {
  static readonly TargetPeerBroadcast = 0;
  static readonly TargetPeerServer = 1;

  /** Emitted with the id of a peer that connected (on a client: 1, once the server accepted it). */
  readonly PeerConnected = new GodotSignal<[id: number]>('peer_connected');
  /** Emitted with the id of a peer that left. */
  readonly PeerDisconnected = new GodotSignal<[id: number]>('peer_disconnected');

  private transferMode = MultiplayerPeer.TransferModeEnum.Reliable;
  private transferChannel = 0;
  private refuseNewConnections = false;

  /** How the next packets go. A WebSocket is always reliable and ordered; the value is only kept. */
  get TransferMode(): MultiplayerPeer.TransferModeEnum {
    return this.transferMode;
  }
  set TransferMode(value: MultiplayerPeer.TransferModeEnum) {
    checkInteger('TransferMode', value);
    this.transferMode = value;
  }

  /** Channel of the next packets (0-255). A WebSocket has one channel; the value is only kept. */
  get TransferChannel(): number {
    return this.transferChannel;
  }
  set TransferChannel(value: number) {
    checkInteger('TransferChannel', value);
    this.transferChannel = value;
  }

  /** A server that refuses new connections drops them once their handshake completes. */
  get RefuseNewConnections(): boolean {
    return this.refuseNewConnections;
  }
  set RefuseNewConnections(value: boolean) {
    checkBoolean('RefuseNewConnections', value);
    this.refuseNewConnections = value;
  }

  /** A random id in [2, 2^31 - 1], as Godot's. Transports check it against the ids in use. */
  GenerateUniqueId(): number {
    return randomInt(2, MAX_PEER_ID + 1);
  }

  /** Whether SceneMultiplayer may relay between clients through the server. */
  IsServerRelaySupported(): boolean {
    return false;
  }

  abstract SetTargetPeer(id: number): void;
  /** The sender of the packet GetPacket() returns next. */
  abstract GetPacketPeer(): number;
  abstract GetPacketChannel(): number;
  abstract GetPacketMode(): MultiplayerPeer.TransferModeEnum;
  abstract GetUniqueId(): number;
  abstract IsServer(): boolean;
  abstract GetConnectionStatus(): MultiplayerPeer.ConnectionStatus;
  abstract Poll(): void;
  abstract Close(): void;
  abstract DisconnectPeer(peer: number, force?: boolean): void;
  abstract GetMaxPacketSize(): number;
}

export namespace MultiplayerPeer {
  export enum ConnectionStatus {
    Disconnected = 0,
    Connecting = 1,
    Connected = 2,
  }
  export enum TransferModeEnum {
    Unreliable = 0,
    UnreliableOrdered = 1,
    Reliable = 2,
  }
}

export type TransferMode = MultiplayerPeer.TransferModeEnum;
export const TransferMode = MultiplayerPeer.TransferModeEnum;
export type ConnectionStatus = MultiplayerPeer.ConnectionStatus;
export const ConnectionStatus = MultiplayerPeer.ConnectionStatus;

registerGodotClass(MultiplayerPeer, {
  name: 'MultiplayerPeer',
  methods: {
    set_target_peer: 'SetTargetPeer',
    get_packet_peer: 'GetPacketPeer',
    get_packet_channel: 'GetPacketChannel',
    get_packet_mode: 'GetPacketMode',
    poll: 'Poll',
    close: 'Close',
    disconnect_peer: 'DisconnectPeer',
    get_connection_status: 'GetConnectionStatus',
    get_unique_id: 'GetUniqueId',
    is_server: 'IsServer',
    generate_unique_id: 'GenerateUniqueId',
    is_server_relay_supported: 'IsServerRelaySupported',
    get_max_packet_size: 'GetMaxPacketSize',
    set_transfer_channel: 'set:TransferChannel',
    get_transfer_channel: 'get:TransferChannel',
    set_transfer_mode: 'set:TransferMode',
    get_transfer_mode: 'get:TransferMode',
    set_refuse_new_connections: 'set:RefuseNewConnections',
    is_refusing_new_connections: 'get:RefuseNewConnections',
  },
  properties: {
    refuse_new_connections: 'RefuseNewConnections',
    transfer_mode: 'TransferMode',
    transfer_channel: 'TransferChannel',
    peer_connected: 'PeerConnected',
    peer_disconnected: 'PeerDisconnected',
  },
  signals: ['peer_connected', 'peer_disconnected'],
});
