/**
 * The client side of connecting: resolve the host, try each address in turn over TCP, start TLS
 * for wss://, send the upgrade request and check the 101 response (rules in the codec). Driven
 * by WebSocketPeer.Poll(); each step only looks at what has already happened.
 * @internal
 */
import { performance } from 'node:perf_hooks';
import { randomFillSync } from 'node:crypto';
import { lookup } from 'node:dns';
import { isIP } from 'node:net';
import { Error } from '../core/error.js';
import { activity } from '../core/activity.js';
import { HandshakeResult, native } from '../native/addon.js';
import type { SocketPipe } from '../net/socket-pipe.js';
import type { StreamPeer } from '../core/stream-peer.js';
import { StreamPeerTcp } from '../net/stream-peer-tcp.js';
import { StreamPeerTls } from '../tls/stream-peer-tls.js';
import type { TlsOptions } from '../tls/tls-options.js';
import { pollTls } from './tls-progress.js';
import { HeadReader } from './head-reader.js';
import { handshakeFailureReason, quoteStartLine } from './handshake-failure.js';

export interface ParsedUrl {
  tls: boolean;
  host: string;
  port: number;
  path: string;
}

export interface ClientRequestOptions {
  url: ParsedUrl;
  protocols: readonly string[];
  headers: readonly string[];
  tlsOptions: TlsOptions | null;
}

export type ClientProgress =
  | { status: 'pending' }
  /** protocol: the server's choice when it was refused for not being one offered (Godot keeps it). */
  | { status: 'failed'; reason: string; protocol?: string }
  | { status: 'open'; stream: StreamPeer; tcp: StreamPeerTcp; pipe: SocketPipe; protocol: string; rest: Buffer[] };

type Step = 'resolving' | 'connecting' | 'tls' | 'upgrading';

/** Parses a ws:// or wss:// URL with Godot's rules; the codec's result when it is not one. */
export function parseUrl(url: string): ParsedUrl | { result: HandshakeResult } {
  const [result, tls, host, port, path] = native.parseUrl(url);
  return result === HandshakeResult.Ok ? { tls, host, port, path } : { result };
}

export class ClientHandshake {
  private step: Step = 'resolving';
  private addresses: string[] | null = null;
  private resolveError = '';
  private tcp: StreamPeerTcp | null = null;
  private stream: StreamPeer | null = null;
  private readonly key: string;
  private readonly head = new HeadReader(false);
  /** For the handshake timeout; kept here, so that an open peer holds no start time. */
  readonly startedAt = performance.now();
  private requestSent = false;
  /** Why each address tried so far failed (StreamPeerTcp.GetErrorReason()). */
  private readonly connectFailures: string[] = [];

  constructor(private readonly options: ClientRequestOptions) {
    this.key = native.makeKey(randomFillSync(new Uint8Array(16)));
    const host = options.url.host;
    if (isIP(host)) {
      this.addresses = [host];
    } else {
      // Every address of the name is tried in turn ("localhost" may be ::1 then 127.0.0.1).
      lookup(host, { all: true, verbatim: true }, (error, found) => {
        this.addresses = error ? [] : found.map((a) => a.address);
        if (error) this.resolveError = `cannot resolve ${host}: ${error.code ?? error.message}`;
        activity();
      });
    }
  }

  /** Starts the first TCP attempt at once when the host is an IP address; Failed if none can start. */
  start(): Error {
    if (this.addresses === null) return Error.Ok;
    return this.nextAddress() ? Error.Ok : Error.Failed;
  }

  /** Where the handshake stands, in words (for a timeout's reason). */
  get stage(): string {
    switch (this.step) {
      case 'resolving':
        return `resolving ${this.options.url.host}`;
      case 'connecting':
        return `connecting to ${this.options.url.host}:${this.options.url.port}`;
      case 'tls':
        return 'in the TLS handshake';
      case 'upgrading':
        return this.head.received.length === 0 ? "waiting for the server's answer" : "reading the server's answer";
    }
  }

  /** Why no address could be tried or connected ("" while none failed). */
  get failureReason(): string {
    return this.connectFailures.join('; ');
  }

  /** The TCP stream being tried or used (remote address for GetConnectedHost/Port). */
  get currentTcp(): StreamPeerTcp | null {
    return this.tcp;
  }

