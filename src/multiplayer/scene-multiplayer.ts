/**
 * SceneMultiplayer: Godot 4.6's high-level multiplayer (modules/multiplayer/scene_multiplayer.cpp)
 * for Node.js, as server or client. It admits peers (optionally after authentication), relays
 * between clients, carries raw bytes (SendBytes / peer_packet), and calls RPCs on NodeMirrors.
 * Everything happens inside Poll(), as in Godot's process frame.
 *
 * Where Godot prints an error about a peer's packet and drops it, this emits ProtocolError(peer,
 * "NAME: sentence") instead (README "Protocol errors"). Spawning and synchronisation
 * (MultiplayerSpawner, MultiplayerSynchronizer) are not supported: their packets are reported
 * there and dropped.
 */
import { performance } from 'node:perf_hooks';
import { checkBoolean, checkBytes, checkInteger, checkNumber, checkString, describe } from '../core/arguments.js';
import { Error } from '../core/error.js';
import { activityAt } from '../core/activity.js';
import { GodotObject, registerGodotClass } from '../core/godot-object.js';
import { GodotSignal } from '../core/godot-signal.js';
import { warn, WarningCode } from '../core/warnings.js';
import { MultiplayerPeer, TransferMode } from './multiplayer-peer.js';
import { checkMirror, NodeMirror } from './node-mirror.js';
import { OfflineMultiplayerPeer } from './offline-multiplayer-peer.js';
import { PathCache } from './path-cache.js';
import { Command, COMMAND_MASK, SYS_HEADER_SIZE, SysCommand } from './protocol.js';
import { authPacket, isAuthPacket, routeRelay, sysPacket, sysPeer } from './relay.js';
import { RpcInterface } from './rpc-interface.js';

const { ConnectionStatus } = MultiplayerPeer;

/** Extension: node paths one peer may register with SIMPLIFY_PATH (Godot keeps any number). */
export const DEFAULT_MAX_CACHED_PATHS = 4096;

/** SceneMultiplayer.auth_callback: called with a peer's id and each authentication message it sends. */
export type AuthCallback = (id: number, data: Uint8Array) => void;

interface PendingAuth {
  local: boolean;
  remote: boolean;
  readonly since: number;
}

export class SceneMultiplayer extends GodotObject {
  // MultiplayerAPI signals
  readonly PeerConnected = new GodotSignal<[id: number]>('peer_connected');
  readonly PeerDisconnected = new GodotSignal<[id: number]>('peer_disconnected');
  readonly ConnectedToServer = new GodotSignal('connected_to_server');
  readonly ConnectionFailed = new GodotSignal('connection_failed');
  readonly ServerDisconnected = new GodotSignal('server_disconnected');
  // SceneMultiplayer signals
  readonly PeerAuthenticating = new GodotSignal<[id: number]>('peer_authenticating');
  readonly PeerAuthenticationFailed = new GodotSignal<[id: number]>('peer_authentication_failed');
  readonly PeerPacket = new GodotSignal<[id: number, packet: Uint8Array]>('peer_packet');
  /** Extension: a peer sent something unusable; `reason` is "NAME: sentence" (README "Protocol errors"). */
  readonly ProtocolError = new GodotSignal<[id: number, reason: string]>('protocol_error');

  private multiplayerPeer: MultiplayerPeer | null = null;
  private lastStatus = ConnectionStatus.Disconnected;
  private readonly pending = new Map<number, PendingAuth>();
  private readonly connected = new Set<number>();
  private authCallback: AuthCallback | null = null;
  private authTimeoutMs = 3000;
  private rootPath = '/root';
  private allowObjectDecoding = false;
  private serverRelay = true;
  private maxCachedPaths = DEFAULT_MAX_CACHED_PATHS;
  private remoteSenderId = 0;
  private remoteSenderOverride = 0;
  private readonly mirrors = new Map<string, NodeMirror>();
  private readonly cache: PathCache;
  private readonly rpc: RpcInterface;
  private readonly onPeerConnected = (id: number) => this.addPeer(id);
  private readonly onPeerDisconnected = (id: number) => this.delPeer(id, true);

