/**
 * StreamPeerTls: TLS over a connected StreamPeerTcp, with Godot's poll-driven status
 * (Disconnected, Handshaking, Connected, Error, ErrorHostnameMismatch). Node's TLS does the work
 * in the background; the handshake's outcome and disconnects become visible in Poll(). Data I/O
 * is the inherited StreamPeer API.
 */
import type { TLSSocket } from 'node:tls';
import { Error } from '../core/error.js';
import { registerGodotClass } from '../core/godot-object.js';
import { checkBytes, checkInteger, checkString, describe } from '../core/arguments.js';
import { warn, WarningCode } from '../core/warnings.js';
import type { SocketPipe } from '../net/socket-pipe.js';
import { StreamPeer } from '../core/stream-peer.js';
import { StreamPeerTcp } from '../net/stream-peer-tcp.js';
import { clientContext, serverContext } from './secure-context.js';
import { checkTlsOptions, TlsOptions } from './tls-options.js';
import { TlsSession, type Lockable } from './tls-session.js';

const EMPTY = new Uint8Array(0);

export class StreamPeerTls extends StreamPeer {
  private status: StreamPeerTls.Status = StreamPeerTls.Status.Disconnected;
  private base: StreamPeerTcp | null = null;
  private session: TlsSession | null = null;
  private errorReason = '';

  /**
   * Starts a client handshake over `stream`, checking the server's certificate for `commonName`
   * (or the options' override). Null options mean TlsOptions.Client(). Progress shows in Poll().
   * InvalidParameter for a null stream, a stream that is not a StreamPeerTcp, or server options;
   * AlreadyInUse while a session is active; Failed if the TCP stream is not connected.
   */
  ConnectToStream(stream: StreamPeer | null, commonName: string, clientOptions: TlsOptions | null = null): Error {
    if (stream === null || stream === undefined) return Error.InvalidParameter;
    checkStream('ConnectToStream', stream);
    checkString('ConnectToStream', commonName);
    checkTlsOptions('ConnectToStream', clientOptions);
    const options = clientOptions ?? TlsOptions.Client();
    if (options.IsServer()) return Error.InvalidParameter;
    if (this.isActive()) return Error.AlreadyInUse;
    if (!(stream instanceof StreamPeerTcp)) return Error.InvalidParameter;
    const raw = this.takeSocket(stream);
    if (!raw) return Error.Failed;
    const unsafe = options.IsUnsafeClient();
    const chain = options.GetTrustedCaChain();
    const expectedName = options.GetCommonNameOverride() || commonName;
    this.session = TlsSession.client(
      raw,
      clientContext(options),
      expectedName,
      // ClientUnsafe never checks the name, and checks the chain only when it was given one (as in Godot).
      { verifyChain: !unsafe || chain !== null, hostname: unsafe ? null : expectedName },
      chain ? [chain] : [],
    );
    this.begin(stream);
    return Error.Ok;
  }

  /**
   * Starts a server handshake over `stream` with options from TlsOptions.Server(). InvalidParameter
   * for a null stream, other options, a missing or mismatched key and certificate, or a stream
   * that is not a StreamPeerTcp; AlreadyInUse while a session is active; Failed if the TCP stream
   * is not connected.
   */
  AcceptStream(stream: StreamPeer | null, serverOptions: TlsOptions | null): Error {
    if (stream === null || stream === undefined) return Error.InvalidParameter;
    checkStream('AcceptStream', stream);
    checkTlsOptions('AcceptStream', serverOptions);
    if (!serverOptions || !serverOptions.IsServer()) return Error.InvalidParameter;
    if (this.isActive()) return Error.AlreadyInUse;
    const context = serverContext(serverOptions);
    if (!context.context) {
      this.errorReason = context.reason;
      return context.error;
    }
    if (!(stream instanceof StreamPeerTcp)) return Error.InvalidParameter;
    const raw = this.takeSocket(stream);
    if (!raw) return Error.Failed;
    const held: Lockable[] = [serverOptions.GetPrivateKey()!, serverOptions.GetOwnCertificate()!];
    this.session = TlsSession.server(raw, context.context, held);
    this.begin(stream);
    return Error.Ok;
  }

  /**
   * @internal A Connected server session over a socket whose TLS handshake Node already did: the
   * socket of an https.Server's 'upgrade' event (WebSocketPeer.AcceptHttpUpgrade).
   */
  static fromSecureSocket(socket: TLSSocket): StreamPeerTls {
    const tls = new StreamPeerTls();
    tls.session = TlsSession.established(socket);
    tls.begin(StreamPeerTcp.underTls(socket));
    tls.status = StreamPeerTls.Status.Connected;
    return tls;
  }

  /**
   * Publishes the handshake's outcome (Connected, Error, ErrorHostnameMismatch) and, once
   * connected, the peer's close or a lost connection (Disconnected).
   */
  Poll(): void {
    const session = this.session;
    if (!session) {
      warn(WarningCode.NoConnection, 'StreamPeerTls.Poll: called while not handshaking or connected.');
      return;
    }
    if (this.base && this.base.GetStatus() !== StreamPeerTcp.Status.Connected) {
      // The TCP stream was disconnected under us: no close_notify can go out.
      if (this.status === StreamPeerTls.Status.Handshaking) this.fail(StreamPeerTls.Status.Error, 'the TCP stream was disconnected');
      else this.end(false);
      return;
    }
    if (this.status === StreamPeerTls.Status.Handshaking) {
      const progress = session.progress();
      if (progress === 'pending') return;
      if (progress === 'ready') {
        this.status = StreamPeerTls.Status.Connected;
        return;
      }
      const status = progress.kind === 'hostname-mismatch' ? StreamPeerTls.Status.ErrorHostnameMismatch : StreamPeerTls.Status.Error;
      this.fail(status, progress.reason);
      return;
    }
    const pipe = session.pipe;
    if (pipe.bufferedBytes === 0 && (pipe.ended || pipe.failed)) {
      this.errorReason = pipe.failed ? `the connection failed: ${pipe.error?.message ?? 'closed without close_notify'}` : '';
      this.end(false);
    }
  }

