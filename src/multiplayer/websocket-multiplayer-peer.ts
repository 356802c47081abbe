/**
 * WebSocketMultiplayerPeer: Godot 4's multiplayer transport over WebSocketPeer and TcpServer
 * (modules/websocket/websocket_multiplayer_peer.cpp). One WebSocket message is one packet, with no
 * header. The server is peer 1; when a client's WebSocket opens, the server sends it its id as
 * the first message (4 bytes, int32 little-endian) and announces it with peer_connected.
 *
 * Differences from Godot, each for a reason (README "Multiplayer" compatibility rows): ids are
 * checked against every id in use; packets are read from the peers in turn, straight out of their
 * bounded WebSocketPeer queues (no unbounded shared queue); a peer's packets received before it
 * left are delivered before its peer_disconnected; MaxPeers bounds the connections.
 */
import { performance } from 'node:perf_hooks';
import { checkInteger, checkNumber, checkString } from '../core/arguments.js';
import { Error } from '../core/error.js';
import { activityAt } from '../core/activity.js';
import { registerGodotClass } from '../core/godot-object.js';
import type { PacketResult } from '../core/packet-peer.js';
import type { StreamPeer } from '../core/stream-peer.js';
import { warn, WarningCode } from '../core/warnings.js';
import { TcpServer } from '../net/tcp-server.js';
import { StreamPeerTls } from '../tls/stream-peer-tls.js';
import { checkTlsOptions, type TlsOptions } from '../tls/tls-options.js';
import { WebSocketPeer } from '../websocket/websocket-peer.js';
import { MultiplayerPeer } from './multiplayer-peer.js';

const { ConnectionStatus, TransferModeEnum } = MultiplayerPeer;
const { State } = WebSocketPeer;

/** Godot's handshake_timeout default, in seconds. */
const DEFAULT_HANDSHAKE_TIMEOUT = 3;
/** Extension: connections (handshaking, connected and closing) one server keeps at most. */
export const DEFAULT_MAX_PEERS = 4096;
/** A peer we closed gets this long to finish the closing handshake before its socket is dropped. */
const CLOSING_GRACE_MS = 3000;
/** Godot reports outbound_buffer_size minus its old 9-byte packet header as the largest packet. */
const LEGACY_HEADER_SIZE = 9;
const EMPTY = new Uint8Array(0);

interface Handshaking {
  readonly ws: WebSocketPeer;
  readonly since: number;
}

interface Closing {
  readonly ws: WebSocketPeer;
  readonly deadline: number;
}

interface Packet {
  readonly source: number;
  readonly data: Uint8Array;
}

export class WebSocketMultiplayerPeer extends MultiplayerPeer {
  /** Holds the settings each new connection copies (Godot keeps a WebSocketPeer for this too). */
  private readonly template = new WebSocketPeer();
  private handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT * 1000;
  private maxPeers = DEFAULT_MAX_PEERS;

  private status = ConnectionStatus.Disconnected;
  private uniqueId = 0;
  private targetPeer = 0;
  private server: TcpServer | null = null;
  private tlsServerOptions: TlsOptions | null = null;
  private clientSince = 0;
  /** Server: connections whose WebSocket handshake has not finished, by the id they will get. */
  private readonly handshaking = new Map<number, Handshaking>();
  /** Announced peers (a client has one: the server, 1, also while connecting). */
  private readonly peers = new Map<number, WebSocketPeer>();
  /** WebSockets we closed and no longer count as peers, kept until their close completes. */
  private closing: Closing[] = [];
  /** Peer ids in the order packets are read from them, one packet each in turn. */
  private readOrder: number[] = [];
  private readOrderStale = false;
  private readCursor = 0;
  /** The packet GetPacket() returns next, already taken from its WebSocketPeer. */
  private next: Packet | null = null;
  /** Packets readable: those in the peers' queues plus `next`. */
  private available = 0;
  private closeReason = '';

  // ---------------------------------------------------------------- settings copied to each connection

  get SupportedProtocols(): string[] {
    return this.template.SupportedProtocols;
  }
  set SupportedProtocols(value: string[]) {
    this.template.SupportedProtocols = value;
  }

