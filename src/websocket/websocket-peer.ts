/**
 * WebSocketPeer: Godot 4's WebSocketPeer for Node, with the GodotSharp names. A client
 * (ConnectToUrl) or a server-side peer (AcceptStream) driven by Poll(): sockets read and write in
 * the background, but states, packets and counters change only inside Poll().
 * Behaviour follows Godot 4.4+ (shared/spec/websocketpeer.md); the README lists each deviation.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { CodecSession, CodecStatus, Opcode } from './codec-session.js';
import { Connection, type InboundLimits } from './connection.js';
import { Error } from '../core/error.js';
import { registerGodotClass } from '../core/godot-object.js';
import { HandshakeResult, native, SessionFlag } from '../native/addon.js';
import { CloseCode, DEFAULT_BUFFER_SIZE, DEFAULT_MAX_QUEUED_PACKETS } from '../native/constants.js';
import { checkBoolean, checkBytes, checkInteger, checkNumber, checkString, describe } from '../core/arguments.js';
import { warn, WarningCode } from '../core/warnings.js';
import { activity, activityAt, activityWatched } from '../core/activity.js';
import { PacketPeer, type PacketResult } from '../core/packet-peer.js';
import type { SocketPipe } from '../net/socket-pipe.js';
import { StreamPeer } from '../core/stream-peer.js';
import { StreamPeerTcp } from '../net/stream-peer-tcp.js';
import { StreamPeerTls } from '../tls/stream-peer-tls.js';
import { checkTlsOptions, type TlsOptions } from '../tls/tls-options.js';
import { ClientHandshake, parseUrl } from './client-handshake.js';
import { PacketQueue } from './packet-queue.js';
import { ServerHandshake } from './server-handshake.js';
import { handshakeFailureReason } from './handshake-failure.js';
import { checkUpgradeArguments, streamFromUpgrade } from './http-upgrade.js';

const EMPTY = new Uint8Array(0);
const NO_STRINGS: readonly string[] = Object.freeze([]);
const encoder = new TextEncoder();

/** The open connection of a peer, with the stream it runs over. */
class PeerConnection extends Connection {
  declare readonly pipe: SocketPipe;

  constructor(
    codec: CodecSession,
    pipe: SocketPipe,
    packets: PacketQueue,
    rest: Buffer[],
    limits: InboundLimits,
    readonly stream: StreamPeer,
    readonly tcp: StreamPeerTcp | null,
  ) {
    super(codec, pipe, packets, rest, limits);
  }
}

export class WebSocketPeer extends PacketPeer {
  // Replaced, never mutated: every peer starts with the same empty list (no array per connection).
  private supportedProtocols: readonly string[] = NO_STRINGS;
  private handshakeHeaders: readonly string[] = NO_STRINGS;
  private inboundBufferSize = DEFAULT_BUFFER_SIZE;
  private outboundBufferSize = DEFAULT_BUFFER_SIZE;
  private maxQueuedPackets = DEFAULT_MAX_QUEUED_PACKETS;
  private heartbeatIntervalMs = 0;
  private handshakeTimeoutMs = 0;
  private pongTimeoutMs = 0;

  private state = WebSocketPeer.State.Closed;
  private client: ClientHandshake | null = null;
  private server: ServerHandshake | null = null;
  private serverStream: StreamPeer | null = null;
  private connection: PeerConnection | null = null;
  private readonly packets = new PacketQueue();
  private wasString = false;
  private closeCode = -1;
  private closeReason = '';
  private requestedUrl = '';
  private selectedProtocol = '';
  private lastPingTime = 0;
  private awaitingPong = false;
  private roundTripTime = -1;
  private flushScheduled = false;

  // ---------------------------------------------------------------- properties

  /** Subprotocols offered (client) or accepted (server). Entries are trimmed; empty ones dropped. */
  get SupportedProtocols(): string[] {
    return [...this.supportedProtocols];
  }
  set SupportedProtocols(value: string[]) {
    // An empty name is no subprotocol (RFC 6455 §4.1: a token); Godot would send it as ",".
    this.supportedProtocols = checkStrings('SupportedProtocols', value).map((p) => p.trim()).filter((p) => p !== '');
  }

