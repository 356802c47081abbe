/**
 * NodeMirror: the Node.js stand-in for one node of the Godot scene, so RPCs can name it. It has
 * the node's path under the multiplayer root ("Main" for /root/Main) and declares the same RPC
 * methods as the node's script, with the same @rpc options; SceneMultiplayer calls the method of
 * that name when a peer's RPC arrives, and Rpc/RpcId send RPCs from it as Node.rpc/rpc_id do.
 *
 *     class Main extends NodeMirror {
 *       static Rpcs = { chat: Rpc(RpcMode.AnyPeer), chat_echo: Rpc() };
 *       chat(text) { this.Rpc('chat_echo', this.Multiplayer.GetRemoteSenderId(), text); }
 *     }
 *     multiplayer.AddMirror(new Main('Main'));
 */
import { checkInteger, checkString, describe } from '../core/arguments.js';
import { Error } from '../core/error.js';
import { GodotObject, registerGodotClass } from '../core/godot-object.js';
import { RpcTable, toRpcConfig, type RpcConfig } from './rpc-config.js';
import type { SceneMultiplayer } from './scene-multiplayer.js';

export class NodeMirror extends GodotObject {
  /** The script's RPC methods, as its @rpc lines: name → Rpc(...) (C#) or rpc(...) (GDScript). */
  static Rpcs?: Readonly<Record<string, RpcConfig>>;

  private readonly relativePath: string;
  private readonly scriptConfig = new Map<string, RpcConfig>();
  private readonly nodeConfig = new Map<string, RpcConfig>();
  private table: RpcTable | null = null;
  private authority = 1;
  /** @internal Set by SceneMultiplayer.AddMirror. */
  host: SceneMultiplayer | null = null;

  /**
   * `path`: the node's path under the multiplayer root, as Godot's `root.get_path_to(node)` gives
   * it ("Main", "Main/Players/P1"). `rpcs` adds to (or overrides) the class's static `Rpcs`.
   */
  constructor(path: string, rpcs: Readonly<Record<string, RpcConfig>> = {}) {
    super();
    checkString('NodeMirror', path);
    const names = path.split('/');
    if (path === '' || names.some((n) => n === '' || n === '.' || n === '..' || /[:@%"]/.test(n))) {
      throw new TypeError(`NodeMirror: "${path}" is not a path of node names relative to the multiplayer root`);
    }
    this.relativePath = path;
    const declared = { ...(this.constructor as typeof NodeMirror).Rpcs, ...rpcs };
    for (const [name, config] of Object.entries(declared)) this.scriptConfig.set(name, toRpcConfig(config, `NodeMirror RPC "${name}"`));
  }

  /** The node's name: the last part of its path. */
  get Name(): string {
    return this.relativePath.slice(this.relativePath.lastIndexOf('/') + 1);
  }

  /** The path under the multiplayer root, as it travels on the wire. */
  GetPathFromRoot(): string {
    return this.relativePath;
  }

  /** The SceneMultiplayer this mirror was added to (`Node.Multiplayer`), or null. */
  get Multiplayer(): SceneMultiplayer | null {
    return this.host;
  }

  /** Sends an RPC to every peer (and calls it here too when it is call_local). */
  Rpc(method: string, ...args: unknown[]): Error {
    checkString('Rpc', method);
    return this.host ? this.host.rpcp(this, 0, method, args) : Error.Unconfigured;
  }

  /** Sends an RPC to one peer (> 0) or to all but one (< 0). */
  RpcId(peerId: number, method: string, ...args: unknown[]): Error {
    checkInteger('RpcId', peerId);
    checkString('RpcId', method);
    return this.host ? this.host.rpcp(this, peerId, method, args) : Error.Unconfigured;
  }

  /**
   * Node.rpc_config: sets (or with null, removes) a node-level RPC config. Node-level methods get
   * ids of their own (bit 15 set), as methods configured with rpc_config do in Godot.
   */
  RpcConfig(method: string, config: RpcConfig | null): void {
    checkString('RpcConfig', method);
    if (config === null) this.nodeConfig.delete(method);
    else this.nodeConfig.set(method, toRpcConfig(config, 'RpcConfig'));
    this.table = null;
  }

  /** The node-level RPC configs (Node.get_node_rpc_config). */
  GetNodeRpcConfig(): Record<string, RpcConfig> {
    return Object.fromEntries(this.nodeConfig);
  }

  /** The script-level RPC configs (Script.get_rpc_config): the declared methods. */
  GetRpcConfig(): Record<string, RpcConfig> {
    return Object.fromEntries(this.scriptConfig);
  }

  /** The peer allowed to call this node's "authority" RPCs; 1 (the server) by default. */
  GetMultiplayerAuthority(): number {
    return this.authority;
  }

  SetMultiplayerAuthority(id: number): void {
    checkInteger('SetMultiplayerAuthority', id);
    this.authority = id;
  }

  IsMultiplayerAuthority(): boolean {
    return this.host !== null && this.host.GetUniqueId() === this.authority;
  }

  /** @internal The RPC ids and checksum, rebuilt after RpcConfig changes. */
  rpcTable(): RpcTable {
    this.table ??= new RpcTable(this.nodeConfig, this.scriptConfig);
    return this.table;
  }

  /** @internal The function that handles an incoming RPC, or null. */
  handler(method: string): ((...args: unknown[]) => unknown) | null {
    const fn = (this as unknown as Record<string, unknown>)[method];
    return typeof fn === 'function' ? (fn as (...args: unknown[]) => unknown) : null;
  }
}

export function checkMirror(method: string, value: unknown): asserts value is NodeMirror {
  if (!(value instanceof NodeMirror)) throw new TypeError(`${method}: expected a NodeMirror, got ${describe(value)}`);
}

registerGodotClass(NodeMirror, {
  name: 'Node',
  methods: {
    rpc: 'Rpc',
    rpc_id: 'RpcId',
    rpc_config: 'RpcConfig',
    get_node_rpc_config: 'GetNodeRpcConfig',
    get_rpc_config: 'GetRpcConfig',
    get_multiplayer_authority: 'GetMultiplayerAuthority',
    set_multiplayer_authority: 'SetMultiplayerAuthority',
    is_multiplayer_authority: 'IsMultiplayerAuthority',
    get_path_from_root: 'GetPathFromRoot',
    get_name: 'get:Name',
    get_multiplayer: 'get:Multiplayer',
  },
  properties: { name: 'Name', multiplayer: 'Multiplayer' },
});
