/**
 * SYS packets and server relay (SceneMultiplayer in Godot 4.6): [7, sys command, int32 peer id,
 * payload]. The server tells clients who joined (ADD_PEER) and left (DEL_PEER). A client reaches
 * another client through the server: it sends RELAY with the target id, and the server forwards it
 * with the id replaced by the sender's, so the receiver learns the true sender.
 */
import { Command, COMMAND_MASK, SYS_HEADER_SIZE, SysCommand } from './protocol.js';

export function sysPacket(command: SysCommand, peer: number, payload?: Uint8Array): Uint8Array {
  const packet = new Uint8Array(SYS_HEADER_SIZE + (payload?.length ?? 0));
  packet[0] = Command.Sys;
  packet[1] = command;
  new DataView(packet.buffer).setInt32(2, peer, true);
  if (payload) packet.set(payload, SYS_HEADER_SIZE);
  return packet;
}

/** The peer id field of a SYS packet (at least SYS_HEADER_SIZE bytes). */
export function sysPeer(packet: Uint8Array): number {
  return new DataView(packet.buffer, packet.byteOffset, packet.byteLength).getInt32(2, true);
}

/** AUTH packets carry no id: [7, 0, data...]; [7, 0] alone says "my side of authentication is done". */
export function authPacket(data?: Uint8Array): Uint8Array {
  const packet = new Uint8Array(2 + (data?.length ?? 0));
  packet[0] = Command.Sys;
  packet[1] = SysCommand.Auth;
  if (data) packet.set(data, 2);
  return packet;
}

export function isAuthPacket(packet: Uint8Array): boolean {
  return packet.length >= 2 && (packet[0]! & COMMAND_MASK) === Command.Sys && packet[1] === SysCommand.Auth;
}

export type RelayDecision =
  | { ok: true; targets: number[]; processHere: boolean }
  | { ok: false; name: string; sentence: string };

/**
 * Where the server forwards a client's RELAY: target > 0 that peer; 0 every other client and the
 * server itself; < 0 every other client but -target, and the server unless -target is 1. Refused
 * (Godot would forward most of these): a relay back to its sender or to the server (a client sends
 * to the server directly), and an inner SYS packet (a relay inside a relay, or a forged
 * ADD/DEL_PEER). A relay to a peer that is not connected is dropped without a report, as Godot
 * does: the peer may just have left, which is no fault of the sender.
 */
export function routeRelay(from: number, target: number, inner: Uint8Array, connected: ReadonlySet<number>): RelayDecision {
  if (inner.length === 0) return { ok: false, name: 'BAD_SYS', sentence: 'A RELAY packet carries no packet to relay.' };
  if ((inner[0]! & COMMAND_MASK) === Command.Sys) {
    return { ok: false, name: 'RELAY_NESTED', sentence: `Peer ${from} asked to relay a SYS packet; only game packets are relayed.` };
  }
  if (target === from) return { ok: false, name: 'RELAY_TO_SELF', sentence: `Peer ${from} asked the server to relay a packet back to itself.` };
  if (target === 1) return { ok: false, name: 'RELAY_TO_SERVER', sentence: `Peer ${from} asked the server to relay a packet to the server itself.` };
  if (target > 0) return { ok: true, targets: connected.has(target) ? [target] : [], processHere: false };
  const targets: number[] = [];
  for (const peer of connected) if (peer !== from && peer !== -target) targets.push(peer);
  return { ok: true, targets, processHere: target !== -1 };
}
