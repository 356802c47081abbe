/**
 * The GDScript face: the same classes and objects as the main entry point, with Godot's
 * snake_case method and property names (connect_to_url, inbound_buffer_size), its constant names
 * (OK, ERR_UNAVAILABLE, WebSocketPeer.STATE_OPEN) and its class names (StreamPeerTCP, TCPServer).
 * Importing this module adds the snake_case names to the shared prototypes, so an object created
 * through either entry point answers to both.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Error } from './core/error.js';
import { GD } from './variant/gd.js';
import { registeredGodotClasses } from './core/godot-object.js';
import { installConstants, installNew, installStatics, type GDClass } from './core/gdscript-statics.js';
import { PollLoop } from './core/poll-loop.js';
import { PacketPeer } from './core/packet-peer.js';
import { StreamPeer } from './core/stream-peer.js';
import { StreamPeerTcp } from './net/stream-peer-tcp.js';
import { TcpServer } from './net/tcp-server.js';
import { WebSocketPeer } from './websocket/websocket-peer.js';
import { CryptoKey } from './tls/crypto-key.js';
import { StreamPeerTls } from './tls/stream-peer-tls.js';
import { TlsOptions } from './tls/tls-options.js';
import { X509Certificate } from './tls/x509-certificate.js';
import type { Variant, VariantInput } from './variant/variant-value.js';

export type { Variant, VariantInput };

installSnakeCaseNames();
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

/** The type of gdscriptErrorName(): Ok → OK, FileEof → ERR_FILE_EOF. */
type ScreamingSnake<S extends string> = S extends `${infer C}${infer R}`
  ? C extends Lowercase<C> ? `${Uppercase<C>}${ScreamingSnake<R>}` : `_${C}${ScreamingSnake<R>}`
  : '';
type GDErrorName<K extends string> = ScreamingSnake<K> extends `_${infer Name}`
  ? Name extends 'OK' | 'FAILED' ? Name : `ERR_${Name}`
  : never;
type GDErrorConstants = { readonly [K in keyof typeof Error as GDErrorName<K & string>]: (typeof Error)[K] };

const errorConstants = Object.fromEntries(
  Object.entries(Error).filter(([, v]) => typeof v === 'number').map(([k, v]) => [gdscriptErrorName(k), v]),
) as unknown as GDErrorConstants;

const E = errorConstants;
// One declarator each (not a destructuring), so that the declarations keep each literal type (ERR_BUSY: Error.Busy).
export const
  OK = E.OK, FAILED = E.FAILED, ERR_UNAVAILABLE = E.ERR_UNAVAILABLE, ERR_UNCONFIGURED = E.ERR_UNCONFIGURED,
  ERR_UNAUTHORIZED = E.ERR_UNAUTHORIZED, ERR_PARAMETER_RANGE_ERROR = E.ERR_PARAMETER_RANGE_ERROR, ERR_OUT_OF_MEMORY = E.ERR_OUT_OF_MEMORY, ERR_FILE_NOT_FOUND = E.ERR_FILE_NOT_FOUND,
  ERR_FILE_BAD_DRIVE = E.ERR_FILE_BAD_DRIVE, ERR_FILE_BAD_PATH = E.ERR_FILE_BAD_PATH, ERR_FILE_NO_PERMISSION = E.ERR_FILE_NO_PERMISSION, ERR_FILE_ALREADY_IN_USE = E.ERR_FILE_ALREADY_IN_USE,
  ERR_FILE_CANT_OPEN = E.ERR_FILE_CANT_OPEN, ERR_FILE_CANT_WRITE = E.ERR_FILE_CANT_WRITE, ERR_FILE_CANT_READ = E.ERR_FILE_CANT_READ, ERR_FILE_UNRECOGNIZED = E.ERR_FILE_UNRECOGNIZED,
  ERR_FILE_CORRUPT = E.ERR_FILE_CORRUPT, ERR_FILE_MISSING_DEPENDENCIES = E.ERR_FILE_MISSING_DEPENDENCIES, ERR_FILE_EOF = E.ERR_FILE_EOF, ERR_CANT_OPEN = E.ERR_CANT_OPEN,
  ERR_CANT_CREATE = E.ERR_CANT_CREATE, ERR_QUERY_FAILED = E.ERR_QUERY_FAILED, ERR_ALREADY_IN_USE = E.ERR_ALREADY_IN_USE, ERR_LOCKED = E.ERR_LOCKED,
  ERR_TIMEOUT = E.ERR_TIMEOUT, ERR_CANT_CONNECT = E.ERR_CANT_CONNECT, ERR_CANT_RESOLVE = E.ERR_CANT_RESOLVE, ERR_CONNECTION_ERROR = E.ERR_CONNECTION_ERROR,
  ERR_CANT_ACQUIRE_RESOURCE = E.ERR_CANT_ACQUIRE_RESOURCE, ERR_CANT_FORK = E.ERR_CANT_FORK, ERR_INVALID_DATA = E.ERR_INVALID_DATA, ERR_INVALID_PARAMETER = E.ERR_INVALID_PARAMETER,
  ERR_ALREADY_EXISTS = E.ERR_ALREADY_EXISTS, ERR_DOES_NOT_EXIST = E.ERR_DOES_NOT_EXIST, ERR_DATABASE_CANT_READ = E.ERR_DATABASE_CANT_READ, ERR_DATABASE_CANT_WRITE = E.ERR_DATABASE_CANT_WRITE,
  ERR_COMPILATION_FAILED = E.ERR_COMPILATION_FAILED, ERR_METHOD_NOT_FOUND = E.ERR_METHOD_NOT_FOUND, ERR_LINK_FAILED = E.ERR_LINK_FAILED, ERR_SCRIPT_FAILED = E.ERR_SCRIPT_FAILED,
  ERR_CYCLIC_LINK = E.ERR_CYCLIC_LINK, ERR_INVALID_DECLARATION = E.ERR_INVALID_DECLARATION, ERR_DUPLICATE_SYMBOL = E.ERR_DUPLICATE_SYMBOL, ERR_PARSE_ERROR = E.ERR_PARSE_ERROR,
  ERR_BUSY = E.ERR_BUSY, ERR_SKIP = E.ERR_SKIP, ERR_HELP = E.ERR_HELP, ERR_BUG = E.ERR_BUG,
  ERR_PRINTER_ON_FIRE = E.ERR_PRINTER_ON_FIRE;

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
// Each class is exported as a value (the very class of the main entry point, typed with its
// GDScript members, constants and `new()`), as a type (`let ws: WebSocketPeer`) and as a namespace
// of its enum types (`WebSocketPeer.State`, `WebSocketPeer.State.Open`): a type-only namespace
// merges with the const, where re-exporting the enum itself would not.

