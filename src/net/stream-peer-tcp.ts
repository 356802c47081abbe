/**
 * StreamPeerTcp: a TCP connection with Godot's poll-driven status (None, Connecting, Connected,
 * Error). Connection progress and disconnects become visible only in Poll(); received bytes are
 * readable as soon as Node has them, as in Godot where reads go straight to the socket.
 */
import { isIP, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Error } from '../core/error.js';
import { registerGodotClass } from '../core/godot-object.js';
import { checkBoolean, checkInteger, checkString } from '../core/arguments.js';
import { SocketPipe } from './socket-pipe.js';
import { activity, activityAt } from '../core/activity.js';
import { StreamPeer } from '../core/stream-peer.js';

/** Godot's network/limits/tcp/connect_timeout_seconds default. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

export class StreamPeerTcp extends StreamPeer {
  private status: StreamPeerTcp.Status = StreamPeerTcp.Status.None;
  private socketPipe: SocketPipe | null = null;
  /** Set once a TLS layer owns the socket: this peer still answers for its ports and options. */
  private detachedSocket: Socket | null = null;
  private connected = false;
  private connectFailed = false;
  private connectDeadline = 0;
  private host = '';
  private port = 0;
  /** Bind(): the local address and port the next connect uses; null when not bound. */
  private localBind: { address: string | undefined; port: number } | null = null;
  private errorReason = '';

  /** Extension: how long Poll() waits for a connect before Error (Godot: project setting, 30 s). */
  ConnectTimeout = DEFAULT_CONNECT_TIMEOUT_MS / 1000;

  /** @internal Wraps a socket accepted by TcpServer: starts Connected. */
  static fromAccepted(socket: Socket): StreamPeerTcp {
    const peer = new StreamPeerTcp();
    peer.attach(socket);
    peer.connectedTo(socket);
    return peer;
  }

  /**
   * @internal The TCP side of a connection whose TLS session is already up (the socket of an
   * https.Server's 'upgrade' event): Connected, its socket owned by the TLS layer.
   */
  static underTls(socket: Socket): StreamPeerTcp {
    const peer = new StreamPeerTcp();
    peer.detachedSocket = socket;
    peer.connectedTo(socket);
    return peer;
  }

  /**
   * Sets the local port (0: any) and address ("*": any) of the next connection, before
   * ConnectToHost. AlreadyInUse once bound, connecting or connected; InvalidParameter for a port
   * outside 0..65535 or an address that is not an IP. Node binds when it connects: a port that
   * is taken shows up in Poll() (status Error, GetErrorReason() says why), not here.
   */
  Bind(port: number, host = '*'): Error {
    checkInteger('Bind', port);
    checkString('Bind', host);
    if (this.localBind !== null || this.status !== StreamPeerTcp.Status.None) return Error.AlreadyInUse;
    if (port < 0 || port > 65535) return Error.InvalidParameter;
    if (host !== '*' && isIP(host) === 0) return Error.InvalidParameter;
    this.localBind = { address: host === '*' ? undefined : host, port };
    return Error.Ok;
  }

  /**
   * Starts connecting to an IP address (Godot resolves names synchronously; Node cannot, so a
   * name gives CantResolve — resolve it first, or use WebSocketPeer.ConnectToUrl which does).
   */
  ConnectToHost(host: string, port: number): Error {
    checkString('ConnectToHost', host);
    checkInteger('ConnectToHost', port);
    if (this.status !== StreamPeerTcp.Status.None) return Error.AlreadyInUse;
    if (port < 1 || port > 65535) return Error.InvalidParameter;
    const address = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    if (isIP(address) === 0) return Error.CantResolve;
    const socket = new Socket();
    this.attach(socket);
    this.connected = false;
    this.connectFailed = false;
    this.errorReason = '';
    this.host = address;
    this.port = port;
    this.connectDeadline = performance.now() + Math.max(0, this.ConnectTimeout) * 1000;
    socket.once('connect', () => {
      this.connected = true;
      socket.setNoDelay(true);
      activity();
    });
    const local = this.localBind;
    socket.connect(local ? { host: address, port, localAddress: local.address, localPort: local.port } : { host: address, port });
    this.status = StreamPeerTcp.Status.Connecting;
    return Error.Ok;
  }

  /** Advances the connection: publishes connect success/failure, timeouts and disconnects. */
  Poll(): Error {
    const pipe = this.socketPipe;
    if (!pipe) {
      // Under TLS: the TLS layer reads the socket; this peer only notices that it is gone.
      if (this.detachedSocket?.destroyed && this.status === StreamPeerTcp.Status.Connected) this.DisconnectFromHost();
      return Error.Ok;
    }
    if (this.status === StreamPeerTcp.Status.Connecting) {
      if (this.connected) {
        this.status = StreamPeerTcp.Status.Connected;
        return Error.Ok;
      }
      const timedOut = performance.now() > this.connectDeadline;
      if (pipe.failed || this.connectFailed || timedOut) {
        const why = pipe.failed ? describeSocketError(pipe.error) : `timed out after ${this.ConnectTimeout} s`;
        this.fail(`could not connect to ${this.describePeer()}: ${why}`);
        return Error.ConnectionError;
      }
      activityAt(this.connectDeadline); // PollLoop: the connect timeout is a reason to poll
      return Error.Ok;
    }
    if (this.status === StreamPeerTcp.Status.Connected && pipe.bufferedBytes === 0) {
      if (pipe.failed) {
        this.fail(`the connection to ${this.describePeer()} failed: ${describeSocketError(pipe.error)}`);
        return Error.Failed;
      }
      if (pipe.ended) this.DisconnectFromHost();
    }
    return Error.Ok;
  }

  GetStatus(): StreamPeerTcp.Status {
    return this.status;
  }

  GetConnectedHost(): string {
    return this.host;
  }

  GetConnectedPort(): number {
    return this.port;
  }

  GetLocalPort(): number {
    return this.socket()?.localPort ?? 0;
  }

  SetNoDelay(enabled: boolean): void {
    checkBoolean('SetNoDelay', enabled);
    this.socket()?.setNoDelay(enabled);
  }

  DisconnectFromHost(): void {
    this.detachedSocket?.destroy();
    this.detachedSocket = null;
    this.release();
    this.status = StreamPeerTcp.Status.None;
    this.host = '';
    this.port = 0;
    this.localBind = null;
  }

  /**
   * Bytes received and not read yet. -1 when there is no socket (never connected, disconnected,
   * failed), as in Godot; 0 while connecting or merely bound.
   */
  override GetAvailableBytes(): number {
    if (this.status === StreamPeerTcp.Status.Connected) return super.GetAvailableBytes();
    return this.status === StreamPeerTcp.Status.Connecting || this.localBind !== null ? 0 : -1;
  }

  /** Extension: why the last connect or connection failed ("" if none did). Godot prints this instead. */
  GetErrorReason(): string {
    return this.errorReason;
  }

  /** @internal */
  get pipe(): SocketPipe | null {
    return this.socketPipe;
  }

  /** @internal Hands the socket to a TLS layer; this peer forgets it without closing it. */
  detachSocket(): Socket | null {
    const pipe = this.socketPipe;
    if (!pipe) return null;
    this.socketPipe = null;
    this.detachedSocket = pipe.detach();
    return this.detachedSocket;
  }

  /** The socket in use, or the one a TLS layer took over (for ports and TCP options). */
  private socket(): Socket | null {
    return this.socketPipe?.socket ?? this.detachedSocket;
  }

  protected get isReady(): boolean {
    return this.status === StreamPeerTcp.Status.Connected;
  }

  /** A read met the peer's FIN or a socket error: Godot disconnects (status None) in both cases. */
  protected onReadEnd(error: Error): void {
    if (error !== Error.FileEof) this.errorReason = `the connection to ${this.describePeer()} failed: ${describeSocketError(this.socketPipe?.error ?? null)}`;
    this.DisconnectFromHost();
  }

  protected override dispose(): void {
    this.DisconnectFromHost();
  }

  /** Connected over a socket someone else accepted: its remote address, TCP_NODELAY as in Godot. */
  private connectedTo(socket: Socket): void {
    this.connected = true;
    this.status = StreamPeerTcp.Status.Connected;
    this.host = stripMappedV4(socket.remoteAddress ?? '');
    this.port = socket.remotePort ?? 0;
    socket.setNoDelay(true);
  }

  private attach(socket: Socket): void {
    this.socketPipe = new SocketPipe(socket);
  }

  private release(): void {
    this.socketPipe?.destroy();
    this.socketPipe = null;
    this.connected = false;
  }

  /** A failed connect or connection: the socket is closed and forgotten, as Godot's disconnect, but the status is Error. */
  private fail(reason: string): void {
    this.DisconnectFromHost();
    this.status = StreamPeerTcp.Status.Error;
    this.errorReason = reason;
  }

  private describePeer(): string {
    return this.host.includes(':') ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`;
  }
}

/** "connection refused (ECONNREFUSED)": the errno code is what a user searches for. */
function describeSocketError(error: NodeJS.ErrnoException | null): string {
  if (!error) return 'the connection closed';
  const words = SOCKET_ERRORS[error.code ?? ''];
  return words ? `${words} (${error.code})` : error.message;
}

const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the peer',
  EADDRINUSE: 'the local address is already in use',
  EADDRNOTAVAIL: 'the local address is not available',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  EPIPE: 'the connection was closed by the peer',
};

export namespace StreamPeerTcp {
  export enum Status {
    None = 0,
    Connecting = 1,
    Connected = 2,
    Error = 3,
  }
}

/** "::ffff:127.0.0.1" → "127.0.0.1", as Godot reports IPv4 peers on a dual-stack socket. */
export function stripMappedV4(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

registerGodotClass(StreamPeerTcp, {
  name: 'StreamPeerTCP',
  methods: {
    bind: 'Bind',
    connect_to_host: 'ConnectToHost',
    poll: 'Poll',
    get_status: 'GetStatus',
    get_connected_host: 'GetConnectedHost',
    get_connected_port: 'GetConnectedPort',
    get_local_port: 'GetLocalPort',
    set_no_delay: 'SetNoDelay',
    disconnect_from_host: 'DisconnectFromHost',
  },
});
