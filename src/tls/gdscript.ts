/**
 * The GDScript face of the TLS classes: Godot's class names (TLSOptions, StreamPeerTLS), the
 * static constructors under their snake_case names (TLSOptions.client, client_unsafe, server) and
 * the STATUS_ constants. The snake_case instance methods come from the registry, installed by
 * the main GDScript entry point (src/gdscript.ts) like every other class's.
 */
import type { GDStreamPeer } from '../gdscript.js';
import type { StreamPeerTcp } from '../stream-peer-tcp.js';
import { CryptoKey } from './crypto-key.js';
import { StreamPeerTls } from './stream-peer-tls.js';
import { TlsOptions } from './tls-options.js';
import { X509Certificate } from './x509-certificate.js';
import './websocket-seam.js';

export interface GDX509Certificate {
  load(path: string): number;
  load_from_string(string: string): number;
  save(path: string): number;
  save_to_string(): string;
}

export interface GDCryptoKey {
  load(path: string, public_only?: boolean): number;
  load_from_string(string_key: string, public_only?: boolean): number;
  save(path: string, public_only?: boolean): number;
  save_to_string(public_only?: boolean): string;
  is_public_only(): boolean;
}

type GDX509 = X509Certificate & GDX509Certificate;
type GDKey = CryptoKey & GDCryptoKey;

export interface GDTLSOptions {
  is_server(): boolean;
  is_unsafe_client(): boolean;
  get_common_name_override(): string;
  get_trusted_ca_chain(): GDX509 | null;
  get_private_key(): GDKey | null;
  get_own_certificate(): GDX509 | null;
}

type GDOptions = TlsOptions & GDTLSOptions;

export interface GDStreamPeerTLS extends GDStreamPeer {
  accept_stream(stream: StreamPeerTcp, server_options: TlsOptions): number;
  connect_to_stream(stream: StreamPeerTcp, common_name: string, client_options?: TlsOptions | null): number;
  poll(): void;
  get_status(): number;
  get_stream(): StreamPeerTcp | null;
  disconnect_from_stream(): void;
}

const statics = {
  client: (trusted_chain: X509Certificate | null = null, common_name_override = '') => TlsOptions.Client(trusted_chain, common_name_override) as GDOptions,
  client_unsafe: (trusted_chain: X509Certificate | null = null) => TlsOptions.ClientUnsafe(trusted_chain) as GDOptions,
  server: (key: CryptoKey | null, certificate: X509Certificate | null) => TlsOptions.Server(key, certificate) as GDOptions,
};
for (const [name, value] of Object.entries(statics)) {
  Object.defineProperty(TlsOptions, name, { value, writable: true, configurable: true });
}

const statusConstants = {
  STATUS_DISCONNECTED: StreamPeerTls.Status.Disconnected,
  STATUS_HANDSHAKING: StreamPeerTls.Status.Handshaking,
  STATUS_CONNECTED: StreamPeerTls.Status.Connected,
  STATUS_ERROR: StreamPeerTls.Status.Error,
  STATUS_ERROR_HOSTNAME_MISMATCH: StreamPeerTls.Status.ErrorHostnameMismatch,
};
for (const [name, value] of Object.entries(statusConstants)) {
  Object.defineProperty(StreamPeerTls, name, { value, enumerable: true });
}

const GDTLSOptionsClass = TlsOptions as unknown as (new () => GDOptions) & typeof statics;
const GDStreamPeerTLSClass = StreamPeerTls as unknown as (new () => StreamPeerTls & GDStreamPeerTLS) & Readonly<typeof statusConstants>;
const GDX509CertificateClass = X509Certificate as unknown as new () => GDX509;
const GDCryptoKeyClass = CryptoKey as unknown as new () => GDKey;

export {
  GDTLSOptionsClass as TLSOptions,
  GDStreamPeerTLSClass as StreamPeerTLS,
  GDX509CertificateClass as X509Certificate,
  GDCryptoKeyClass as CryptoKey,
};
