/**
 * How far a StreamPeerTls under a WebSocket handshake has come, for both handshake sides.
 * @internal
 */
import { StreamPeerTls } from '../tls/stream-peer-tls.js';

export type TlsProgress = { progress: 'pending' | 'ready' } | { progress: 'failed'; reason: string };

/** Advances the TLS handshake once and says where it stands. */
export function pollTls(stream: StreamPeerTls): TlsProgress {
  if (stream.GetStatus() === StreamPeerTls.Status.Handshaking) stream.Poll();
  switch (stream.GetStatus()) {
    case StreamPeerTls.Status.Handshaking:
      return { progress: 'pending' };
    case StreamPeerTls.Status.Connected:
      return { progress: 'ready' };
    default:
      return { progress: 'failed', reason: stream.GetErrorReason() || 'the TLS connection closed' };
  }
}