  /** Extra "Name: value" lines for the request (client) or the 101 response (server). */
  get HandshakeHeaders(): string[] {
    return [...this.handshakeHeaders];
  }
  set HandshakeHeaders(value: string[]) {
    const lines = checkStrings('HandshakeHeaders', value);
    // Godot emits lines verbatim; a CR or LF would let a value inject headers, so refuse it.
    if (lines.some((line) => /[\r\n]/.test(line))) throw new TypeError('HandshakeHeaders: lines must not contain CR or LF');
    this.handshakeHeaders = [...lines];
  }

  /** Largest inbound message and the inbound byte budget; read when the connection opens. */
  get InboundBufferSize(): number {
    return this.inboundBufferSize;
  }
  set InboundBufferSize(value: number) {
    checkInteger('InboundBufferSize', value);
    this.inboundBufferSize = value;
  }

  /** Outbound byte budget (payload the OS has not taken); 0 or less means no limit. Read on every send. */
  get OutboundBufferSize(): number {
    return this.outboundBufferSize;
  }
  set OutboundBufferSize(value: number) {
    checkInteger('OutboundBufferSize', value);
    this.outboundBufferSize = value;
    this.applyOutboundLimits();
  }

  /** Inbound queue length (read at open) and limit of frames the OS has not taken (live); negative = no outbound limit. */
  get MaxQueuedPackets(): number {
    return this.maxQueuedPackets;
  }
  set MaxQueuedPackets(value: number) {
    checkInteger('MaxQueuedPackets', value);
    this.maxQueuedPackets = value;
    this.applyOutboundLimits();
  }

  /** Seconds between pings (0 = off). A ping still unanswered when the next is due drops the connection. */
  get HeartbeatInterval(): number {
    return this.heartbeatIntervalMs / 1000;
  }
  set HeartbeatInterval(value: number) {
    checkNumber('HeartbeatInterval', value);
    if (value < 0) {
      warn(WarningCode.IgnoredValue, 'HeartbeatInterval must not be negative; ignored.');
      return;
    }
    this.heartbeatIntervalMs = Math.trunc(value * 1000);
    activity(); // a PollLoop must poll once to learn the new deadline
  }

  /** Extension: seconds a connection may stay Connecting before it fails (0 = no limit, as Godot). */
  get HandshakeTimeout(): number {
    return this.handshakeTimeoutMs / 1000;
  }
  set HandshakeTimeout(value: number) {
    checkNumber('HandshakeTimeout', value);
    this.handshakeTimeoutMs = Math.max(0, Math.trunc(value * 1000));
    activity();
  }

  /**
   * Extension: seconds a heartbeat ping may wait for its pong before the connection is dropped
   * (0 = Godot's rule: until the next ping is due).
   */
  get PongTimeout(): number {
    return this.pongTimeoutMs / 1000;
  }
  set PongTimeout(value: number) {
    checkNumber('PongTimeout', value);
    this.pongTimeoutMs = Math.max(0, Math.trunc(value * 1000));
    activity();
  }

  // ---------------------------------------------------------------- connecting

  /** Starts connecting to a ws:// or wss:// URL. Progress happens in Poll(). */
  ConnectToUrl(url: string, tlsClientOptions: TlsOptions | null = null): Error {
    checkString('ConnectToUrl', url);
    checkTlsOptions('ConnectToUrl', tlsClientOptions);
    if (tlsClientOptions?.IsServer()) return this.refuseArgument('ConnectToUrl: TlsOptions.Server() options were given to a client');
    if (url === '') return this.refuseArgument(handshakeFailureReason(HandshakeResult.UrlEmpty));
    if (this.isBusy()) return Error.AlreadyInUse;
    this.reset();
    const parsed = parseUrl(url);
    if ('result' in parsed) {
      this.closeReason = handshakeFailureReason(parsed.result);
      return Error.InvalidParameter;
    }
    const client = new ClientHandshake({
      url: parsed,
      protocols: this.supportedProtocols,
      headers: this.handshakeHeaders,
      tlsOptions: tlsClientOptions ?? null,
    });
    if (client.start() !== Error.Ok) {
      this.closeReason = client.failureReason;
      return Error.Failed;
    }
    this.client = client;
    this.requestedUrl = url;
    this.enterConnecting();
    return Error.Ok;
  }

