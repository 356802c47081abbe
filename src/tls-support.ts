/**
 * The seam between WebSocketPeer and the TLS classes: the TLS module registers itself here when
 * it is loaded, so the WebSocket code needs no TLS import and a build without TLS answers wss://
 * with Error.Unavailable, as Godot does.
 * @internal
 */
import type { Error } from './error.js';
import type { StreamPeer } from './stream-peer.js';
import type { StreamPeerTcp } from './stream-peer-tcp.js';

export type StreamProgress = 'pending' | 'ready' | 'failed';

export interface TlsSupport {
  /** Whether `options` is a TlsOptions made by TlsOptions.Server(). */
  isServerOptions(options: unknown): boolean;
  /** Whether `value` is a TlsOptions at all. */
  isOptions(options: unknown): boolean;
  /** Starts a client TLS session over a connected TCP stream, verifying against `host`. */
  connect(tcp: StreamPeerTcp, host: string, options: unknown): { error: Error; stream: StreamPeer | null };
  /** A StreamPeerTls whose underlying stream is a StreamPeerTcp, for AcceptStream. */
  isTlsStream(stream: unknown): boolean;
  /** Advances a TLS stream's handshake. `reason` explains a failure (certificate, hostname...). */
  poll(stream: StreamPeer): { progress: StreamProgress; reason: string };
  /** The TCP stream under a TLS stream (remote address, no-delay). */
  tcpOf(stream: StreamPeer): StreamPeerTcp | null;
  /** Closes a TLS stream (close_notify when possible). */
  disconnect(stream: StreamPeer): void;
}

let support: TlsSupport | null = null;

export function registerTlsSupport(implementation: TlsSupport): void {
  support = implementation;
}

export function tlsSupport(): TlsSupport | null {
  return support;
}