  constructor() {
    super();
    const host = this.host();
    this.cache = new PathCache(host);
    this.rpc = new RpcInterface(host);
    this.MultiplayerPeer = new OfflineMultiplayerPeer();
  }

  // ---------------------------------------------------------------- properties

  /** The transport. Must be Connecting or Connected when set (Godot refuses others); null for none. */
  get MultiplayerPeer(): MultiplayerPeer | null {
    return this.multiplayerPeer;
  }
  set MultiplayerPeer(peer: MultiplayerPeer | null) {
    if (peer !== null && !(peer instanceof MultiplayerPeer)) throw new TypeError(`MultiplayerPeer: expected a MultiplayerPeer or null, got ${describe(peer)}`);
    if (peer === this.multiplayerPeer) return;
    if (peer && peer.GetConnectionStatus() === ConnectionStatus.Disconnected) {
      warn(WarningCode.IgnoredValue, 'SceneMultiplayer.MultiplayerPeer: the peer must be connecting or connected; ignored.');
      return;
    }
    if (this.multiplayerPeer) {
      this.multiplayerPeer.PeerConnected.Disconnect(this.onPeerConnected);
      this.multiplayerPeer.PeerDisconnected.Disconnect(this.onPeerDisconnected);
      this.Clear();
    }
    this.multiplayerPeer = peer;
    if (peer) {
      peer.PeerConnected.Connect(this.onPeerConnected);
      peer.PeerDisconnected.Connect(this.onPeerDisconnected);
    }
    this.updateStatus();
  }

  HasMultiplayerPeer(): boolean {
    return this.multiplayerPeer !== null;
  }

  /** The scene root node paths are relative to; "/root" as in a Godot game. Only used by GetPath(). */
  get RootPath(): string {
    return this.rootPath;
  }
  set RootPath(value: string) {
    checkString('RootPath', value);
    if (value !== '' && !value.startsWith('/')) {
      warn(WarningCode.IgnoredValue, 'SceneMultiplayer.RootPath must be absolute; ignored.');
      return;
    }
    this.rootPath = value;
  }

  /** Called with (peer id, data) for each authentication message; null admits peers at once. */
  get AuthCallback(): AuthCallback | null {
    return this.authCallback;
  }
  set AuthCallback(callback: AuthCallback | null) {
    if (callback !== null && typeof callback !== 'function') throw new TypeError(`AuthCallback: expected a function or null, got ${describe(callback)}`);
    this.authCallback = callback;
  }

  /** Seconds a peer may stay authenticating before it is disconnected (0 = no limit). Default 3. */
  get AuthTimeout(): number {
    return this.authTimeoutMs / 1000;
  }
  set AuthTimeout(value: number) {
    checkNumber('AuthTimeout', value);
    if (value < 0) {
      warn(WarningCode.IgnoredValue, 'SceneMultiplayer.AuthTimeout must not be negative; ignored.');
      return;
    }
    this.authTimeoutMs = Math.trunc(value * 1000);
  }

  /** Whether RPC arguments may be objects sent in full (decoded as EncodedObject data). Default false. */
  get AllowObjectDecoding(): boolean {
    return this.allowObjectDecoding;
  }
  set AllowObjectDecoding(value: boolean) {
    checkBoolean('AllowObjectDecoding', value);
    this.allowObjectDecoding = value;
  }

  /** Whether the server relays between clients (and clients reach each other through it). Default true. */
  get ServerRelay(): boolean {
    return this.serverRelay;
  }
  set ServerRelay(value: boolean) {
    checkBoolean('ServerRelay', value);
    this.serverRelay = value;
  }

  get RefuseNewConnections(): boolean {
    return this.multiplayerPeer?.RefuseNewConnections ?? false;
  }
  set RefuseNewConnections(value: boolean) {
    checkBoolean('RefuseNewConnections', value);
    if (this.multiplayerPeer) this.multiplayerPeer.RefuseNewConnections = value;
  }

  /** Extension: node paths one peer may register (SIMPLIFY_PATH); more are refused. Default 4096. */
  get MaxCachedPaths(): number {
    return this.maxCachedPaths;
  }
  set MaxCachedPaths(value: number) {
    checkInteger('MaxCachedPaths', value);
    this.maxCachedPaths = Math.max(0, value);
  }

