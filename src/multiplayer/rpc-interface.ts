/**
 * Remote calls (SceneRPCInterface in Godot 4.6). A call is
 *   [command byte][node: u8 | u16 | u32][method id: u8 | u16][argument count?][arguments][path + NUL?]
 * The command byte is 0 plus flags: bits 4-5 the node field's size, bit 6 a 16-bit method id,
 * bit 7 "no argument count" (no arguments, or one PackedByteArray sent bare). The node field is
 * the sender's cache id for the node, or, while the receiver has not confirmed that id,
 * 0x80000000 | the offset of the path appended after the arguments.
 */
import { Error } from '../core/error.js';
import { RpcMode } from './rpc-config.js';
import { decodeArguments, encodeArguments } from './rpc-arguments.js';
import type { NodeMirror } from './node-mirror.js';
import type { PathCache } from './path-cache.js';
import { BYTES_OR_NO_ARGS_FLAG, Command, cString, INLINE_PATH_FLAG, NAME_ID_SHIFT, NODE_ID_SHIFT, NodeIdSize } from './protocol.js';
import { ConnectionStatus, type MultiplayerPeer } from './multiplayer-peer.js';

const MAX_ARGUMENTS = 255;
/** Largest encoded argument list we build; the transport refuses packets over its own limits anyway. */
const MAX_ENCODED_ARGUMENTS = 64 * 1024 * 1024;
const encoder = new TextEncoder();

/** What RPC handling needs from SceneMultiplayer. */
export interface RpcHost {
  readonly peer: MultiplayerPeer | null;
  readonly cache: PathCache;
  readonly allowObjectDecoding: boolean;
  readonly connectedPeers: ReadonlySet<number>;
  GetUniqueId(): number;
  findMirror(path: string): NodeMirror | null;
  isMirrored(node: NodeMirror): boolean;
  sendCommand(to: number, packet: Uint8Array): Error;
  report(from: number, name: string, sentence: string): void;
  /** Calls a handler with GetRemoteSenderId() answering `sender`; reports what it throws. */
  invoke(node: NodeMirror, method: string, args: unknown[], sender: number): boolean;
}

export class RpcInterface {
  constructor(private readonly host: RpcHost) {}

  /** An incoming REMOTE_CALL from `from`. */
  processRpc(from: number, packet: Uint8Array): void {
    const { host } = this;
    const nodeSize = (packet[0]! >> NODE_ID_SHIFT) & 0x03;
    const nameSize = (packet[0]! >> NAME_ID_SHIFT) & 0x01;
    if (nodeSize > NodeIdSize.U32) return host.report(from, 'BAD_RPC', 'An RPC names its node with an unknown id size.');
    const nodeBytes = 1 << nodeSize;
    const nameBytes = 1 + nameSize;
    let offset = 1 + nodeBytes + nameBytes;
    if (packet.length < offset) return host.report(from, 'BAD_RPC', `An RPC of ${packet.length} bytes is too short for its header.`);
    const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
    const target = nodeBytes === 1 ? packet[1]! : nodeBytes === 2 ? view.getUint16(1, true) : view.getUint32(1, true);
    const methodId = nameBytes === 1 ? packet[1 + nodeBytes]! : view.getUint16(1 + nodeBytes, true);

    let end = packet.length;
    let node: NodeMirror | null;
    if (nodeBytes === 4 && (target & INLINE_PATH_FLAG) !== 0) {
      // Not cached yet: the path follows the arguments.
      const pathOffset = target & ~INLINE_PATH_FLAG;
      if (pathOffset >= packet.length || pathOffset < offset) {
        return host.report(from, 'BAD_RPC', 'An RPC points at a node path outside the packet.');
      }
      const path = cString(packet.subarray(pathOffset));
      if (path === null) return host.report(from, 'BAD_RPC', 'An RPC carries a node path that is not UTF-8.');
      node = host.findMirror(path);
      if (!node) return host.report(from, 'UNKNOWN_NODE', `No NodeMirror has the path "${path}".`);
      end = pathOffset;
    } else {
      node = host.cache.resolve(from, target);
      if (!node) return;
    }

    const method = node.rpcTable().byId.get(methodId);
    if (!method) return host.report(from, 'UNKNOWN_METHOD', `"${node.GetPathFromRoot()}" has no RPC method with id ${methodId}.`);
    const { rpc_mode: mode } = method.config;
    const authority = node.GetMultiplayerAuthority();
    if (mode === RpcMode.Disabled || (mode === RpcMode.Authority && from !== authority)) {
      return host.report(from, 'RPC_NOT_ALLOWED', `Peer ${from} may not call "${method.name}" on "${node.GetPathFromRoot()}": its mode is ${RpcMode[mode]} and the authority is ${authority}.`);
    }

    const raw = (packet[0]! & BYTES_OR_NO_ARGS_FLAG) !== 0;
    let count = 0;
    if (!raw) {
      if (offset >= end) return host.report(from, 'BAD_RPC', 'An RPC lacks its argument count.');
      count = packet[offset]!;
      offset++;
    }
    const decoded = decodeArguments(packet.subarray(offset, end), count, raw, host.allowObjectDecoding);
    if (decoded.error !== Error.Ok) return host.report(from, 'BAD_ARGUMENTS', `RPC "${method.name}": ${decoded.reason}.`);
    host.invoke(node, method.name, decoded.args, from);
  }

