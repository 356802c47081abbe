/**
 * TLS: TlsOptions, X509Certificate, CryptoKey and StreamPeerTls over Node's tls and crypto.
 * Importing this module also lets WebSocketPeer speak wss://.
 */
import './websocket-seam.js';

export { CryptoKey } from './crypto-key.js';
export { StreamPeerTls } from './stream-peer-tls.js';
export { TlsOptions } from './tls-options.js';
export { X509Certificate } from './x509-certificate.js';
