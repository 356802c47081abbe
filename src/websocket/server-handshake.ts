/**
 * The server side of accepting: wait for TLS (wss), read the upgrade request, validate it (rules
 * in the codec) and answer 101, or answer 400/426 and drop the connection. Driven by
 * WebSocketPeer.Poll().
 * @internal
 */
import { HandshakeResult, native } from '../native/addon.js';
import type { SocketPipe } from '../net/socket-pipe.js';
import type { StreamPeer } from '../core/stream-peer.js';
import { StreamPeerTls } from '../tls/stream-peer-tls.js';
import { pollTls } from './tls-progress.js';
import { HeadReader } from './head-reader.js';
import { handshakeFailureReason } from './handshake-failure.js';

export type ServerProgress =
  | { status: 'pending' }
  | { status: 'failed'; reason: string }
  | { status: 'open'; pipe: SocketPipe; protocol: string; requestedUrl: string; rest: Buffer[] };

export class ServerHandshake {
  private readonly head = new HeadReader();
  private readonly isTls: boolean;
  private tlsReady: boolean;

  constructor(private readonly stream: StreamPeer) {
    this.isTls = stream instanceof StreamPeerTls;
    this.tlsReady = !this.isTls;
  }

  /** Supported protocols and response headers are read when the request arrives (as in Godot). */
  poll(supportedProtocols: readonly string[], responseHeaders: readonly string[]): ServerProgress {
    if (!this.tlsReady) {
      const tls = pollTls(this.stream as StreamPeerTls);
      if (tls.progress === 'pending') return { status: 'pending' };
      if (tls.progress === 'failed') return { status: 'failed', reason: tls.reason };
      this.tlsReady = true;
    }
    const pipe = this.stream.pipe;
    if (!pipe) return { status: 'failed', reason: 'connection lost' };
    const head = this.head.add(pipe.takeChunks());
    if (head.status === 'too-large') return this.refuse(pipe, HandshakeResult.HeaderTooLarge);
    if (head.status === 'incomplete') {
      if (pipe.failed || pipe.ended) return { status: 'failed', reason: 'the client closed the connection during the handshake' };
      return { status: 'pending' };
    }
    const [result, target, host, key, protocol] = native.parseClientRequest(head.head, [...supportedProtocols]);
    if (result !== HandshakeResult.Ok) return this.refuse(pipe, result);
    pipe.write(Buffer.from(native.buildServerResponse(key, protocol, [...responseHeaders]), 'utf8'));
    const requestedUrl = `${this.isTls ? 'wss' : 'ws'}://${host}${target}`;
    return { status: 'open', pipe, protocol, requestedUrl, rest: head.rest };
  }

  /** Godot drops a bad request silently; RFC 6455 §4.2.2 wants an HTTP error, so we send one. */
  private refuse(pipe: SocketPipe, result: number): ServerProgress {
    pipe.write(Buffer.from(native.buildErrorResponse(result), 'utf8'));
    pipe.end();
    return { status: 'failed', reason: handshakeFailureReason(result) };
  }
}