  get HandshakeHeaders(): string[] {
    return this.template.HandshakeHeaders;
  }
  set HandshakeHeaders(value: string[]) {
    this.template.HandshakeHeaders = value;
  }

  get InboundBufferSize(): number {
    return this.template.InboundBufferSize;
  }
  set InboundBufferSize(value: number) {
    this.template.InboundBufferSize = value;
  }

  get OutboundBufferSize(): number {
    return this.template.OutboundBufferSize;
  }
  set OutboundBufferSize(value: number) {
    this.template.OutboundBufferSize = value;
  }

  get MaxQueuedPackets(): number {
    return this.template.MaxQueuedPackets;
  }
  set MaxQueuedPackets(value: number) {
    this.template.MaxQueuedPackets = value;
  }

  /**
   * Seconds a connection may take to be announced: on a server from the TCP accept to the open
   * WebSocket, on a client from CreateClient to the id message. Default 3; must be above 0.
   */
  get HandshakeTimeout(): number {
    return this.handshakeTimeoutMs / 1000;
  }
  set HandshakeTimeout(value: number) {
    checkNumber('HandshakeTimeout', value);
    if (!(value > 0)) {
      warn(WarningCode.IgnoredValue, 'HandshakeTimeout must be greater than 0; ignored.');
      return;
    }
    this.handshakeTimeoutMs = value * 1000;
  }

  /**
   * Extension: the most connections a server holds at once (handshaking, connected, or closing);
   * further ones are closed as soon as they are accepted. Default 4096.
   */
  get MaxPeers(): number {
    return this.maxPeers;
  }
  set MaxPeers(value: number) {
    checkInteger('MaxPeers', value);
    if (value < 1) {
      warn(WarningCode.IgnoredValue, 'MaxPeers must be at least 1; ignored.');
      return;
    }
    this.maxPeers = value;
  }

  // ---------------------------------------------------------------- starting

  /** Listens for clients; this side becomes peer 1 and is Connected at once. */
  CreateServer(port: number, bindAddress = '*', tlsServerOptions: TlsOptions | null = null): Error {
    checkInteger('CreateServer', port);
    checkString('CreateServer', bindAddress);
    checkTlsOptions('CreateServer', tlsServerOptions);
    if (this.status !== ConnectionStatus.Disconnected) return Error.AlreadyInUse;
    if (tlsServerOptions && !tlsServerOptions.IsServer()) return Error.InvalidParameter;
    this.clear();
    const server = new TcpServer();
    const error = server.Listen(port, bindAddress);
    if (error !== Error.Ok) return error;
    this.server = server;
    this.tlsServerOptions = tlsServerOptions;
    this.uniqueId = 1;
    this.status = ConnectionStatus.Connected;
    return Error.Ok;
  }

  /** Connects to a server (ws:// or wss://); Connected once the server has sent this client's id. */
  CreateClient(url: string, tlsClientOptions: TlsOptions | null = null): Error {
    checkString('CreateClient', url);
    checkTlsOptions('CreateClient', tlsClientOptions);
    if (this.status !== ConnectionStatus.Disconnected) return Error.AlreadyInUse;
    if (tlsClientOptions && tlsClientOptions.IsServer()) return Error.InvalidParameter;
    this.clear();
    const ws = this.newConnection();
    const error = ws.ConnectToUrl(url, tlsClientOptions);
    if (error !== Error.Ok) return error;
    this.clientSince = performance.now();
    this.addPeer(1, ws);
    this.status = ConnectionStatus.Connecting;
    return Error.Ok;
  }

  // ---------------------------------------------------------------- polling

  Poll(): void {
    this.pollClosing();
    if (this.status === ConnectionStatus.Disconnected) return;
    if (this.server) this.pollServer();
    else this.pollClient();
    this.countAvailable();
  }