  // ---------------------------------------------------------------- identity

  GetUniqueId(): number {
    return this.multiplayerPeer?.GetUniqueId() ?? 0;
  }

  IsServer(): boolean {
    return this.GetUniqueId() === MultiplayerPeer.TargetPeerServer;
  }

  /** The peer whose RPC (or call_local RPC: this side) is running now; 0 outside RPCs. */
  GetRemoteSenderId(): number {
    return this.remoteSenderOverride || this.remoteSenderId;
  }

  /** The admitted peers (on a client: the server and the other clients). */
  GetPeers(): number[] {
    return [...this.connected];
  }

  GetAuthenticatingPeers(): number[] {
    return [...this.pending.keys()];
  }

  // ---------------------------------------------------------------- node mirrors

  /**
   * Extension: makes a NodeMirror reachable by its path, like adding the node to the scene tree.
   * AlreadyExists when another mirror has that path, AlreadyInUse when it belongs to another
   * SceneMultiplayer.
   */
  AddMirror(mirror: NodeMirror): Error {
    checkMirror('AddMirror', mirror);
    if (mirror.host && mirror.host !== this) return Error.AlreadyInUse;
    const path = mirror.GetPathFromRoot();
    const existing = this.mirrors.get(path);
    if (existing) return existing === mirror ? Error.Ok : Error.AlreadyExists;
    this.mirrors.set(path, mirror);
    mirror.host = this;
    return Error.Ok;
  }

  /** Extension: the opposite of AddMirror, like freeing the node. */
  RemoveMirror(mirror: NodeMirror): void {
    checkMirror('RemoveMirror', mirror);
    if (mirror.host !== this) return;
    this.mirrors.delete(mirror.GetPathFromRoot());
    this.cache.forget(mirror);
    mirror.host = null;
  }

  /** Extension: the mirror at a path under the root ("Main"), or null. */
  GetMirror(path: string): NodeMirror | null {
    return this.mirrors.get(path) ?? null;
  }

  /** The absolute node path of a mirror ("/root/Main"). */
  GetMirrorPath(mirror: NodeMirror): string {
    checkMirror('GetMirrorPath', mirror);
    return `${this.rootPath}/${mirror.GetPathFromRoot()}`;
  }

  // ---------------------------------------------------------------- polling

  /** Polls the peer and handles every packet that arrived: admissions, relays, RPCs, raw bytes. */
  Poll(): Error {
    this.updateStatus();
    if (this.lastStatus === ConnectionStatus.Disconnected) return Error.Ok;
    const peer = this.multiplayerPeer!;
    peer.Poll();
    this.updateStatus();
    if (this.lastStatus !== ConnectionStatus.Connected) return Error.Ok;

    while (peer.GetAvailablePacketCount() > 0) {
      const sender = peer.GetPacketPeer();
      const channel = peer.GetPacketChannel();
      const mode = peer.GetPacketMode();
      const packet = peer.GetPacket();
      const error = peer.GetPacketError();
      if (error !== Error.Ok) return error;
      this.handlePacket(sender, packet, mode, channel);
      this.updateStatus();
      if (this.lastStatus !== ConnectionStatus.Connected) return Error.Ok;
    }

    if (this.pending.size > 0 && this.authTimeoutMs > 0) {
      const now = performance.now();
      const expired = [...this.pending].filter(([, p]) => p.since + this.authTimeoutMs <= now).map(([id]) => id);
      for (const id of expired) peer.DisconnectPeer(id);
      for (const id of expired) {
        if (!this.pending.delete(id)) continue;
        this.PeerAuthenticationFailed.Emit(id);
      }
      for (const [, p] of this.pending) activityAt(p.since + this.authTimeoutMs); // PollLoop: the next expiry
    }
    this.updateStatus();
    return Error.Ok;
  }

