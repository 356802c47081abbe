/**
 * The GDScript face: the same classes and objects as the main entry point, with Godot's
 * snake_case method and property names (connect_to_url, inbound_buffer_size), its constant names
 * (OK, ERR_UNAVAILABLE, WebSocketPeer.STATE_OPEN) and its class names (StreamPeerTCP, TCPServer).
 * Importing this module adds the snake_case names to the shared prototypes, so an object created
 * through either entry point answers to both.
 */
import { Error } from './core/error.js';
import { GD } from './variant/gd.js';
import { registeredGodotClasses } from './core/godot-object.js';
import { PacketPeer } from './core/packet-peer.js';
import { StreamPeer } from './core/stream-peer.js';
import { StreamPeerTcp } from './net/stream-peer-tcp.js';
import { TcpServer } from './net/tcp-server.js';
import { WebSocketPeer } from './websocket/websocket-peer.js';
import { CryptoKey } from './tls/crypto-key.js';
import { StreamPeerTls } from './tls/stream-peer-tls.js';
import { TlsOptions } from './tls/tls-options.js';
import { X509Certificate } from './tls/x509-certificate.js';

installSnakeCaseNames();
installConstants(WebSocketPeer, { STATE_: WebSocketPeer.State, WRITE_MODE_: WebSocketPeer.WriteMode });
installConstants(StreamPeerTcp, { STATUS_: StreamPeerTcp.Status });
// GDScript makes objects with ClassName.new(); abstract classes (PacketPeer, StreamPeer) have none, as in Godot.
installNew([WebSocketPeer, StreamPeerTcp, TcpServer, StreamPeerTls, TlsOptions, X509Certificate, CryptoKey]);

/** C# member name → GDScript constant: Ok → OK, Failed → FAILED, FileEof → ERR_FILE_EOF. */
function gdscriptErrorName(csharp: string): string {
  const snake = screamingSnake(csharp);
  return snake === 'OK' || snake === 'FAILED' ? snake : `ERR_${snake}`;
}