  /** Takes a connected StreamPeerTcp (or a StreamPeerTls over one) from a TcpServer and serves it. */
  AcceptStream(stream: StreamPeer | null): Error {
    if (stream === null || stream === undefined) return this.refuseArgument('AcceptStream: the stream is null');
    if (!(stream instanceof StreamPeer)) throw new TypeError(`AcceptStream: expected a StreamPeer, got ${describe(stream)}`);
    if (this.isBusy()) return Error.AlreadyInUse;
    this.reset();
    const tcp = tcpUnder(stream);
    if (!tcp) {
      this.closeReason = 'AcceptStream: the stream is neither a StreamPeerTcp nor a StreamPeerTls over one';
      return Error.InvalidParameter;
    }
    tcp.SetNoDelay(true);
    this.serverStream = stream;
    this.server = new ServerHandshake(stream);
    this.enterConnecting();
    return Error.Ok;
  }

  /**
   * Extension: serves a WebSocket upgrade that a node:http or node:https server received (its
   * 'upgrade' event: `server.on('upgrade', (request, socket, head) => peer.AcceptHttpUpgrade(request, socket, head))`),
   * so HTTP and WebSocket share one port. From here on exactly as AcceptStream: the codec judges
   * the request Node read and answers 101 or the same HTTP error. AlreadyInUse leaves the socket to the caller.
   */
  AcceptHttpUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Error {
    const wrong = checkUpgradeArguments(request, socket, head);
    if (wrong) throw new TypeError(`AcceptHttpUpgrade: ${wrong}`);
    if (this.isBusy()) return Error.AlreadyInUse;
    if ((socket as Socket).destroyed) return this.refuseArgument('AcceptHttpUpgrade: the socket is already closed');
    return this.AcceptStream(streamFromUpgrade(request, socket as Socket, head));
  }

  // ---------------------------------------------------------------- polling

  /** Advances the connection: handshake, reading, writing, heartbeat and closing. */
  Poll(): void {
    if (this.state === WebSocketPeer.State.Connecting) this.pollHandshake();
    if (this.state === WebSocketPeer.State.Open || this.state === WebSocketPeer.State.Closing) this.pollConnection();
    if (activityWatched()) this.requestTimedPoll();
  }

  /** For PollLoop: when this peer's next timer (handshake timeout, heartbeat, pong timeout) is due. */
  private requestTimedPoll(): void {
    if (this.state === WebSocketPeer.State.Connecting) {
      const handshake = this.client ?? this.server;
      if (handshake && this.handshakeTimeoutMs > 0) activityAt(handshake.startedAt + this.handshakeTimeoutMs);
    } else if (this.state === WebSocketPeer.State.Open && this.heartbeatIntervalMs > 0) {
      activityAt(this.lastPingTime + this.heartbeatIntervalMs);
      if (this.awaitingPong && this.pongTimeoutMs > 0) activityAt(this.lastPingTime + this.pongTimeoutMs);
    }
  }

  private pollHandshake(): void {
    const handshake = this.client ?? this.server;
    if (handshake && this.handshakeTimeoutMs > 0 && performance.now() - handshake.startedAt > this.handshakeTimeoutMs) {
      const stage = handshake.stage;
      this.failHandshake(`handshake timed out after ${this.HandshakeTimeout} s, ${stage}`);
      return;
    }
    if (this.client) {
      const progress = this.client.poll();
      if (progress.status === 'pending') return;
      if (progress.status === 'failed') return this.failHandshake(progress.reason, { protocol: progress.protocol });
      this.client = null;
      this.open(progress.stream, progress.tcp, progress.pipe, progress.protocol, progress.rest, 'client');
    } else if (this.server) {
      const progress = this.server.poll(this.supportedProtocols, this.handshakeHeaders);
      if (progress.status === 'pending') return;
      if (progress.status === 'failed') return this.failHandshake(progress.reason, { requestedUrl: progress.requestedUrl });
      const stream = this.serverStream!;
      this.server = null;
      this.requestedUrl = progress.requestedUrl;
      this.open(stream, tcpUnder(stream), progress.pipe, progress.protocol, progress.rest, 'server');
    }
  }