  private handlePacket(sender: number, packet: Uint8Array, mode: TransferMode, channel: number): void {
    const auth = this.pending.get(sender);
    if (auth) {
      if (!isAuthPacket(packet)) {
        return this.report(sender, 'AUTH_PENDING', `Peer ${sender} sent a packet other than authentication before it was admitted.`);
      }
      if (packet.length > 2) {
        this.callUser(sender, 'AuthCallback', () => this.authCallback?.(sender, packet.slice(2)));
        return;
      }
      auth.remote = true;
      if (auth.local) {
        this.pending.delete(sender);
        this.admitPeer(sender);
      }
      return;
    }
    if (!this.connected.has(sender)) return this.report(sender, 'UNKNOWN_PEER', `A packet came from peer ${sender}, which is not connected.`);
    if ((packet[0]! & COMMAND_MASK) === Command.Sys) {
      // A late "authentication done" from a peer we admitted: expected, nothing to do.
      if (packet.length > 1 && packet[1] === SysCommand.Auth) {
        if (packet.length !== 2) this.report(sender, 'BAD_SYS', `Peer ${sender} sent authentication data after it was admitted.`);
        return;
      }
      this.processSys(sender, packet, mode, channel);
      return;
    }
    this.processFrom(sender, packet);
  }

  private processPacket(from: number, packet: Uint8Array): void {
    switch ((packet[0]! & COMMAND_MASK) as Command) {
      case Command.RemoteCall:
        return this.rpc.processRpc(from, packet);
      case Command.SimplifyPath:
        return this.cache.processSimplifyPath(from, packet);
      case Command.ConfirmPath:
        return this.cache.processConfirmPath(from, packet);
      case Command.Raw:
        if (packet.length < 2) return this.report(from, 'BAD_RAW', 'A raw packet carries no bytes.');
        this.callUser(from, 'peer_packet listener', () => this.PeerPacket.Emit(from, packet.slice(1)));
        return;
      case Command.Spawn:
      case Command.Despawn:
      case Command.Sync:
        return this.report(from, 'UNSUPPORTED_COMMAND', `Peer ${from} sent a ${Command[packet[0]! & COMMAND_MASK]!.toUpperCase()} packet: MultiplayerSpawner and MultiplayerSynchronizer are not supported by this SceneMultiplayer.`);
      default:
        return this.report(from, 'BAD_COMMAND', `Peer ${from} sent a SYS packet inside a relayed packet.`);
    }
  }

  private processSys(from: number, packet: Uint8Array, mode: TransferMode, channel: number): void {
    if (packet.length < SYS_HEADER_SIZE) return this.report(from, 'BAD_SYS', `A SYS packet of ${packet.length} bytes is shorter than ${SYS_HEADER_SIZE}.`);
    const peer = this.multiplayerPeer!;
    const relaying = this.relaying();
    const isServer = this.IsServer();
    const id = sysPeer(packet);
    switch (packet[1]) {
      case SysCommand.AddPeer:
      case SysCommand.DelPeer:
        if (!relaying || isServer || from !== 1) {
          return this.report(from, 'SYS_NOT_ALLOWED', `Peer ${from} sent ${packet[1] === SysCommand.AddPeer ? 'ADD_PEER' : 'DEL_PEER'}, which only a relaying server may send to its clients.`);
        }
        if (packet[1] === SysCommand.AddPeer) this.admitPeer(id);
        else this.delPeer(id, true);
        return;
      case SysCommand.Relay: {
        if (!relaying) return this.report(from, 'RELAY_DISABLED', `Peer ${from} asked for a relay, but ServerRelay is off.`);
        const inner = packet.subarray(SYS_HEADER_SIZE);
        if (!isServer) {
          if (inner.length === 0) return this.report(from, 'BAD_SYS', 'A RELAY packet carries no packet.');
          return this.processFrom(id, inner);
        }
        const route = routeRelay(from, id, inner, this.connected);
        if (!route.ok) return this.report(from, route.name, route.sentence);
        if (route.targets.length > 0) {
          const forward = sysPacket(SysCommand.Relay, from, inner);
          peer.TransferMode = mode;
          peer.TransferChannel = channel;
          for (const target of route.targets) {
            peer.SetTargetPeer(target);
            // A target whose connection is already closing (Failed) is leaving: its packets are
            // dropped without a word, as Godot does; only a full outbound queue is worth a report.
            const error = peer.PutPacket(forward);
            if (error === Error.OutOfMemory) this.report(from, 'RELAY_DROPPED', `A packet from peer ${from} to peer ${target} was dropped: the target's outbound queue is full.`);
          }
        }
        if (route.processHere) this.processFrom(from, inner);
        return;
      }
      default:
        return this.report(from, 'BAD_SYS', `Peer ${from} sent an unknown SYS command ${packet[1]}.`);
    }
  }

