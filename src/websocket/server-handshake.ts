/**
 * The server side of accepting: wait for TLS (wss), read the upgrade request, validate it (rules
 * in the codec) and answer 101, or answer 400/414/426/431 and drop the connection — at once for
 * bytes that cannot start a GET (a TLS ClientHello sent to a ws:// server). Driven by
 * WebSocketPeer.Poll().
 * @internal
 */
import { performance } from 'node:perf_hooks';
import { HandshakeResult, native } from '../native/addon.js';
import type { SocketPipe } from '../net/socket-pipe.js';
import type { StreamPeer } from '../core/stream-peer.js';
import { StreamPeerTls } from '../tls/stream-peer-tls.js';
import { pollTls } from './tls-progress.js';
import { HeadReader } from './head-reader.js';
import { handshakeFailureReason } from './handshake-failure.js';

export type ServerProgress =
  | { status: 'pending' }
  /** requestedUrl: what Godot keeps of a request it refused ("" when the request line was unusable). */
  | { status: 'failed'; reason: string; requestedUrl?: string }
  | { status: 'open'; pipe: SocketPipe; protocol: string; requestedUrl: string; rest: Buffer[] };

/** Shared: a handshake still waiting allocates nothing per poll. */
const PENDING: ServerProgress = Object.freeze({ status: 'pending' });

export class ServerHandshake {
  private readonly head = new HeadReader(true);
  /** For the handshake timeout; kept here, so that an open peer holds no start time. */
  readonly startedAt = performance.now();
  private readonly isTls: boolean;
  private tlsReady: boolean;

  constructor(private readonly stream: StreamPeer) {
    this.isTls = stream instanceof StreamPeerTls;
    this.tlsReady = !this.isTls;
  }

  /** Where the handshake stands, in words (for a timeout's reason). */
  get stage(): string {
    if (!this.tlsReady) return 'in the TLS handshake';
    return this.head.received.length === 0 ? "waiting for the client's request" : "reading the client's request";
  }

  /**
   * Supported protocols and response headers are read when the request arrives (as in Godot).
   * The codec only reads the lists, so they are passed as they are (no copies per handshake).
   */
  poll(supportedProtocols: readonly string[], responseHeaders: readonly string[]): ServerProgress {
    if (!this.tlsReady) {
      const tls = pollTls(this.stream as StreamPeerTls);
      if (tls.progress === 'pending') return PENDING;
      if (tls.progress === 'failed') return { status: 'failed', reason: tls.reason };
      this.tlsReady = true;
    }
    const pipe = this.stream.pipe;
    if (!pipe) return { status: 'failed', reason: 'connection lost' };
    const head = this.head.add(pipe.takeChunks());
    if (head.status === 'refused') return this.refuse(pipe, head.result, head.received, '');
    if (head.status === 'incomplete') {
      if (pipe.failed || pipe.ended) return { status: 'failed', reason: 'the client closed the connection during the handshake' };
      return PENDING;
    }
    const [result, target, host, key, protocol, , , path] = native.parseClientRequest(head.head, supportedProtocols as string[]);
    // Godot's requested URL: the transport's scheme, the Host header and the path (of an absolute-form target too).
    // join() makes one flat string; a template literal would keep a chain of string pieces per peer.
    const requestedUrl = target === '' ? '' : [this.isTls ? 'wss://' : 'ws://', host, path].join('');
    if (result !== HandshakeResult.Ok) return this.refuse(pipe, result, head.head, requestedUrl);
    pipe.write(Buffer.from(native.buildServerResponse(key, protocol, responseHeaders as string[]), 'utf8'));
    return { status: 'open', pipe, protocol, requestedUrl, rest: head.rest };
  }

  /** Godot drops a bad request silently; RFC 6455 §4.2.2 wants an HTTP error, so we send one. */
  private refuse(pipe: SocketPipe, result: number, received: Uint8Array, requestedUrl: string): ServerProgress {
    pipe.write(Buffer.from(native.buildErrorResponse(result), 'utf8'));
    pipe.end();
    return { status: 'failed', reason: handshakeFailureReason(result, received), requestedUrl };
  }
}