  private open(stream: StreamPeer, tcp: StreamPeerTcp | null, pipe: SocketPipe, protocol: string, rest: Buffer[], role: 'client' | 'server'): void {
    // The inbound limits are read here only, as Godot does; the outbound ones also on every change.
    const limits: InboundLimits = {
      maxMessageSize: this.messageSizeLimit(),
      queueBytes: this.inboundBufferSize,
      queuePackets: this.maxQueuedPackets,
    };
    const codec = new CodecSession({ role, maxMessageSize: limits.maxMessageSize, ...this.outboundLimits() });
    this.connection = new PeerConnection(codec, pipe, this.packets, rest, limits, stream, tcp);
    this.selectedProtocol = protocol;
    this.state = WebSocketPeer.State.Open;
    this.awaitingPong = false;
  }

  private pollConnection(): void {
    const connection = this.connection!;
    const { codec, pipe } = connection;
    if (this.state === WebSocketPeer.State.Open && !this.checkHeartbeat(connection)) return;

    // With nothing received and nothing framed, a poll makes no native call.
    connection.pump();
    if (connection.pongReceived) {
      connection.pongReceived = false;
      if (this.awaitingPong) {
        this.awaitingPong = false;
        this.roundTripTime = performance.now() - this.lastPingTime;
      }
    }

    const codecState = codec.flags;
    if ((codecState & SessionFlag.Failed) !== 0) {
      // We failed the connection (1002/1007/1009): our close frame is written; stop here.
      const code = codec.closeStatus().failureCloseCode;
      this.closeCode = code;
      this.closeReason = native.closeCodeReason(code);
      this.finish(false);
      return;
    }
    if ((codecState & SessionFlag.CloseReceived) !== 0) {
      // The peer's close arrived; our echo (or our own close) is written: clean close.
      const { receivedCloseCode: code, receivedCloseReason } = codec.closeStatus();
      // Godot reports a close frame without a status code as 0 (RFC 6455 calls it 1005).
      this.closeCode = code === CloseCode.NoStatus ? 0 : code;
      this.closeReason = closeReasonText(receivedCloseReason);
      this.state = WebSocketPeer.State.Closing;
      if ((codecState & SessionFlag.CloseSent) !== 0) this.finish(false);
      return;
    }
    if (pipe.failed || pipe.ended) this.finish(true);
  }

  /** Godot's heartbeat: a ping every interval; a ping unanswered when the next is due drops the peer. */
  private checkHeartbeat(connection: PeerConnection): boolean {
    if (this.heartbeatIntervalMs <= 0) return true;
    const now = performance.now();
    if (this.awaitingPong && this.pongTimeoutMs > 0 && now - this.lastPingTime > this.pongTimeoutMs) {
      this.Close(-1);
      return false;
    }
    if (now - this.lastPingTime <= this.heartbeatIntervalMs) return true;
    if (this.awaitingPong) {
      this.Close(-1);
      return false;
    }
    if (connection.send(Opcode.Ping, EMPTY) === CodecStatus.Ok) {
      this.awaitingPong = true;
      this.lastPingTime = now;
    }
    return true;
  }

  // ---------------------------------------------------------------- sending

  /** Sends one message as a single frame: Binary by default, or Text (which must be UTF-8). */
  Send(message: Uint8Array, writeMode: WebSocketPeer.WriteMode = WebSocketPeer.WriteMode.Binary): Error {
    checkBytes('Send', message);
    if (writeMode !== WebSocketPeer.WriteMode.Text && writeMode !== WebSocketPeer.WriteMode.Binary) {
      throw new TypeError(`Send: writeMode must be WebSocketPeer.WriteMode.Text or Binary, got ${String(writeMode)}`);
    }
    return this.queue(writeMode === WebSocketPeer.WriteMode.Text ? Opcode.Text : Opcode.Binary, message);
  }