  /** A game packet from `source` (directly, or relayed by the server), with GetRemoteSenderId() answering `source`. */
  private processFrom(source: number, packet: Uint8Array): void {
    this.remoteSenderId = source;
    try {
      this.processPacket(source, packet);
    } finally {
      this.remoteSenderId = 0;
    }
  }

  // ---------------------------------------------------------------- peers

  private updateStatus(): void {
    const status = this.multiplayerPeer?.GetConnectionStatus() ?? ConnectionStatus.Disconnected;
    if (status === this.lastStatus) return;
    if (status === ConnectionStatus.Disconnected) {
      // As Godot: the signal first (listeners still see the peers), then everything is forgotten.
      const failed = this.lastStatus === ConnectionStatus.Connecting;
      this.lastStatus = status;
      try {
        if (failed) this.ConnectionFailed.Emit();
        else this.ServerDisconnected.Emit();
      } finally {
        this.Clear();
      }
      return;
    }
    this.lastStatus = status;
  }

  private addPeer(id: number): void {
    if (this.authCallback) {
      this.pending.set(id, { local: false, remote: false, since: performance.now() });
      this.PeerAuthenticating.Emit(id);
      return;
    }
    this.admitPeer(id);
  }

  private admitPeer(id: number): void {
    if (this.IsServer() && this.relaying()) {
      // Tell the others about the newcomer, and the newcomer about each of them.
      const announce = sysPacket(SysCommand.AddPeer, id);
      for (const other of this.connected) {
        this.sendReliable(other, announce);
        this.sendReliable(id, sysPacket(SysCommand.AddPeer, other));
      }
    }
    this.connected.add(id);
    this.cache.onPeerChange(id, true);
    if (id === 1) this.ConnectedToServer.Emit();
    this.PeerConnected.Emit(id);
  }

  private delPeer(id: number, signal: boolean): void {
    if (this.pending.delete(id)) {
      if (signal) this.PeerAuthenticationFailed.Emit(id);
      return;
    }
    if (!this.connected.has(id)) return;
    if (this.IsServer() && this.relaying()) {
      const notice = sysPacket(SysCommand.DelPeer, id);
      for (const other of this.connected) {
        if (other !== id) this.sendReliable(other, notice);
      }
    }
    this.cache.onPeerChange(id, false);
    this.connected.delete(id);
    if (signal) this.PeerDisconnected.Emit(id);
  }

  /** Disconnects a peer without emitting peer_disconnected for it (as Godot). */
  DisconnectPeer(id: number): void {
    checkInteger('DisconnectPeer', id);
    const peer = this.multiplayerPeer;
    if (!peer || peer.GetConnectionStatus() !== ConnectionStatus.Connected) return;
    this.delPeer(id, false);
    peer.DisconnectPeer(id);
  }

  /** Forgets every peer and cache (the transport is left as it is). */
  Clear(): void {
    this.lastStatus = ConnectionStatus.Disconnected;
    this.pending.clear();
    this.connected.clear();
    this.cache.clear();
  }

  // ---------------------------------------------------------------- authentication

  SendAuth(id: number, data: Uint8Array): Error {
    checkInteger('SendAuth', id);
    checkBytes('SendAuth', data);
    if (!this.connectedPeer()) return Error.Unconfigured;
    const auth = this.pending.get(id);
    if (!auth || data.length === 0) return Error.InvalidParameter;
    if (auth.local || auth.remote) return Error.FileCantWrite;
    return this.sendReliable(id, authPacket(data));
  }

  /** Marks authentication of `id` done on this side; the peer is admitted once its side is done too. */
  CompleteAuth(id: number): Error {
    checkInteger('CompleteAuth', id);
    if (!this.connectedPeer()) return Error.Unconfigured;
    const auth = this.pending.get(id);
    if (!auth) return Error.InvalidParameter;
    if (auth.local) return Error.FileCantWrite;
    auth.local = true;
    const error = this.sendReliable(id, authPacket());
    if (auth.remote) {
      this.pending.delete(id);
      this.admitPeer(id);
    }
    return error;
  }