  poll(): ClientProgress {
    switch (this.step) {
      case 'resolving':
        if (this.addresses === null) return { status: 'pending' };
        if (!this.nextAddress()) return this.fail(this.resolveError || this.failureReason || `no address of ${this.options.url.host} could be connected`);
        return this.poll();
      case 'connecting':
        return this.pollTcp();
      case 'tls':
        return this.pollTls();
      case 'upgrading':
        return this.pollUpgrade();
    }
  }

  /** Drops whatever connection is in progress. */
  abort(): void {
    if (this.stream instanceof StreamPeerTls) this.stream.DisconnectFromStream();
    this.tcp?.DisconnectFromHost();
    this.tcp = null;
    this.stream = null;
  }

  private nextAddress(): boolean {
    this.tcp?.DisconnectFromHost();
    this.tcp = null;
    while (this.addresses && this.addresses.length > 0) {
      const address = this.addresses.shift()!;
      const tcp = new StreamPeerTcp();
      const error = tcp.ConnectToHost(address, this.options.url.port);
      if (error === Error.Ok) {
        this.tcp = tcp;
        this.step = 'connecting';
        return true;
      }
      this.connectFailures.push(`could not connect to ${address}: ${Error[error]}`);
    }
    return false;
  }

  private pollTcp(): ClientProgress {
    const tcp = this.tcp!;
    tcp.Poll();
    const status = tcp.GetStatus();
    if (status === StreamPeerTcp.Status.Connecting) return { status: 'pending' };
    if (status !== StreamPeerTcp.Status.Connected) {
      this.connectFailures.push(tcp.GetErrorReason() || `could not connect to ${this.options.url.host}:${this.options.url.port}`);
      if (this.nextAddress()) return { status: 'pending' };
      return this.fail(this.connectFailures.join('; '));
    }
    if (!this.options.url.tls) {
      this.stream = tcp;
      this.step = 'upgrading';
      return this.pollUpgrade();
    }
    const tls = new StreamPeerTls();
    if (tls.ConnectToStream(tcp, this.options.url.host, this.options.tlsOptions) !== Error.Ok) return this.fail('the TLS session could not start');
    this.stream = tls;
    this.step = 'tls';
    return this.pollTls();
  }

  private pollTls(): ClientProgress {
    const tls = pollTls(this.stream as StreamPeerTls);
    if (tls.progress === 'pending') return { status: 'pending' };
    if (tls.progress === 'failed') return this.fail(tls.reason);
    this.step = 'upgrading';
    return this.pollUpgrade();
  }

  private pollUpgrade(): ClientProgress {
    const pipe = this.stream!.pipe;
    if (!pipe) return this.fail('connection lost');
    if (!this.requestSent) {
      const { url, protocols, headers } = this.options;
      const request = native.buildClientRequest(url.tls, url.host, url.port, url.path, this.key, [...protocols], [...headers]);
      pipe.write(Buffer.from(request, 'utf8'));
      this.requestSent = true;
    }
    const head = this.head.add(pipe.takeChunks());
    if (head.status === 'refused') return this.fail(handshakeFailureReason(head.result, head.received));
    if (head.status === 'incomplete') {
      if (pipe.failed || pipe.ended) return this.fail(this.closedReason(pipe));
      return { status: 'pending' };
    }
    const [result, protocol] = native.parseServerResponse(head.head, this.key, [...this.options.protocols]);
    if (result !== HandshakeResult.Ok) return this.fail(handshakeFailureReason(result, head.head), protocol);
    return { status: 'open', stream: this.stream!, tcp: this.tcp!, pipe, protocol, rest: head.rest };
  }

  /** The connection ended before a whole answer arrived: say how, and what had arrived. */
  private closedReason(pipe: SocketPipe): string {
    const received = this.head.received;
    const failure = pipe.failed && pipe.error?.code ? `the connection failed (${pipe.error.code})` : null;
    if (received.length === 0) return failure ? `${failure} before the server answered the upgrade request` : 'the server closed the connection without answering the upgrade request';
    const sent = quoteStartLine(received);
    return failure ? `${failure} after the server sent ${sent}` : `the server closed the connection after sending ${sent}, not a whole answer`;
  }

  private fail(reason: string, protocol = ''): ClientProgress {
    this.abort();
    return { status: 'failed', reason, protocol };
  }
}
