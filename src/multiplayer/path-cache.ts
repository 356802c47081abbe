/**
 * Node-path caching (SceneCacheInterface in Godot 4.6). Before the first RPC on a node reaches a
 * peer, the sender gives the node a cache id (1, 2, ... per sender, in first-use order) and sends
 * SIMPLIFY_PATH [1, md5 hex + NUL, u32 id, path + NUL]; the receiver remembers id → path and
 * answers CONFIRM_PATH [2, checksum ok, u32 id]. Until that answer arrives, RPCs to the peer carry
 * the path itself; afterwards only the id.
 */
import { Error } from '../core/error.js';
import type { NodeMirror } from './node-mirror.js';
import { Command, CONFIRM_PATH_SIZE, cString, SIMPLIFY_PATH_MIN_SIZE } from './protocol.js';

const CHECKSUM_LENGTH = 32;
const encoder = new TextEncoder();

/** What the cache needs from SceneMultiplayer. */
export interface PathCacheHost {
  findMirror(path: string): NodeMirror | null;
  sendCommand(to: number, packet: Uint8Array): Error;
  /** Reports a peer's bad packet (ProtocolError). */
  report(from: number, name: string, sentence: string): void;
  /** Most cache ids one peer may register with us. */
  readonly maxCachedPaths: number;
}

interface SentNode {
  id: number;
  /** Peers we sent SIMPLIFY_PATH to → whether they confirmed it. */
  readonly confirmed: Map<number, boolean>;
}

interface PeerPaths {
  /** The peer's cache ids → node paths. */
  readonly received: Map<number, string>;
  readonly sentNodes: Set<NodeMirror>;
}

export class PathCache {
  private lastId = 1;
  private readonly sent = new Map<NodeMirror, SentNode>();
  private readonly byId = new Map<number, NodeMirror>();
  private readonly peers = new Map<number, PeerPaths>();

  constructor(private readonly host: PathCacheHost) {}

  onPeerChange(id: number, connected: boolean): void {
    if (connected) {
      this.peers.set(id, { received: new Map(), sentNodes: new Set() });
      return;
    }
    const info = this.peers.get(id);
    if (!info) return;
    for (const node of info.sentNodes) this.sent.get(node)?.confirmed.delete(id);
    this.peers.delete(id);
  }

  processSimplifyPath(from: number, packet: Uint8Array): void {
    const info = this.peers.get(from);
    if (!info) return;
    if (packet.length < SIMPLIFY_PATH_MIN_SIZE) {
      return this.host.report(from, 'BAD_PATH_PACKET', `A SIMPLIFY_PATH packet of ${packet.length} bytes is shorter than ${SIMPLIFY_PATH_MIN_SIZE}.`);
    }
    const checksum = cString(packet.subarray(1, 1 + CHECKSUM_LENGTH));
    const id = new DataView(packet.buffer, packet.byteOffset).getUint32(2 + CHECKSUM_LENGTH, true);
    const path = cString(packet.subarray(6 + CHECKSUM_LENGTH));
    if (checksum === null || path === null) return this.host.report(from, 'BAD_PATH_PACKET', 'A SIMPLIFY_PATH packet holds invalid UTF-8.');
    if (info.received.has(id)) return this.host.report(from, 'DUPLICATE_PATH_ID', `Peer ${from} sent cache id ${id} twice.`);
    if (info.received.size >= this.host.maxCachedPaths) {
      return this.host.report(from, 'PATH_CACHE_FULL', `Peer ${from} already registered ${info.received.size} node paths (MaxCachedPaths).`);
    }
    const node = this.host.findMirror(path);
    if (!node) return this.host.report(from, 'UNKNOWN_NODE', `No NodeMirror has the path "${path}".`);
    const valid = node.rpcTable().checksum === checksum;
    if (!valid) this.reportChecksum(from, path);
    info.received.set(id, path);
    const confirm = new Uint8Array(CONFIRM_PATH_SIZE);
    confirm[0] = Command.ConfirmPath;
    confirm[1] = valid ? 1 : 0;
    new DataView(confirm.buffer).setUint32(2, id, true);
    this.host.sendCommand(from, confirm);
  }