  // ---------------------------------------------------------------- sending

  /** Sends raw bytes, received as peer_packet: to a peer (> 0), everyone (0) or everyone but -id. */
  SendBytes(bytes: Uint8Array, id = MultiplayerPeer.TargetPeerBroadcast, mode: TransferMode = TransferMode.Reliable, channel = 0): Error {
    checkBytes('SendBytes', bytes);
    checkInteger('SendBytes', id);
    checkInteger('SendBytes', mode);
    checkInteger('SendBytes', channel);
    if (bytes.length === 0) return Error.InvalidData;
    const peer = this.connectedPeer();
    if (!peer) return Error.Unconfigured;
    const packet = new Uint8Array(bytes.length + 1);
    packet[0] = Command.Raw;
    packet.set(bytes, 1);
    peer.TransferChannel = channel;
    peer.TransferMode = mode;
    return this.sendCommand(id, packet);
  }

  /** MultiplayerAPI.rpc: calls `method` of a mirror on `peer` (0 all, < 0 all but -peer). */
  Rpc(peer: number, mirror: NodeMirror, method: string, args: readonly unknown[] = []): Error {
    checkInteger('Rpc', peer);
    checkMirror('Rpc', mirror);
    if (!Array.isArray(args)) throw new TypeError(`Rpc: expected an array of arguments, got ${describe(args)}`);
    return this.rpcp(mirror, peer, method, args);
  }

  /** @internal Node.rpc / rpc_id land here. */
  rpcp(mirror: NodeMirror, peer: number, method: string, args: readonly unknown[]): Error {
    return this.rpc.rpcp(mirror, peer, method, args);
  }

  /**
   * Godot's send_command: to one peer, all (0) or all but -to (< 0); a client sends anything not
   * for the server through it (RELAY).
   */
  private sendCommand(to: number, packet: Uint8Array): Error {
    const peer = this.multiplayerPeer!;
    if (to !== 1 && !this.IsServer() && this.relaying()) {
      peer.SetTargetPeer(1);
      return peer.PutPacket(sysPacket(SysCommand.Relay, to, packet));
    }
    if (to > 0) {
      if (!this.connected.has(to)) return Error.Bug; // Godot's answer for a peer it does not know
      peer.SetTargetPeer(to);
      return peer.PutPacket(packet);
    }
    let result = Error.Ok;
    for (const target of this.connected) {
      if (target === -to) continue;
      peer.SetTargetPeer(target);
      const error = peer.PutPacket(packet);
      if (result === Error.Ok) result = error;
    }
    return result;
  }

  /** SYS and AUTH packets go to one peer reliably, on channel 0, as Godot sends them. */
  private sendReliable(to: number, packet: Uint8Array): Error {
    const peer = this.multiplayerPeer!;
    peer.TransferChannel = 0;
    peer.TransferMode = TransferMode.Reliable;
    peer.SetTargetPeer(to);
    return peer.PutPacket(packet);
  }

  /** Whether packets between clients go through the server (Godot: server_relay and a transport that supports it). */
  private relaying(): boolean {
    return this.serverRelay && this.multiplayerPeer!.IsServerRelaySupported();
  }

  private connectedPeer(): MultiplayerPeer | null {
    const peer = this.multiplayerPeer;
    return peer && peer.GetConnectionStatus() === ConnectionStatus.Connected ? peer : null;
  }

  // ---------------------------------------------------------------- helpers for the RPC and cache parts

  private report(from: number, name: string, sentence: string): void {
    this.ProtocolError.Emit(from, `${name}: ${sentence}`);
  }

  /** Runs user code for a peer; an exception becomes a ProtocolError (Godot prints and carries on). */
  private callUser(from: number, what: string, fn: () => unknown): boolean {
    try {
      fn();
      return true;
    } catch (error) {
      this.report(from, 'HANDLER_FAILED', `${what} threw: ${error instanceof globalThis.Error ? error.message : String(error)}`);
      return false;
    }
  }