  /** Sends a string as one UTF-8 text frame. */
  SendText(message: string): Error {
    checkString('SendText', message);
    return this.queue(Opcode.Text, encoder.encode(message));
  }

  protected sendPacket(buffer: Uint8Array): Error {
    return this.queue(Opcode.Binary, buffer);
  }

  private queue(opcode: Opcode.Text | Opcode.Binary, payload: Uint8Array): Error {
    if (this.state !== WebSocketPeer.State.Open) return Error.Failed;
    const status = this.connection!.send(opcode, payload);
    if (status === CodecStatus.Ok) {
      this.scheduleFlush();
      return Error.Ok;
    }
    if (status === CodecStatus.QueueFull || status === CodecStatus.BufferFull) return Error.OutOfMemory;
    // Text that is not UTF-8: the codec refuses it (RFC 6455 §8.1; Godot would send it).
    if (status === CodecStatus.InvalidUtf8) return Error.InvalidParameter;
    return Error.Failed;
  }

  /**
   * Frames queued by Send() go out in one socket write: at the next Poll(), or at the end of
   * this event-loop turn if no Poll() comes first (a send never waits for a poll that may not come),
   * or at once when the limits would refuse a send (Connection.send).
   */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.connection?.write();
    });
  }

  // ---------------------------------------------------------------- receiving

  GetAvailablePacketCount(): number {
    return this.packets.length;
  }

  protected takePacket(): PacketResult {
    const packet = this.packets.shift();
    if (!packet) {
      return { error: this.state === WebSocketPeer.State.Open ? Error.Unavailable : Error.Failed, packet: EMPTY };
    }
    // Received bytes waiting for room in the queue can move now: a PollLoop must poll again.
    if (this.connection?.inputWaiting) activity();
    this.wasString = this.packets.shiftedIsText;
    return { error: Error.Ok, packet };
  }

  /** Whether the last packet returned by GetPacket() arrived as text. */
  WasStringPacket(): boolean {
    return this.wasString;
  }

  // ---------------------------------------------------------------- closing

  /**
   * Starts the closing handshake (code >= 0) or drops the connection at once (code < 0). After a
   * clean start, keep calling Poll() until GetReadyState() is Closed.
   */
  Close(code = 1000, reason = ''): void {
    checkInteger('Close', code);
    checkString('Close', reason);
    if (code < 0 || this.state === WebSocketPeer.State.Connecting) {
      this.abortConnection();
      return;
    }
    if (this.state !== WebSocketPeer.State.Open) return;
    // The codec applies RFC 6455's rules: codes that may not go on the wire send a close without
    // a code, a reason over 123 bytes is cut at a character boundary. It refuses only when a close
    // is already queued (the peer's arrived): still Closing.
    void this.connection!.close(code, encoder.encode(reason));
    this.state = WebSocketPeer.State.Closing;
  }

  GetReadyState(): WebSocketPeer.State {
    return this.state;
  }

  /** The peer's close code once Closed: -1 if none arrived (unclean), 0 for a close without a code. */
  GetCloseCode(): number {
    return this.closeCode;
  }

  GetCloseReason(): string {
    return this.closeReason;
  }

  // ---------------------------------------------------------------- connection facts

  GetConnectedHost(): string {
    const tcp = this.currentTcp();
    if (!tcp) {
      warn(WarningCode.NoConnection, 'GetConnectedHost: the peer has no connection.');
      return '';
    }
    return tcp.GetConnectedHost();
  }

  GetConnectedPort(): number {
    const tcp = this.currentTcp();
    if (!tcp) {
      warn(WarningCode.NoConnection, 'GetConnectedPort: the peer has no connection.');
      return 0;
    }
    return tcp.GetConnectedPort();
  }

  GetRequestedUrl(): string {
    return this.requestedUrl;
  }

  GetSelectedProtocol(): string {
    return this.selectedProtocol;
  }

  /** Payload bytes queued and not yet taken by the operating system (0 unless Open). */
  GetCurrentOutboundBufferedAmount(): number {
    if (this.state !== WebSocketPeer.State.Open) return 0;
    return this.connection!.bufferedAmount();
  }

  SetNoDelay(enabled: boolean): void {
    checkBoolean('SetNoDelay', enabled);
    const tcp = this.currentTcp();
    if (!tcp) {
      warn(WarningCode.NoConnection, 'SetNoDelay: the peer has no connection.');
      return;
    }
    tcp.SetNoDelay(enabled);
  }

  /** Extension: the last heartbeat round trip in milliseconds, -1 before the first pong. */
  GetRoundTripTime(): number {
    return this.roundTripTime;
  }

  protected override dispose(): void {
    this.abortConnection();
  }

  // ---------------------------------------------------------------- internals

  private isBusy(): boolean {
    return this.state === WebSocketPeer.State.Connecting || this.state === WebSocketPeer.State.Open;
  }

  private enterConnecting(): void {
    this.state = WebSocketPeer.State.Connecting;
    activity(); // a PollLoop polls the new handshake (bytes may already be waiting)
  }

  private currentTcp(): StreamPeerTcp | null {
    if (this.connection) return this.connection.tcp;
    if (this.client) return this.client.currentTcp;
    if (this.serverStream) return tcpUnder(this.serverStream);
    return null;
  }

  /** A fresh start for ConnectToUrl/AcceptStream: drops any old connection and forgets its facts. */
  private reset(): void {
    this.abortConnection();
    this.packets.clear();
    this.wasString = false;
    this.closeCode = -1;
    this.closeReason = '';
    this.requestedUrl = '';
    this.selectedProtocol = '';
    this.roundTripTime = -1;
  }

  /** Godot keeps what it parsed of a refused handshake: the requested URL (server), the chosen protocol (client). */
  private failHandshake(reason: string, kept: { requestedUrl?: string; protocol?: string } = {}): void {
    this.abortConnection();
    this.closeReason = reason;
    if (kept.requestedUrl) this.requestedUrl = kept.requestedUrl;
    if (kept.protocol) this.selectedProtocol = kept.protocol;
  }

  /**
   * An argument Godot refuses before touching the peer. A Closed peer says why in
   * GetCloseReason() (code -1; packets still unread stay readable); a peer that is connecting,
   * open or closing is left alone, as in Godot.
   */
  private refuseArgument(reason: string): Error {
    if (this.state === WebSocketPeer.State.Closed) {
      this.closeCode = -1;
      this.closeReason = reason;
    }
    return Error.InvalidParameter;
  }

  /** Drops everything at once: no close frame. Received packets stay readable. */
  private abortConnection(): void {
    this.client?.abort();
    this.client = null;
    this.server = null;
    if (this.connection) this.closeStream(this.connection.stream, true);
    else if (this.serverStream) this.closeStream(this.serverStream, true);
    this.connection = null;
    this.serverStream = null;
    this.awaitingPong = false;
    this.state = WebSocketPeer.State.Closed;
  }

  /** Ends the connection after a close handshake (FIN after our last bytes) or abruptly. */
  private finish(abrupt: boolean): void {
    const connection = this.connection!;
    this.connection = null;
    this.serverStream = null;
    this.closeStream(connection.stream, abrupt);
    this.state = WebSocketPeer.State.Closed;
  }

  private closeStream(stream: StreamPeer, abrupt: boolean): void {
    if (stream instanceof StreamPeerTcp) {
      if (abrupt) stream.DisconnectFromHost();
      else stream.pipe?.end();
    } else if (stream instanceof StreamPeerTls) {
      stream.DisconnectFromStream();
    }
  }

  /**
   * The codec's largest inbound message. 0 would mean "no limit" to the codec, but a non-positive
   * InboundBufferSize lets Godot read nothing at all: keep it a limit.
   */
  private messageSizeLimit(): number {
    return Math.max(1, this.inboundBufferSize);
  }

  private outboundLimits() {
    return {
      maxOutboundMessages: this.maxQueuedPackets < 0 ? -1 : this.maxQueuedPackets,
      maxOutboundBytes: this.outboundBufferSize > 0 ? this.outboundBufferSize : 0,
    };
  }

  /** Godot reads the outbound limits on every send; the inbound ones stay as they were at open. */
  private applyOutboundLimits(): void {
    if (!this.connection) return;
    const { maxOutboundMessages, maxOutboundBytes } = this.outboundLimits();
    this.connection.setOutboundLimits(maxOutboundMessages, maxOutboundBytes);
  }
}