/** The static side of a class (its enums) without its constructor. */
type Statics<C> = Omit<C, 'prototype'>;

export interface GDPacketPeer {
  encode_buffer_max_size: number;
  get_available_packet_count(): number;
  get_packet(): Uint8Array;
  get_packet_error(): Error;
  put_packet(buffer: Uint8Array): Error;
  get_var(allow_objects?: boolean): Variant;
  put_var(value: VariantInput, full_objects?: boolean): Error;
  get_encode_buffer_max_size(): number;
  set_encode_buffer_max_size(value: number): void;
}

export interface GDStreamPeer {
  big_endian: boolean;
  is_big_endian_enabled(): boolean;
  set_big_endian(enable: boolean): void;
  put_data(data: Uint8Array): Error;
  put_partial_data(data: Uint8Array): [Error, number];
  get_data(bytes: number): [Error, Uint8Array];
  get_partial_data(bytes: number): [Error, Uint8Array];
  get_available_bytes(): number;
  put_8(value: number): Error;
  put_u8(value: number): Error;
  put_16(value: number): Error;
  put_u16(value: number): Error;
  put_32(value: number): Error;
  put_u32(value: number): Error;
  put_64(value: number | bigint): Error;
  put_u64(value: number | bigint): Error;
  put_half(value: number): Error;
  put_float(value: number): Error;
  put_double(value: number): Error;
  put_string(value: string): Error;
  put_utf8_string(value: string): Error;
  put_var(value: VariantInput, full_objects?: boolean): Error;
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
  get_var(allow_objects?: boolean): Variant;
}

export interface GDStreamPeerTCP extends GDStreamPeer {
  bind(port: number, host?: string): Error;
  connect_to_host(host: string, port: number): Error;
  poll(): Error;
  get_status(): StreamPeerTcp.Status;
  get_connected_host(): string;
  get_connected_port(): number;
  get_local_port(): number;
  set_no_delay(enabled: boolean): void;
  disconnect_from_host(): void;
}

