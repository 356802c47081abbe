/**
 * OfflineMultiplayerPeer: SceneMultiplayer's peer until a real one is set, as in Godot: always
 * connected, always the server (id 1), with nobody to talk to.
 */
import { Error } from '../core/error.js';
import { registerGodotClass } from '../core/godot-object.js';
import type { PacketResult } from '../core/packet-peer.js';
import { MultiplayerPeer } from './multiplayer-peer.js';

export class OfflineMultiplayerPeer extends MultiplayerPeer {
  GetAvailablePacketCount(): number {
    return 0;
  }
  protected takePacket(): PacketResult {
    return { error: Error.Unavailable, packet: new Uint8Array(0) };
  }
  protected sendPacket(): Error {
    return Error.Ok;
  }
  SetTargetPeer(): void {}
  GetPacketPeer(): number {
    return 0;
  }
  GetPacketChannel(): number {
    return 0;
  }
  GetPacketMode(): MultiplayerPeer.TransferModeEnum {
    return MultiplayerPeer.TransferModeEnum.Reliable;
  }
  GetUniqueId(): number {
    return MultiplayerPeer.TargetPeerServer;
  }
  IsServer(): boolean {
    return true;
  }
  GetConnectionStatus(): MultiplayerPeer.ConnectionStatus {
    return MultiplayerPeer.ConnectionStatus.Connected;
  }
  Poll(): void {}
  Close(): void {}
  DisconnectPeer(): void {}
  GetMaxPacketSize(): number {
    return 0;
  }
}

registerGodotClass(OfflineMultiplayerPeer, { name: 'OfflineMultiplayerPeer', methods: {} });