  /** Node.rpc / rpc_id: send `method` to `peer` (0 all, < 0 all but -peer) and call it here if call_local. */
  rpcp(node: NodeMirror, peer: number, methodName: string, args: readonly unknown[]): Error {
    const { host } = this;
    const transport = host.peer;
    if (!transport) return Error.Unconfigured;
    if (!host.isMirrored(node)) return Error.InvalidParameter;
    if (transport.GetConnectionStatus() !== ConnectionStatus.Connected) return Error.ConnectionError;
    const method = node.rpcTable().byName.get(methodName);
    if (!method) return Error.InvalidParameter;
    const self = host.GetUniqueId();
    if (peer === self && !method.config.call_local) return Error.InvalidParameter;
    const callLocal = method.config.call_local && (peer === 0 || peer === self || (peer < 0 && peer !== -self));
    if (peer !== self) {
      const error = this.send(node, peer, method.id, method.config, args);
      if (error !== Error.Ok) return error;
    }
    if (callLocal && !host.invoke(node, methodName, [...args], self)) return Error.Failed;
    return Error.Ok;
  }

  private send(node: NodeMirror, peer: number, methodId: number, config: { transfer_mode: number; channel: number }, args: readonly unknown[]): Error {
    const { host } = this;
    if (args.length > MAX_ARGUMENTS) return Error.InvalidParameter;
    const encoded = encodeArguments(args, MAX_ENCODED_ARGUMENTS);
    // A value with no Variant form is a wrong argument type, as in GD.VarToBytes.
    if (encoded.error === Error.InvalidParameter) throw new TypeError(`Rpc: ${encoded.reason}`);
    if (encoded.error !== Error.Ok) return encoded.error;
    // Godot prints and sends nothing for an unknown peer, yet returns Ok; we return the error.
    if (peer !== 0 && !host.connectedPeers.has(Math.abs(peer))) return Error.InvalidParameter;

    const targets: number[] = [];
    let id = -1;
    let allConfirmed = true;
    if (peer > 0) {
      targets.push(peer);
      ({ id, allConfirmed } = host.cache.sendObjectCache(node, peer));
    } else {
      for (const target of host.connectedPeers) {
        if (target === -peer) continue;
        targets.push(target);
        const cached = host.cache.sendObjectCache(node, target);
        id = cached.id;
        allConfirmed &&= cached.allConfirmed;
      }
    }
    if (targets.length === 0) return Error.Ok;

    let nodeSize: NodeIdSize;
    if (!allConfirmed || id > 0xffff) nodeSize = NodeIdSize.U32;
    else nodeSize = id > 0xff ? NodeIdSize.U16 : NodeIdSize.U8;
    const nodeBytes = 1 << nodeSize;
    const nameBytes = methodId > 0xff ? 2 : 1;
    const argsOffset = 1 + nodeBytes + nameBytes;
    const callLength = argsOffset + (encoded.raw ? 0 : 1) + encoded.bytes.length;
    const packet = new Uint8Array(callLength);
    const view = new DataView(packet.buffer);
    packet[0] = Command.RemoteCall | (nodeSize << NODE_ID_SHIFT) | ((nameBytes - 1) << NAME_ID_SHIFT) | (encoded.raw ? BYTES_OR_NO_ARGS_FLAG : 0);
    if (nodeBytes === 1) packet[1] = id;
    else if (nodeBytes === 2) view.setUint16(1, id, true);
    else view.setUint32(1, id, true);
    if (nameBytes === 1) packet[1 + nodeBytes] = methodId;
    else view.setUint16(1 + nodeBytes, methodId, true);
    if (!encoded.raw) packet[argsOffset] = args.length;
    packet.set(encoded.bytes, callLength - encoded.bytes.length);
    // Peers that have not confirmed the cache id get the path after the arguments instead.
    const withPath = allConfirmed ? null : appendPath(packet, node.GetPathFromRoot());

    const transport = host.peer!;
    transport.TransferChannel = config.channel;
    transport.TransferMode = config.transfer_mode;
    let result = Error.Ok;
    for (const target of targets) {
      const confirmed = withPath === null || host.cache.isConfirmed(node, target);
      const error = host.sendCommand(target, confirmed ? packet : withPath);
      if (result === Error.Ok) result = error;
    }
    return result;
  }
}

/** The call with its node field replaced by 0x80000000 | offset and the path + NUL appended. */
function appendPath(call: Uint8Array, path: string): Uint8Array {
  const bytes = encoder.encode(path);
  const out = new Uint8Array(call.length + bytes.length + 1);
  out.set(call);
  out.set(bytes, call.length);
  new DataView(out.buffer).setUint32(1, (INLINE_PATH_FLAG | call.length) >>> 0, true);
  return out;
}