export interface GDTCPServer {
  listen(port: number, bind_address?: string): Error;
  is_listening(): boolean;
  is_connection_available(): boolean;
  take_connection(): StreamPeerTCPFace | null;
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
  connect_to_url(url: string, tls_client_options?: TlsOptions | null): Error;
  accept_stream(stream: StreamPeer | null): Error;
  accept_http_upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Error;
  send(message: Uint8Array, write_mode?: WebSocketPeer.WriteMode): Error;
  send_text(message: string): Error;
  was_string_packet(): boolean;
  poll(): void;
  close(code?: number, reason?: string): void;
  get_connected_host(): string;
  get_connected_port(): number;
  get_selected_protocol(): string;
  get_requested_url(): string;
  set_no_delay(enabled: boolean): void;
  get_current_outbound_buffered_amount(): number;
  get_ready_state(): WebSocketPeer.State;
  get_close_code(): number;
  get_close_reason(): string;
  get_supported_protocols(): string[];
  set_supported_protocols(value: string[]): void;
  get_handshake_headers(): string[];
  set_handshake_headers(value: string[]): void;
  get_inbound_buffer_size(): number;
  set_inbound_buffer_size(value: number): void;
  get_outbound_buffer_size(): number;
  set_outbound_buffer_size(value: number): void;
  get_max_queued_packets(): number;
  set_max_queued_packets(value: number): void;
  get_heartbeat_interval(): number;
  set_heartbeat_interval(value: number): void;
}

const PacketPeerFace = PacketPeer as unknown as (abstract new () => PacketPeer & GDPacketPeer) & Statics<typeof PacketPeer>;
type PacketPeerFace = PacketPeer & GDPacketPeer;
/** @deprecated The same class as `PacketPeer`. */
export const PacketPeerClass = PacketPeerFace;

const StreamPeerFace = StreamPeer as unknown as (abstract new () => StreamPeer & GDStreamPeer) & Statics<typeof StreamPeer>;
type StreamPeerFace = StreamPeer & GDStreamPeer;

const streamPeerTcpConstants = {
  STATUS_NONE: StreamPeerTcp.Status.None,
  STATUS_CONNECTING: StreamPeerTcp.Status.Connecting,
  STATUS_CONNECTED: StreamPeerTcp.Status.Connected,
  STATUS_ERROR: StreamPeerTcp.Status.Error,
} as const;
const StreamPeerTCPFace = StreamPeerTcp as unknown as GDClass<StreamPeerTcp & GDStreamPeerTCP> & Statics<typeof StreamPeerTcp> & typeof streamPeerTcpConstants;
installConstants(StreamPeerTcp, streamPeerTcpConstants);
type StreamPeerTCPFace = StreamPeerTcp & GDStreamPeerTCP;
namespace StreamPeerTCPFace {
  export type Status = StreamPeerTcp.Status;
  export namespace Status {
    export type None = StreamPeerTcp.Status.None;
    export type Connecting = StreamPeerTcp.Status.Connecting;
    export type Connected = StreamPeerTcp.Status.Connected;
    export type Error = StreamPeerTcp.Status.Error;
  }
}

const TCPServerFace = TcpServer as unknown as GDClass<TcpServer & GDTCPServer>;
type TCPServerFace = TcpServer & GDTCPServer;

const webSocketPeerConstants = {
  STATE_CONNECTING: WebSocketPeer.State.Connecting,
  STATE_OPEN: WebSocketPeer.State.Open,
  STATE_CLOSING: WebSocketPeer.State.Closing,
  STATE_CLOSED: WebSocketPeer.State.Closed,
  WRITE_MODE_TEXT: WebSocketPeer.WriteMode.Text,
  WRITE_MODE_BINARY: WebSocketPeer.WriteMode.Binary,
} as const;
const WebSocketPeerFace = WebSocketPeer as unknown as GDClass<WebSocketPeer & GDWebSocketPeer> & Statics<typeof WebSocketPeer> & typeof webSocketPeerConstants;
installConstants(WebSocketPeer, webSocketPeerConstants);
type WebSocketPeerFace = WebSocketPeer & GDWebSocketPeer;
namespace WebSocketPeerFace {
  export type State = WebSocketPeer.State;
  export namespace State {
    export type Connecting = WebSocketPeer.State.Connecting;
    export type Open = WebSocketPeer.State.Open;
    export type Closing = WebSocketPeer.State.Closing;
    export type Closed = WebSocketPeer.State.Closed;
  }
  export type WriteMode = WebSocketPeer.WriteMode;
  export namespace WriteMode {
    export type Text = WebSocketPeer.WriteMode.Text;
    export type Binary = WebSocketPeer.WriteMode.Binary;
  }
}

export {
  WebSocketPeerFace as WebSocketPeer,
  PacketPeerFace as PacketPeer,
  StreamPeerFace as StreamPeer,
  StreamPeerTCPFace as StreamPeerTCP,
  TCPServerFace as TCPServer,
};

