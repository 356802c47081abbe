/**
 * StreamPeerTcp: a TCP connection with Godot's poll-driven status (None, Connecting, Connected,
 * Error). Connection progress and disconnects become visible only in Poll(); received bytes are
 * readable as soon as Node has them, as in Godot where reads go straight to the socket.
 */
import { isIP, Socket } from 'node:net';
import { Error } from '../core/error.js';
import { registerGodotClass } from '../core/godot-object.js';
import { checkBoolean, checkInteger, checkString } from '../core/arguments.js';
import { SocketPipe } from './socket-pipe.js';
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

  /** Extension: how long Poll() waits for a connect before Error (Godot: project setting, 30 s). */
  ConnectTimeout = DEFAULT_CONNECT_TIMEOUT_MS / 1000;

  /** @internal Wraps a socket accepted by TcpServer: starts Connected. */
  static fromAccepted(socket: Socket): StreamPeerTcp {
    const peer = new StreamPeerTcp();
    peer.attach(socket);
    peer.connected = true;
    peer.status = StreamPeerTcp.Status.Connected;
    peer.host = stripMappedV4(socket.remoteAddress ?? '');
    peer.port = socket.remotePort ?? 0;
    socket.setNoDelay(true);
    return peer;
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
    this.host = address;
    this.port = port;
    this.connectDeadline = Date.now() + Math.max(0, this.ConnectTimeout) * 1000;
    socket.once('connect', () => {
      this.connected = true;
      socket.setNoDelay(true);
    });
    socket.connect({ host: address, port });
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
      if (pipe.failed || this.connectFailed || Date.now() > this.connectDeadline) {
        this.release();
        this.status = StreamPeerTcp.Status.Error;
        return Error.ConnectionError;
      }
      return Error.Ok;
    }
    if (this.status === StreamPeerTcp.Status.Connected && pipe.bufferedBytes === 0) {
      if (pipe.failed) {
        this.release();
        this.status = StreamPeerTcp.Status.Error;
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

  protected onReadEnd(error: Error): void {
    if (error === Error.FileEof) this.DisconnectFromHost();
    else {
      this.release();
      this.status = StreamPeerTcp.Status.Error;
    }
  }

  protected override dispose(): void {
    this.DisconnectFromHost();
  }

  private attach(socket: Socket): void {
    this.socketPipe = new SocketPipe(socket);
  }

  private release(): void {
    this.socketPipe?.destroy();
    this.socketPipe = null;
    this.connected = false;
  }
}

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