  private pollServer(): void {
    const server = this.server!;
    const now = performance.now();
    while (!this.RefuseNewConnections && server.IsConnectionAvailable()) {
      const tcp = server.TakeConnection()!;
      if (this.connectionCount() >= this.maxPeers) {
        tcp.DisconnectFromHost();
        continue;
      }
      let stream: StreamPeer = tcp;
      if (this.tlsServerOptions) {
        const tls = new StreamPeerTls();
        if (tls.AcceptStream(tcp, this.tlsServerOptions) !== Error.Ok) {
          tcp.DisconnectFromHost();
          continue;
        }
        stream = tls;
      }
      const ws = this.newConnection();
      ws.AcceptStream(stream);
      this.handshaking.set(this.newPeerId(), { ws, since: now });
    }

    for (const [id, pending] of this.handshaking) {
      const { ws } = pending;
      if (now - pending.since > this.handshakeTimeoutMs) {
        this.handshaking.delete(id);
        ws.Close(-1);
        continue;
      }
      ws.Poll();
      const state = ws.GetReadyState();
      if (state === State.Connecting) {
        activityAt(pending.since + this.handshakeTimeoutMs); // PollLoop: the timeout is a reason to poll
        continue;
      }
      this.handshaking.delete(id);
      if (state !== State.Open || this.RefuseNewConnections) {
        ws.Close(-1);
        continue;
      }
      if (ws.PutPacket(int32le(id)) !== Error.Ok) {
        ws.Close(-1);
        continue;
      }
      this.addPeer(id, ws);
      this.PeerConnected.Emit(id);
    }

    for (const [id, ws] of this.peers) {
      ws.Poll();
      if (this.hasLeft(id, ws)) {
        this.removePeer(id);
        this.PeerDisconnected.Emit(id);
      }
    }
  }

  private pollClient(): void {
    const ws = this.peers.get(1)!;
    ws.Poll();
    if (this.status === ConnectionStatus.Connecting) {
      const state = ws.GetReadyState();
      if (state === State.Open && ws.GetAvailablePacketCount() > 0) {
        const message = ws.GetPacket();
        const id = message.length === 4 ? new DataView(message.buffer, message.byteOffset, 4).getInt32(0, true) : 0;
        if (id < 2) {
          // Godot closes (code 1000) and reports the failure on a later poll.
          this.closeReason = 'The server did not send a valid peer id as its first message.';
          ws.Close();
          return;
        }
        this.uniqueId = id;
        this.status = ConnectionStatus.Connected;
        this.PeerConnected.Emit(1);
        return;
      }
      if (state === State.Closed) {
        this.closeReason ||= ws.GetCloseReason() || 'The connection closed before the server sent a peer id.';
        this.clear();
        return;
      }
      if (performance.now() - this.clientSince > this.handshakeTimeoutMs) {
        this.closeReason = 'handshake timed out';
        ws.Close(-1);
        this.clear();
      } else {
        activityAt(this.clientSince + this.handshakeTimeoutMs);
      }
      return;
    }
    if (this.hasLeft(1, ws)) {
      this.closeReason = ws.GetCloseReason();
      this.removePeer(1);
      this.PeerDisconnected.Emit(1);
      this.clear();
    }
  }

  /** A peer has left once its WebSocket is no longer open and every packet it sent was read. */
  private hasLeft(id: number, ws: WebSocketPeer): boolean {
    return ws.GetReadyState() !== State.Open && ws.GetAvailablePacketCount() === 0 && this.next?.source !== id;
  }

  private pollClosing(): void {
    if (this.closing.length === 0) return;
    const now = performance.now();
    this.closing = this.closing.filter(({ ws, deadline }) => {
      ws.Poll();
      if (ws.GetReadyState() === State.Closed) return false;
      if (now < deadline) {
        activityAt(deadline);
        return true;
      }
      ws.Close(-1);
      return false;
    });
  }

  // ---------------------------------------------------------------- packets

  GetAvailablePacketCount(): number {
    return this.available;
  }

  /** The id of the peer whose packet GetPacket() returns next (1 when there is none, as in Godot). */
  GetPacketPeer(): number {
    return this.peekNext()?.source ?? 1;
  }

  /** Always 0: a WebSocket has one channel. */
  GetPacketChannel(): number {
    return 0;
  }

  /** Always Reliable: a WebSocket delivers everything, in order. */
  GetPacketMode(): MultiplayerPeer.TransferModeEnum {
    return TransferModeEnum.Reliable;
  }