  processConfirmPath(from: number, packet: Uint8Array): void {
    if (packet.length !== CONFIRM_PATH_SIZE) {
      return this.host.report(from, 'BAD_PATH_PACKET', `A CONFIRM_PATH packet has ${packet.length} bytes instead of ${CONFIRM_PATH_SIZE}.`);
    }
    const id = new DataView(packet.buffer, packet.byteOffset).getUint32(2, true);
    const node = this.byId.get(id);
    if (!node) return; // The node may have been removed meanwhile (Godot ignores it too).
    if (packet[1] === 0) this.reportChecksum(from, node.GetPathFromRoot());
    const entry = this.sent.get(node)!;
    if (!entry.confirmed.has(from)) {
      return this.host.report(from, 'BAD_PATH_PACKET', `Peer ${from} confirmed cache id ${id}, which was never sent to it.`);
    }
    entry.confirmed.set(from, true);
  }

  /**
   * The node's cache id, sending SIMPLIFY_PATH to every target that has not had it yet (peer > 0:
   * that one; 0: all; < 0: all but -peer). `allConfirmed` says whether every target confirmed it.
   */
  sendObjectCache(node: NodeMirror, peer: number): { id: number; allConfirmed: boolean } {
    const entry = this.entry(node);
    const newTargets: number[] = [];
    let allConfirmed = true;
    const check = (target: number) => {
      const confirmed = entry.confirmed.get(target);
      if (confirmed === undefined) newTargets.push(target);
      if (confirmed !== true) allConfirmed = false;
    };
    if (peer > 0) {
      if (!this.peers.has(peer)) return { id: entry.id, allConfirmed: false };
      check(peer);
    } else {
      for (const target of this.peers.keys()) if (target !== -peer) check(target);
    }
    if (newTargets.length > 0) this.sendSimplifyPath(node, entry, newTargets);
    return { id: entry.id, allConfirmed };
  }

  isConfirmed(node: NodeMirror, peer: number): boolean {
    return this.sent.get(node)?.confirmed.get(peer) === true;
  }

  /** The node a peer's cache id names, or null (reported). */
  resolve(from: number, id: number): NodeMirror | null {
    const path = this.peers.get(from)?.received.get(id);
    if (path === undefined) {
      this.host.report(from, 'UNKNOWN_PATH_ID', `Peer ${from} used cache id ${id}, which it never registered.`);
      return null;
    }
    const node = this.host.findMirror(path);
    if (!node) this.host.report(from, 'UNKNOWN_NODE', `No NodeMirror has the path "${path}" (cache id ${id}).`);
    return node;
  }

  /** A mirror left: forget the id we gave it (peers' ids for its path stay, as in Godot). */
  forget(node: NodeMirror): void {
    const entry = this.sent.get(node);
    if (!entry) return;
    this.byId.delete(entry.id);
    for (const peer of entry.confirmed.keys()) this.peers.get(peer)?.sentNodes.delete(node);
    this.sent.delete(node);
  }

  clear(): void {
    this.sent.clear();
    this.byId.clear();
    this.peers.clear();
    this.lastId = 1;
  }

  private entry(node: NodeMirror): SentNode {
    let entry = this.sent.get(node);
    if (!entry) {
      entry = { id: this.lastId++, confirmed: new Map() };
      this.sent.set(node, entry);
      this.byId.set(entry.id, node);
    }
    return entry;
  }

  private sendSimplifyPath(node: NodeMirror, entry: SentNode, targets: number[]): void {
    const checksum = encoder.encode(node.rpcTable().checksum);
    const path = encoder.encode(node.GetPathFromRoot());
    const packet = new Uint8Array(1 + checksum.length + 1 + 4 + path.length + 1);
    packet[0] = Command.SimplifyPath;
    packet.set(checksum, 1);
    const idOffset = 2 + checksum.length;
    new DataView(packet.buffer).setUint32(idOffset, entry.id, true);
    packet.set(path, idOffset + 4);
    for (const target of targets) {
      if (this.host.sendCommand(target, packet) !== Error.Ok) return;
      entry.confirmed.set(target, false);
      this.peers.get(target)?.sentNodes.add(node);
    }
  }

  private reportChecksum(from: number, path: string): void {
    this.host.report(from, 'RPC_CHECKSUM_MISMATCH', `The RPC methods of "${path}" differ between peer ${from} and this side (kept anyway, as Godot does).`);
  }
}