export namespace WebSocketPeer {
  export enum State {
    Connecting = 0,
    Open = 1,
    Closing = 2,
    Closed = 3,
  }
  export enum WriteMode {
    Text = 0,
    Binary = 1,
  }
}

/** The TCP stream a peer can serve: a StreamPeerTcp, or a StreamPeerTls over one; null otherwise. */
function tcpUnder(stream: StreamPeer): StreamPeerTcp | null {
  if (stream instanceof StreamPeerTcp) return stream;
  if (stream instanceof StreamPeerTls) {
    const inner = stream.GetStream();
    return inner instanceof StreamPeerTcp ? inner : null;
  }
  return null;
}

/**
 * The peer's close reason as text. Godot 3 peers end every reason with a NUL (they send the C
 * string's terminator); Godot 4 reads a reason only up to its first NUL, so it reports "bye" for
 * "bye\0". We drop trailing NULs the same way but keep text after an inner NUL, which Godot 4 loses.
 */
function closeReasonText(reason: string): string {
  let end = reason.length;
  while (end > 0 && reason.charCodeAt(end - 1) === 0) end--;
  return reason.slice(0, end);
}

function checkStrings(name: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new TypeError(`${name}: expected an array of strings, got ${describe(value)}`);
  }
  return value as string[];
}