  protected takePacket(): PacketResult {
    if (this.status !== ConnectionStatus.Connected) return { error: Error.Unconfigured, packet: EMPTY };
    const packet = this.peekNext();
    if (!packet) return { error: Error.Unavailable, packet: EMPTY };
    this.next = null;
    this.available--;
    return { error: Error.Ok, packet: packet.data };
  }

  /** Takes the next packet out of the peers' queues, one peer after another. */
  private peekNext(): Packet | null {
    if (this.next || this.available <= 0) return this.next;
    const order = this.currentReadOrder();
    for (let k = 0; k < order.length; k++) {
      const index = (this.readCursor + k) % order.length;
      const id = order[index]!;
      const ws = this.peers.get(id)!;
      while (ws.GetAvailablePacketCount() > 0) {
        const data = ws.GetPacket();
        if (data.length === 0) {
          // Godot drops empty messages (SceneMultiplayer cannot read them either).
          this.available--;
          continue;
        }
        this.readCursor = index + 1;
        this.next = { source: id, data };
        return this.next;
      }
    }
    this.available = 0;
    return null;
  }

  private currentReadOrder(): number[] {
    if (this.readOrderStale) {
      this.readOrder = [...this.peers.keys()];
      this.readOrderStale = false;
      this.readCursor = 0;
    }
    return this.readOrder;
  }

  private countAvailable(): void {
    let count = this.next ? 1 : 0;
    if (this.status === ConnectionStatus.Connected) {
      for (const ws of this.peers.values()) count += ws.GetAvailablePacketCount();
    }
    this.available = count;
  }

  SetTargetPeer(id: number): void {
    checkInteger('SetTargetPeer', id);
    this.targetPeer = id;
  }

  /**
   * Server: to the target peer (> 0), everyone (0) or everyone but -target (< 0); a client always
   * sends to the server. A single target reports its WebSocketPeer's error (Godot returns Ok).
   */
  protected sendPacket(buffer: Uint8Array): Error {
    if (this.status !== ConnectionStatus.Connected) return Error.Unconfigured;
    if (!this.server) return this.peers.get(1)!.PutPacket(buffer);
    if (this.targetPeer > 0) {
      const ws = this.peers.get(this.targetPeer);
      return ws ? ws.PutPacket(buffer) : Error.InvalidParameter;
    }
    for (const [id, ws] of this.peers) {
      if (id !== -this.targetPeer) ws.PutPacket(buffer);
    }
    return Error.Ok;
  }

  GetMaxPacketSize(): number {
    return this.OutboundBufferSize - LEGACY_HEADER_SIZE;
  }

  // ---------------------------------------------------------------- peers

  GetUniqueId(): number {
    return this.uniqueId;
  }

  IsServer(): boolean {
    return this.server !== null;
  }

  override IsServerRelaySupported(): boolean {
    return true;
  }

  GetConnectionStatus(): MultiplayerPeer.ConnectionStatus {
    return this.status;
  }

  /** The WebSocketPeer of an announced peer (a client's server is 1), or null. */
  GetPeer(id: number): WebSocketPeer | null {
    checkInteger('GetPeer', id);
    return this.peers.get(id) ?? null;
  }

  GetPeerAddress(id: number): string {
    checkInteger('GetPeerAddress', id);
    const ws = this.peers.get(id);
    return ws && ws.GetReadyState() === State.Open ? ws.GetConnectedHost() : '';
  }

  GetPeerPort(id: number): number {
    checkInteger('GetPeerPort', id);
    const ws = this.peers.get(id);
    return ws && ws.GetReadyState() === State.Open ? ws.GetConnectedPort() : 0;
  }

  /**
   * Closes a peer's WebSocket (code 1000); peer_disconnected follows in a later Poll(). `force`
   * forgets the peer at once, without the signal (on a client: the whole connection).
   */
  DisconnectPeer(peer: number, force = false): void {
    checkInteger('DisconnectPeer', peer);
    const ws = this.peers.get(peer);
    if (!ws) return;
    ws.Close();
    if (!force) return;
    this.removePeer(peer);
    if (!this.server) this.clear();
    this.countAvailable();
  }

  /** Drops every connection at once (no close frames, no signals) and stops listening. */
  Close(): void {
    for (const { ws } of this.closing) ws.Close(-1);
    this.closing = [];
    for (const ws of this.peers.values()) ws.Close(-1);
    this.peers.clear();
    this.clear();
  }