function screamingSnake(pascal: string): string {
  return pascal.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function installSnakeCaseNames(): void {
  for (const [cls, info] of registeredGodotClasses()) {
    const proto = cls.prototype as Record<string, unknown>;
    for (const [godotName, target] of Object.entries(info.methods)) {
      if (Object.prototype.hasOwnProperty.call(proto, godotName)) continue;
      const member = target.slice(4);
      const method = target.startsWith('get:')
        ? function (this: Record<string, unknown>) { return this[member]; }
        : target.startsWith('set:')
          ? function (this: Record<string, unknown>, value: unknown) { this[member] = value; }
          : function (this: Record<string, (...a: unknown[]) => unknown>, ...args: unknown[]) { return this[target]!(...args); };
      Object.defineProperty(proto, godotName, { value: method, writable: true, configurable: true });
    }
    for (const [godotName, target] of Object.entries(info.properties ?? {})) {
      if (Object.prototype.hasOwnProperty.call(proto, godotName)) continue;
      Object.defineProperty(proto, godotName, {
        get(this: Record<string, unknown>) { return this[target]; },
        set(this: Record<string, unknown>, value: unknown) { this[target] = value; },
        configurable: true,
      });
    }
  }
}

function installNew(classes: (new () => object)[]): void {
  for (const cls of classes) {
    Object.defineProperty(cls, 'new', { value: () => new cls(), writable: true, configurable: true });
  }
}

/** Adds enum members as class constants: State.Open → WebSocketPeer.STATE_OPEN. */
function installConstants(cls: object, enums: Record<string, object>): void {
  for (const [prefix, values] of Object.entries(enums)) {
    for (const [name, value] of Object.entries(values)) {
      if (typeof value !== 'number') continue;
      Object.defineProperty(cls, prefix + screamingSnake(name), { value, enumerable: true });
    }
  }
}

const errorConstants = Object.fromEntries(
  Object.entries(Error).filter(([, v]) => typeof v === 'number').map(([k, v]) => [gdscriptErrorName(k), v]),
) as Record<string, number>;

export const {
  OK, FAILED, ERR_UNAVAILABLE, ERR_UNCONFIGURED, ERR_UNAUTHORIZED, ERR_PARAMETER_RANGE_ERROR,
  ERR_OUT_OF_MEMORY, ERR_FILE_NOT_FOUND, ERR_FILE_BAD_DRIVE, ERR_FILE_BAD_PATH, ERR_FILE_NO_PERMISSION,
  ERR_FILE_ALREADY_IN_USE, ERR_FILE_CANT_OPEN, ERR_FILE_CANT_WRITE, ERR_FILE_CANT_READ, ERR_FILE_UNRECOGNIZED,
  ERR_FILE_CORRUPT, ERR_FILE_MISSING_DEPENDENCIES, ERR_FILE_EOF, ERR_CANT_OPEN, ERR_CANT_CREATE,
  ERR_QUERY_FAILED, ERR_ALREADY_IN_USE, ERR_LOCKED, ERR_TIMEOUT, ERR_CANT_CONNECT, ERR_CANT_RESOLVE,
  ERR_CONNECTION_ERROR, ERR_CANT_ACQUIRE_RESOURCE, ERR_CANT_FORK, ERR_INVALID_DATA, ERR_INVALID_PARAMETER,
  ERR_ALREADY_EXISTS, ERR_DOES_NOT_EXIST, ERR_DATABASE_CANT_READ, ERR_DATABASE_CANT_WRITE,
  ERR_COMPILATION_FAILED, ERR_METHOD_NOT_FOUND, ERR_LINK_FAILED, ERR_SCRIPT_FAILED, ERR_CYCLIC_LINK,
  ERR_INVALID_DECLARATION, ERR_DUPLICATE_SYMBOL, ERR_PARSE_ERROR, ERR_BUSY, ERR_SKIP, ERR_HELP, ERR_BUG,
  ERR_PRINTER_ON_FIRE,
} = errorConstants as Record<string, number>;

// ---------------------------------------------------------------- Variant types
// The same classes as the main entry point, also under GDScript's spelling (Vector2i, AABB, RID),
// so a port needs this one import.

export {
  Vector2, Vector2I, Vector2I as Vector2i, Vector3, Vector3I, Vector3I as Vector3i, Vector4, Vector4I, Vector4I as Vector4i,
  Rect2, Rect2I, Rect2I as Rect2i, Transform2D, Plane, Quaternion, Aabb, Aabb as AABB, Basis, Transform3D, Projection, Color,
} from './variant/math-types.js';
export {
  TypedArray, TypedDictionary, PackedStringArray, PackedVector2Array, PackedVector3Array, PackedVector4Array, PackedColorArray,
} from './variant/containers.js';
export {
  GodotFloat, StringName, NodePath, Rid, Rid as RID, Callable, Signal, EncodedObjectAsId, EncodedObject,
} from './variant/value-types.js';

// The multiplayer classes: WebSocketMultiplayerPeer, SceneMultiplayer, NodeMirror, MultiplayerAPI, rpc().
export * from './multiplayer/gdscript.js';

/** GDScript's global Variant helpers (GodotSharp: GD.VarToBytes and friends). */
export const var_to_bytes = GD.VarToBytes;
export const bytes_to_var = GD.BytesToVar;
export const var_to_bytes_with_objects = GD.VarToBytesWithObjects;
export const bytes_to_var_with_objects = GD.BytesToVarWithObjects;

// ---------------------------------------------------------------- GDScript-named types

export interface GDPacketPeer {
  encode_buffer_max_size: number;
  get_available_packet_count(): number;
  get_packet(): Uint8Array;
  get_packet_error(): number;
  put_packet(buffer: Uint8Array): number;
  get_var(allow_objects?: boolean): unknown;
  put_var(value: unknown, full_objects?: boolean): number;
  get_encode_buffer_max_size(): number;
  set_encode_buffer_max_size(value: number): void;
}

export interface GDStreamPeer {
  big_endian: boolean;
  is_big_endian_enabled(): boolean;
  set_big_endian(enable: boolean): void;
  put_data(data: Uint8Array): number;
  put_partial_data(data: Uint8Array): [number, number];
  get_data(bytes: number): [number, Uint8Array];
  get_partial_data(bytes: number): [number, Uint8Array];
  get_available_bytes(): number;
  put_8(value: number): number;
  put_u8(value: number): number;
  put_16(value: number): number;
  put_u16(value: number): number;
  put_32(value: number): number;
  put_u32(value: number): number;
  put_64(value: number | bigint): number;
  put_u64(value: number | bigint): number;
  put_half(value: number): number;
  put_float(value: number): number;
  put_double(value: number): number;
  put_string(value: string): number;
  put_utf8_string(value: string): number;
  put_var(value: unknown, full_objects?: boolean): number;
  get_8(): number;
  get_u8(): number;
  get_16(): number;
  get_u16(): number;
  get_32(): number;
  get_u32(): number;
  get_64(): number | bigint;
  get_u64(): number | bigint;
  get_half(): number;
  get_float(): number;
  get_double(): number;
  get_string(bytes?: number): string;
  get_utf8_string(bytes?: number): string;
  get_var(allow_objects?: boolean): unknown;
}

export interface GDStreamPeerTCP extends GDStreamPeer {
  bind(port: number, host?: string): number;
  connect_to_host(host: string, port: number): number;
  poll(): number;
  get_status(): number;
  get_connected_host(): string;
  get_connected_port(): number;
  get_local_port(): number;
  set_no_delay(enabled: boolean): void;
  disconnect_from_host(): void;
}

export interface GDTCPServer {
  listen(port: number, bind_address?: string): number;
  is_listening(): boolean;
  is_connection_available(): boolean;
  take_connection(): (StreamPeerTcp & GDStreamPeerTCP) | null;
  get_local_port(): number;
  stop(): void;
}

export interface GDWebSocketPeer extends GDPacketPeer {
  supported_protocols: string[];
  handshake_headers: string[];
  inbound_buffer_size: number;
  outbound_buffer_size: number;
  max_queued_packets: number;
  heartbeat_interval: number;
  connect_to_url(url: string, tls_client_options?: unknown): number;
  accept_stream(stream: StreamPeer): number;
  send(message: Uint8Array, write_mode?: number): number;
  send_text(message: string): number;
  was_string_packet(): boolean;
  poll(): void;
  close(code?: number, reason?: string): void;
  get_connected_host(): string;
  get_connected_port(): number;
  get_selected_protocol(): string;
  get_requested_url(): string;
  set_no_delay(enabled: boolean): void;
  get_current_outbound_buffered_amount(): number;
  get_ready_state(): number;
  get_close_code(): number;
  get_close_reason(): string;
}

type WithConstants<C, K extends string> = C & { readonly [P in K]: number };
/** A class as GDScript sees it: `new X()` and `X.new()` make the same object. */
type GDClass<T> = (new () => T) & { new: () => T };

export const PacketPeerClass = PacketPeer as unknown as abstract new () => PacketPeer & GDPacketPeer;
const StreamPeerClass = StreamPeer as unknown as abstract new () => StreamPeer & GDStreamPeer;
export const StreamPeerTCP = StreamPeerTcp as unknown as WithConstants<
  GDClass<StreamPeerTcp & GDStreamPeerTCP>,
  'STATUS_NONE' | 'STATUS_CONNECTING' | 'STATUS_CONNECTED' | 'STATUS_ERROR'
>;
export const TCPServer = TcpServer as unknown as GDClass<TcpServer & GDTCPServer>;
const GDWebSocketPeerClass = WebSocketPeer as unknown as WithConstants<
  GDClass<WebSocketPeer & GDWebSocketPeer>,
  'STATE_CONNECTING' | 'STATE_OPEN' | 'STATE_CLOSING' | 'STATE_CLOSED' | 'WRITE_MODE_TEXT' | 'WRITE_MODE_BINARY'
>;
export { GDWebSocketPeerClass as WebSocketPeer, PacketPeerClass as PacketPeer, StreamPeerClass as StreamPeer };

// ---------------------------------------------------------------- TLS classes
// Godot's class names (TLSOptions, StreamPeerTLS), the static constructors under their snake_case
// names (TLSOptions.client, client_unsafe, server) and the STATUS_ constants.

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

const GDTLSOptionsClass = TlsOptions as unknown as GDClass<GDOptions> & typeof statics;
const GDStreamPeerTLSClass = StreamPeerTls as unknown as GDClass<StreamPeerTls & GDStreamPeerTLS> & Readonly<typeof statusConstants>;
const GDX509CertificateClass = X509Certificate as unknown as GDClass<GDX509>;
const GDCryptoKeyClass = CryptoKey as unknown as GDClass<GDKey>;

export {
  GDTLSOptionsClass as TLSOptions,
  GDStreamPeerTLSClass as StreamPeerTLS,
  GDX509CertificateClass as X509Certificate,
  GDCryptoKeyClass as CryptoKey,
};