  private host() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    return {
      get peer() {
        return self.multiplayerPeer;
      },
      get cache() {
        return self.cache;
      },
      get allowObjectDecoding() {
        return self.allowObjectDecoding;
      },
      get connectedPeers(): ReadonlySet<number> {
        return self.connected;
      },
      get maxCachedPaths() {
        return self.maxCachedPaths;
      },
      GetUniqueId: () => self.GetUniqueId(),
      findMirror: (path: string) => self.mirrors.get(path) ?? null,
      isMirrored: (node: NodeMirror) => node.host === self,
      sendCommand: (to: number, packet: Uint8Array) => self.sendCommand(to, packet),
      report: (from: number, name: string, sentence: string) => self.report(from, name, sentence),
      invoke: (node: NodeMirror, method: string, args: unknown[], sender: number) => {
        const handler = node.handler(method);
        if (!handler) {
          self.report(sender, 'NO_HANDLER', `"${node.GetPathFromRoot()}" declares the RPC "${method}" but has no function of that name.`);
          return false;
        }
        const previous = self.remoteSenderOverride;
        self.remoteSenderOverride = sender;
        try {
          return self.callUser(sender, `RPC "${method}" on "${node.GetPathFromRoot()}"`, () => handler.apply(node, args));
        } finally {
          self.remoteSenderOverride = previous;
        }
      },
    };
  }
}

registerGodotClass(SceneMultiplayer, {
  name: 'SceneMultiplayer',
  methods: {
    poll: 'Poll',
    has_multiplayer_peer: 'HasMultiplayerPeer',
    get_multiplayer_peer: 'get:MultiplayerPeer',
    set_multiplayer_peer: 'set:MultiplayerPeer',
    get_unique_id: 'GetUniqueId',
    is_server: 'IsServer',
    get_remote_sender_id: 'GetRemoteSenderId',
    get_peers: 'GetPeers',
    rpc: 'Rpc',
    clear: 'Clear',
    disconnect_peer: 'DisconnectPeer',
    get_authenticating_peers: 'GetAuthenticatingPeers',
    send_auth: 'SendAuth',
    complete_auth: 'CompleteAuth',
    send_bytes: 'SendBytes',
    add_mirror: 'AddMirror',
    remove_mirror: 'RemoveMirror',
    get_mirror: 'GetMirror',
    get_mirror_path: 'GetMirrorPath',
    set_root_path: 'set:RootPath',
    get_root_path: 'get:RootPath',
    set_auth_callback: 'set:AuthCallback',
    get_auth_callback: 'get:AuthCallback',
    set_auth_timeout: 'set:AuthTimeout',
    get_auth_timeout: 'get:AuthTimeout',
    set_allow_object_decoding: 'set:AllowObjectDecoding',
    is_object_decoding_allowed: 'get:AllowObjectDecoding',
    set_server_relay_enabled: 'set:ServerRelay',
    is_server_relay_enabled: 'get:ServerRelay',
    set_refuse_new_connections: 'set:RefuseNewConnections',
    is_refusing_new_connections: 'get:RefuseNewConnections',
  },
  properties: {
    multiplayer_peer: 'MultiplayerPeer',
    root_path: 'RootPath',
    auth_callback: 'AuthCallback',
    auth_timeout: 'AuthTimeout',
    allow_object_decoding: 'AllowObjectDecoding',
    server_relay: 'ServerRelay',
    refuse_new_connections: 'RefuseNewConnections',
    max_cached_paths: 'MaxCachedPaths',
    peer_connected: 'PeerConnected',
    peer_disconnected: 'PeerDisconnected',
    connected_to_server: 'ConnectedToServer',
    connection_failed: 'ConnectionFailed',
    server_disconnected: 'ServerDisconnected',
    peer_authenticating: 'PeerAuthenticating',
    peer_authentication_failed: 'PeerAuthenticationFailed',
    peer_packet: 'PeerPacket',
    protocol_error: 'ProtocolError',
  },
  signals: [
    'peer_connected', 'peer_disconnected', 'connected_to_server', 'connection_failed', 'server_disconnected',
    'peer_authenticating', 'peer_authentication_failed', 'peer_packet', 'protocol_error',
  ],
});