// ---------------------------------------------------------------- PollLoop (extension)

export interface GDPollLoop {
  stop(): void;
  is_running(): boolean;
  get_run_count(): number;
  wake(): void;
}

const pollLoopStatics = { start: (poll: () => void) => PollLoop.Start(poll) as PollLoop & GDPollLoop };
installStatics(PollLoop, pollLoopStatics);
const PollLoopFace = PollLoop as unknown as Statics<typeof PollLoop> & typeof pollLoopStatics;
type PollLoopFace = PollLoop & GDPollLoop;
export { PollLoopFace as PollLoop };

// ---------------------------------------------------------------- TLS classes
// Godot's class names (TLSOptions, StreamPeerTLS), the static constructors under their snake_case
// names (TLSOptions.client, client_unsafe, server) and the STATUS_ constants.

export interface GDX509Certificate {
  load(path: string): Error;
  load_from_string(string: string): Error;
  save(path: string): Error;
  save_to_string(): string;
}

export interface GDCryptoKey {
  load(path: string, public_only?: boolean): Error;
  load_from_string(string_key: string, public_only?: boolean): Error;
  save(path: string, public_only?: boolean): Error;
  save_to_string(public_only?: boolean): string;
  is_public_only(): boolean;
}

type X509CertificateFace = X509Certificate & GDX509Certificate;
type CryptoKeyFace = CryptoKey & GDCryptoKey;

export interface GDTLSOptions {
  is_server(): boolean;
  is_unsafe_client(): boolean;
  get_common_name_override(): string;
  get_trusted_ca_chain(): X509CertificateFace | null;
  get_private_key(): CryptoKeyFace | null;
  get_own_certificate(): X509CertificateFace | null;
}

type TLSOptionsFace = TlsOptions & GDTLSOptions;

export interface GDStreamPeerTLS extends GDStreamPeer {
  accept_stream(stream: StreamPeer | null, server_options: TlsOptions | null): Error;
  connect_to_stream(stream: StreamPeer | null, common_name: string, client_options?: TlsOptions | null): Error;
  poll(): void;
  get_status(): StreamPeerTls.Status;
  get_stream(): StreamPeerTCPFace | null;
  disconnect_from_stream(): void;
}

const statics = {
  client: (trusted_chain: X509Certificate | null = null, common_name_override = '') => TlsOptions.Client(trusted_chain, common_name_override) as TLSOptionsFace,
  client_unsafe: (trusted_chain: X509Certificate | null = null) => TlsOptions.ClientUnsafe(trusted_chain) as TLSOptionsFace,
  server: (key: CryptoKey | null, certificate: X509Certificate | null) => TlsOptions.Server(key, certificate) as TLSOptionsFace,
};
installStatics(TlsOptions, statics);

const statusConstants = {
  STATUS_DISCONNECTED: StreamPeerTls.Status.Disconnected,
  STATUS_HANDSHAKING: StreamPeerTls.Status.Handshaking,
  STATUS_CONNECTED: StreamPeerTls.Status.Connected,
  STATUS_ERROR: StreamPeerTls.Status.Error,
  STATUS_ERROR_HOSTNAME_MISMATCH: StreamPeerTls.Status.ErrorHostnameMismatch,
} as const;
installConstants(StreamPeerTls, statusConstants);

const TLSOptionsFace = TlsOptions as unknown as GDClass<TLSOptionsFace> & Statics<typeof TlsOptions> & typeof statics;
const StreamPeerTLSFace = StreamPeerTls as unknown as GDClass<StreamPeerTls & GDStreamPeerTLS> & Statics<typeof StreamPeerTls> & typeof statusConstants;
type StreamPeerTLSFace = StreamPeerTls & GDStreamPeerTLS;
namespace StreamPeerTLSFace {
  export type Status = StreamPeerTls.Status;
  export namespace Status {
    export type Disconnected = StreamPeerTls.Status.Disconnected;
    export type Handshaking = StreamPeerTls.Status.Handshaking;
    export type Connected = StreamPeerTls.Status.Connected;
    export type Error = StreamPeerTls.Status.Error;
    export type ErrorHostnameMismatch = StreamPeerTls.Status.ErrorHostnameMismatch;
  }
}
const X509CertificateFace = X509Certificate as unknown as GDClass<X509CertificateFace>;
const CryptoKeyFace = CryptoKey as unknown as GDClass<CryptoKeyFace>;

export {
  TLSOptionsFace as TLSOptions,
  StreamPeerTLSFace as StreamPeerTLS,
  X509CertificateFace as X509Certificate,
  CryptoKeyFace as CryptoKey,
};
