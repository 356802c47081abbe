/**
 * Plugs StreamPeerTls into WebSocketPeer (see tls-support.ts): wss:// clients wrap their TCP
 * stream in a client session, and WebSocketPeer.AcceptStream takes a StreamPeerTls accepted
 * over a StreamPeerTcp. Imported for its effect by the TLS entry point.
 * @internal
 */
import { Error } from '../error.js';
import type { StreamPeer } from '../stream-peer.js';
import { StreamPeerTcp } from '../stream-peer-tcp.js';
import { registerTlsSupport } from '../tls-support.js';
import { StreamPeerTls } from './stream-peer-tls.js';
import { TlsOptions } from './tls-options.js';

const { Status } = StreamPeerTls;

registerTlsSupport({
  isServerOptions: (options) => options instanceof TlsOptions && options.IsServer(),
  isOptions: (options) => options instanceof TlsOptions,
  connect(tcp, host, options) {
    const stream = new StreamPeerTls();
    const error = stream.ConnectToStream(tcp, host, (options as TlsOptions | null) ?? null);
    return error === Error.Ok ? { error, stream } : { error, stream: null };
  },
  isTlsStream: (stream) => stream instanceof StreamPeerTls && stream.GetStream() instanceof StreamPeerTcp,
  poll(stream: StreamPeer) {
    const tls = stream as StreamPeerTls;
    if (tls.GetStatus() === Status.Handshaking) tls.Poll();
    switch (tls.GetStatus()) {
      case Status.Handshaking:
        return { progress: 'pending', reason: '' };
      case Status.Connected:
        return { progress: 'ready', reason: '' };
      default:
        return { progress: 'failed', reason: tls.GetErrorReason() || 'the TLS connection closed' };
    }
  },
  tcpOf: (stream) => (stream as StreamPeerTls).GetStream(),
  disconnect: (stream) => (stream as StreamPeerTls).DisconnectFromStream(),
});