registerGodotClass(WebSocketPeer, {
  name: 'WebSocketPeer',
  methods: {
    connect_to_url: 'ConnectToUrl',
    accept_stream: 'AcceptStream',
    accept_http_upgrade: 'AcceptHttpUpgrade',
    send: 'Send',
    send_text: 'SendText',
    was_string_packet: 'WasStringPacket',
    poll: 'Poll',
    close: 'Close',
    get_connected_host: 'GetConnectedHost',
    get_connected_port: 'GetConnectedPort',
    get_selected_protocol: 'GetSelectedProtocol',
    get_requested_url: 'GetRequestedUrl',
    set_no_delay: 'SetNoDelay',
    get_current_outbound_buffered_amount: 'GetCurrentOutboundBufferedAmount',
    get_ready_state: 'GetReadyState',
    get_close_code: 'GetCloseCode',
    get_close_reason: 'GetCloseReason',
    get_supported_protocols: 'get:SupportedProtocols',
    set_supported_protocols: 'set:SupportedProtocols',
    get_handshake_headers: 'get:HandshakeHeaders',
    set_handshake_headers: 'set:HandshakeHeaders',
    get_inbound_buffer_size: 'get:InboundBufferSize',
    set_inbound_buffer_size: 'set:InboundBufferSize',
    get_outbound_buffer_size: 'get:OutboundBufferSize',
    set_outbound_buffer_size: 'set:OutboundBufferSize',
    get_max_queued_packets: 'get:MaxQueuedPackets',
    set_max_queued_packets: 'set:MaxQueuedPackets',
    get_heartbeat_interval: 'get:HeartbeatInterval',
    set_heartbeat_interval: 'set:HeartbeatInterval',
  },
  properties: {
    supported_protocols: 'SupportedProtocols',
    handshake_headers: 'HandshakeHeaders',
    inbound_buffer_size: 'InboundBufferSize',
    outbound_buffer_size: 'OutboundBufferSize',
    max_queued_packets: 'MaxQueuedPackets',
    heartbeat_interval: 'HeartbeatInterval',
  },
});