  /** Extension: the port a server listens on (the one picked when CreateServer was given 0); 0 otherwise. */
  GetLocalPort(): number {
    return this.server?.GetLocalPort() ?? 0;
  }

  /** Extension: why a client's connection failed or ended ("" while none did). */
  GetCloseReason(): string {
    return this.closeReason;
  }

  protected override dispose(): void {
    this.Close();
  }

  // ---------------------------------------------------------------- internals

  private newConnection(): WebSocketPeer {
    const ws = new WebSocketPeer();
    ws.SupportedProtocols = this.template.SupportedProtocols;
    ws.HandshakeHeaders = this.template.HandshakeHeaders;
    ws.InboundBufferSize = this.template.InboundBufferSize;
    ws.OutboundBufferSize = this.template.OutboundBufferSize;
    ws.MaxQueuedPackets = this.template.MaxQueuedPackets;
    return ws;
  }

  /** An id in [2, 2^31 - 1] that no handshaking, connected or leaving peer has (Godot does not check). */
  private newPeerId(): number {
    for (;;) {
      const id = this.GenerateUniqueId();
      if (!this.handshaking.has(id) && !this.peers.has(id)) return id;
    }
  }

  private connectionCount(): number {
    return this.handshaking.size + this.peers.size + this.closing.length;
  }

  private addPeer(id: number, ws: WebSocketPeer): void {
    this.peers.set(id, ws);
    this.readOrderStale = true;
  }

  /** Forgets a peer; a WebSocket still closing finishes in the background. */
  private removePeer(id: number): void {
    const ws = this.peers.get(id);
    if (!ws) return;
    this.peers.delete(id);
    this.readOrderStale = true;
    if (this.next?.source === id) {
      this.next = null;
      this.available--;
    }
    if (ws.GetReadyState() !== State.Closed) this.closing.push({ ws, deadline: performance.now() + CLOSING_GRACE_MS });
  }

  /** Godot's _clear(): back to Disconnected. Handshaking connections are dropped; announced ones were handed over. */
  private clear(): void {
    for (const { ws } of this.handshaking.values()) ws.Close(-1);
    this.handshaking.clear();
    for (const id of [...this.peers.keys()]) this.removePeer(id);
    this.server?.Stop();
    this.server = null;
    this.tlsServerOptions = null;
    this.status = ConnectionStatus.Disconnected;
    this.uniqueId = 0;
    this.next = null;
    this.available = 0;
  }
}

function int32le(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, value, true);
  return bytes;
}

registerGodotClass(WebSocketMultiplayerPeer, {
  name: 'WebSocketMultiplayerPeer',
  methods: {
    create_client: 'CreateClient',
    create_server: 'CreateServer',
    get_peer: 'GetPeer',
    get_peer_address: 'GetPeerAddress',
    get_peer_port: 'GetPeerPort',
    get_local_port: 'GetLocalPort',
    get_close_reason: 'GetCloseReason',
    get_supported_protocols: 'get:SupportedProtocols',
    set_supported_protocols: 'set:SupportedProtocols',
    get_handshake_headers: 'get:HandshakeHeaders',
    set_handshake_headers: 'set:HandshakeHeaders',
    get_inbound_buffer_size: 'get:InboundBufferSize',
    set_inbound_buffer_size: 'set:InboundBufferSize',
    get_outbound_buffer_size: 'get:OutboundBufferSize',
    set_outbound_buffer_size: 'set:OutboundBufferSize',
    get_handshake_timeout: 'get:HandshakeTimeout',
    set_handshake_timeout: 'set:HandshakeTimeout',
    get_max_queued_packets: 'get:MaxQueuedPackets',
    set_max_queued_packets: 'set:MaxQueuedPackets',
  },
  properties: {
    supported_protocols: 'SupportedProtocols',
    handshake_headers: 'HandshakeHeaders',
    inbound_buffer_size: 'InboundBufferSize',
    outbound_buffer_size: 'OutboundBufferSize',
    handshake_timeout: 'HandshakeTimeout',
    max_queued_packets: 'MaxQueuedPackets',
  },
});