  GetStatus(): StreamPeerTls.Status {
    return this.status;
  }

  /** The TCP stream under the session; null once disconnected (as in Godot). */
  GetStream(): StreamPeerTcp | null {
    return this.base;
  }

  /** Sends close_notify (then FIN) if connected, and forgets the stream. Status Disconnected. */
  DisconnectFromStream(): void {
    if (!this.isActive()) return;
    const tcpConnected = this.base?.GetStatus() === StreamPeerTcp.Status.Connected;
    this.end(this.status === StreamPeerTls.Status.Connected && tcpConnected);
  }

  /** Extension: why the last handshake or connection failed ("" if nothing did). Godot prints this instead. */
  GetErrorReason(): string {
    return this.errorReason;
  }

  // ---------------------------------------------------------------- data I/O: Unconfigured unless Connected

  override PutData(data: Uint8Array): Error {
    checkBytes('PutData', data);
    return this.writeCheck() ?? super.PutData(data);
  }

  override PutPartialData(data: Uint8Array): [Error, number] {
    checkBytes('PutPartialData', data);
    const error = this.writeCheck();
    return error !== null ? [error, 0] : super.PutPartialData(data);
  }

  override GetData(bytes: number): [Error, Uint8Array] {
    checkInteger('GetData', bytes);
    if (this.status !== StreamPeerTls.Status.Connected) return [Error.Unconfigured, EMPTY];
    return asConnectionError(bytes, super.GetData(bytes));
  }

  override GetPartialData(bytes: number): [Error, Uint8Array] {
    checkInteger('GetPartialData', bytes);
    if (this.status !== StreamPeerTls.Status.Connected) return [Error.Unconfigured, EMPTY];
    return asConnectionError(bytes, super.GetPartialData(bytes));
  }

  /** @internal */
  get pipe(): SocketPipe | null {
    return this.session?.pipe ?? null;
  }

  protected get isReady(): boolean {
    return this.status === StreamPeerTls.Status.Connected;
  }

  /** A read met the peer's close (FileEof) or a failure: the session is over. */
  protected onReadEnd(error: Error): void {
    if (error !== Error.FileEof) this.errorReason = `the connection failed: ${this.session?.pipe.error?.message ?? 'closed without close_notify'}`;
    this.end(false);
  }

  protected override dispose(): void {
    this.DisconnectFromStream();
  }

  // ---------------------------------------------------------------- internals

  private isActive(): boolean {
    return this.status === StreamPeerTls.Status.Handshaking || this.status === StreamPeerTls.Status.Connected;
  }

  /** The TCP stream's socket, or null (status Error) when it is not connected. */
  private takeSocket(stream: StreamPeerTcp) {
    const raw = stream.GetStatus() === StreamPeerTcp.Status.Connected ? stream.detachSocket() : null;
    if (!raw) {
      this.status = StreamPeerTls.Status.Error;
      this.errorReason = 'the TCP stream is not connected';
      return null;
    }
    return raw; // detachSocket() left it paused with any early bytes unshifted back
  }

  private begin(stream: StreamPeerTcp): void {
    this.base = stream;
    this.errorReason = '';
    this.status = StreamPeerTls.Status.Handshaking;
  }

  private fail(status: StreamPeerTls.Status, reason: string): void {
    this.session?.close(false);
    this.session = null;
    this.base = null;
    this.status = status;
    this.errorReason = reason;
  }

  private end(graceful: boolean): void {
    this.session?.close(graceful);
    this.session = null;
    this.base = null;
    this.status = StreamPeerTls.Status.Disconnected;
  }

  /** Null when writing may go ahead; Godot's error otherwise (the session ends on a failure). */
  private writeCheck(): Error | null {
    if (this.status !== StreamPeerTls.Status.Connected) return Error.Unconfigured;
    if (this.session?.pipe.failed) {
      this.onReadEnd(Error.Failed);
      return Error.ConnectionError;
    }
    return null;
  }
}

export namespace StreamPeerTls {
  export enum Status {
    Disconnected = 0,
    Handshaking = 1,
    Connected = 2,
    Error = 3,
    ErrorHostnameMismatch = 4,
  }
}

/** A failed read is a connection error for TLS (Godot's ERR_CONNECTION_ERROR), not Failed. */
function asConnectionError(bytes: number, [error, data]: [Error, Uint8Array]): [Error, Uint8Array] {
  return [error === Error.Failed && bytes >= 0 ? Error.ConnectionError : error, data];
}

function checkStream(method: string, stream: unknown): asserts stream is StreamPeer {
  if (!(stream instanceof StreamPeer)) throw new TypeError(`${method}: expected a StreamPeer, got ${describe(stream)}`);
}

registerGodotClass(StreamPeerTls, {
  name: 'StreamPeerTLS',
  methods: {
    accept_stream: 'AcceptStream',
    connect_to_stream: 'ConnectToStream',
    poll: 'Poll',
    get_status: 'GetStatus',
    get_stream: 'GetStream',
    disconnect_from_stream: 'DisconnectFromStream',
  },
});
