/**
 * RPC declarations and the ids Godot derives from them. A node's RPC methods are numbered by
 * sorting their names (code point order): the first is id 0, the next 1, ... Methods configured on
 * the node itself (Node.rpc_config) are numbered apart, with bit 15 set. Both ends must therefore
 * declare the same set of names, which Godot checks with an MD5 of the names in id order.
 */
import { createHash } from 'node:crypto';
import { describe } from '../core/arguments.js';
import { TransferMode } from './multiplayer-peer.js';

/** MultiplayerApi.RpcMode. */
export enum RpcMode {
  Disabled = 0,
  AnyPeer = 1,
  Authority = 2,
}

/** One method's RPC settings, with the keys of Godot's RPC config dictionary. */
export interface RpcConfig {
  readonly rpc_mode: RpcMode;
  readonly transfer_mode: TransferMode;
  readonly call_local: boolean;
  readonly channel: number;
}

/** The C# attribute's optional members: `[Rpc(mode, CallLocal = true, TransferMode = ..., TransferChannel = 1)]`. */
export interface RpcOptions {
  CallLocal?: boolean;
  TransferMode?: TransferMode;
  TransferChannel?: number;
}

/**
 * The C# `[Rpc]` attribute as a value: `Rpc(RpcMode.AnyPeer, { CallLocal: true })`. Defaults are the
 * attribute's: Authority, not local, Reliable, channel 0.
 */
export function Rpc(mode: RpcMode = RpcMode.Authority, options: RpcOptions = {}): RpcConfig {
  if (mode !== RpcMode.Disabled && mode !== RpcMode.AnyPeer && mode !== RpcMode.Authority) {
    throw new TypeError(`Rpc: mode must be an RpcMode, got ${String(mode)}`);
  }
  return makeConfig(mode, options.TransferMode ?? TransferMode.Reliable, options.CallLocal ?? false, options.TransferChannel ?? 0, 'Rpc');
}

const ANNOTATION_WORDS: Record<string, Partial<{ mode: RpcMode; local: boolean; transfer: TransferMode }>> = {
  authority: { mode: RpcMode.Authority },
  any_peer: { mode: RpcMode.AnyPeer },
  call_local: { local: true },
  call_remote: { local: false },
  unreliable: { transfer: TransferMode.Unreliable },
  unreliable_ordered: { transfer: TransferMode.UnreliableOrdered },
  reliable: { transfer: TransferMode.Reliable },
};

/**
 * GDScript's `@rpc(...)` annotation as a value: `rpc("any_peer", "call_local", "reliable", 1)`.
 * Words in any order plus an optional channel number; defaults are the annotation's: authority,
 * call_remote, unreliable, channel 0. An unknown word throws TypeError (GDScript refuses to compile).
 */
export function rpcAnnotation(...words: (string | number)[]): RpcConfig {
  let mode = RpcMode.Authority;
  let local = false;
  let transfer = TransferMode.Unreliable;
  let channel = 0;
  for (const word of words) {
    if (typeof word === 'number') {
      channel = word;
      continue;
    }
    const meaning = typeof word === 'string' ? ANNOTATION_WORDS[word] : undefined;
    if (!meaning) throw new TypeError(`rpc: unknown argument ${JSON.stringify(word)}`);
    mode = meaning.mode ?? mode;
    local = meaning.local ?? local;
    transfer = meaning.transfer ?? transfer;
  }
  return makeConfig(mode, transfer, local, channel, 'rpc');
}

function makeConfig(mode: RpcMode, transfer: TransferMode, local: boolean, channel: number, who: string): RpcConfig {
  if (transfer !== TransferMode.Unreliable && transfer !== TransferMode.UnreliableOrdered && transfer !== TransferMode.Reliable) {
    throw new TypeError(`${who}: transfer mode must be a TransferMode, got ${String(transfer)}`);
  }
  if (typeof local !== 'boolean') throw new TypeError(`${who}: call_local must be a boolean, got ${describe(local)}`);
  if (!Number.isInteger(channel) || channel < 0 || channel > 255) throw new TypeError(`${who}: channel must be an integer 0-255, got ${String(channel)}`);
  return Object.freeze({ rpc_mode: mode, transfer_mode: transfer, call_local: local, channel });
}

/** Accepts Godot's dictionary form too (`{ rpc_mode: 1, call_local: true }`), with Godot's defaults. */
export function toRpcConfig(value: unknown, who: string): RpcConfig {
  if (value === null || typeof value !== 'object') throw new TypeError(`${who}: expected an RPC config, got ${describe(value)}`);
  const dict = value as Partial<RpcConfig>;
  if (!('rpc_mode' in dict)) throw new TypeError(`${who}: an RPC config needs rpc_mode`);
  const mode = dict.rpc_mode;
  if (mode !== RpcMode.Disabled && mode !== RpcMode.AnyPeer && mode !== RpcMode.Authority) {
    throw new TypeError(`${who}: rpc_mode must be an RpcMode, got ${String(mode)}`);
  }
  return makeConfig(mode, dict.transfer_mode ?? TransferMode.Reliable, dict.call_local ?? false, dict.channel ?? 0, who);
}

/** A declared method with its wire id. */
export interface RpcMethod {
  readonly name: string;
  readonly id: number;
  readonly config: RpcConfig;
}

/** A node's RPC table: ids by name and methods by id, plus the checksum Godot exchanges. */
export class RpcTable {
  readonly byName = new Map<string, RpcMethod>();
  readonly byId = new Map<number, RpcMethod>();
  /** MD5 (32 lowercase hex digits) of the method names in id order: node-level first, then script. */
  readonly checksum: string;

  constructor(nodeConfig: ReadonlyMap<string, RpcConfig>, scriptConfig: ReadonlyMap<string, RpcConfig>) {
    const names: string[] = [];
    this.add(nodeConfig, 0x8000, names);
    this.add(scriptConfig, 0, names);
    this.checksum = createHash('md5').update(names.join(''), 'utf8').digest('hex');
  }

  private add(config: ReadonlyMap<string, RpcConfig>, idFlag: number, names: string[]): void {
    const sorted = [...config.keys()].sort(compareCodePoints);
    sorted.forEach((name, index) => {
      // A name in both tables keeps its later (script) id, as in Godot; both ids stay callable.
      const method = { name, id: (index & 0x7fff) | idFlag, config: config.get(name)! };
      this.byId.set(method.id, method);
      this.byName.set(name, method);
      names.push(name);
    });
  }
}

/** Orders strings by Unicode code point, as Godot's String comparison does (not by UTF-16 unit). */
export function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const diff = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}
