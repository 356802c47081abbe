/** TLS: TlsOptions, X509Certificate, CryptoKey and StreamPeerTls over Node's tls and crypto. */

export { CryptoKey } from './crypto-key.js';
export { StreamPeerTls } from './stream-peer-tls.js';
export { TlsOptions } from './tls-options.js';
export { X509Certificate } from './x509-certificate.js';
