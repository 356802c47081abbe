/**
 * Typed view of the native addon (native/node). Declarations only: the shapes below mirror
 * session_bindings.h and handshake_bindings.cpp; the shared numbers come from constants.ts.
 * Everything else in src/ reaches the codec through this module.
 * @internal
 */
import loadAddon from './load-addon.cjs';
import { CodecStatus, HandshakeResult, Opcode, Placement, Role, SessionFlag } from './constants.js';

// The shared numbers and names are generated from the C++ headers (constants.ts).
export { CodecStatus, HandshakeResult, Opcode, Placement, Role, SessionFlag };

/** A session: an External that owns one codec session, freed when collected. */
export type SessionHandle = { readonly __gdwsSessionHandle: unique symbol };

/** The Session functions (native/node/session_bindings.h): one way in, all by handle. */
export interface NativeSessionFunctions {
  create(role: Role, maxMessageSize: number, maxOutboundMessages: number, maxOutboundBytes: number,
    maskPool?: Uint8Array, refillMaskPool?: (pool: Uint8Array) => void): SessionHandle;
  /**
   * Acknowledges written output, feeds `input` within the room and fills `meta` (layout:
   * boundary.h, read in codec-session.ts); returns the bytes of Placement.Session records and
   * puts the Buffers of Placement.Own records into `own` from index 0.
   * Modifies `input`: whole messages inside a chunk are unmasked there (Placement.Input).
   */
  receive(handle: SessionHandle, input: Uint8Array[] | null, messageRoom: number, byteRoom: number,
    acknowledged: number, meta: Float64Array, own: Buffer[]): Buffer | null;
  queue(handle: SessionHandle, opcode: Opcode, payload: Uint8Array): CodecStatus;
  /** The message as a whole frame of its own (for the socket, after the output taken so far), or why not. */
  queueAlone(handle: SessionHandle, opcode: Opcode, payload: Uint8Array): Buffer | CodecStatus;
  queueClose(handle: SessionHandle, code: number, reason: Uint8Array): CodecStatus;
  /** The output framed since the last call: in `spare` when it fits (the byte count), else a new Buffer. */
  takeOutput(handle: SessionHandle, spare: Buffer | null): Buffer | number | null;
  acknowledge(handle: SessionHandle, bytes: number): void;
  queuedBytes(handle: SessionHandle): number;
  setLimits(handle: SessionHandle, maxMessageSize: number, maxOutboundMessages: number, maxOutboundBytes: number): void;
  /** [failure name or "", its close code or 0, peer's close code (-1 none, 1005 empty), peer's reason] */
  closeStatus(handle: SessionHandle): [failure: string, failureCloseCode: number, receivedCode: number, receivedReason: string];
}

export interface NativeAddon {
  Session: NativeSessionFunctions;
  computeAccept(key: string): string;
  makeKey(random16: Uint8Array): string;
  parseUrl(url: string): [result: number, tls: boolean, host: string, port: number, path: string];
  findHeaderEnd(bytes: Uint8Array): [result: number, length: number];
  /** Whether these first bytes can still start a request (isRequest) or a response: HandshakeResult.Ok while they can. */
  checkHeadStart(bytes: Uint8Array, isRequest: boolean): number;
  buildClientRequest(tls: boolean, host: string, port: number, path: string, key: string,
    protocols: string[], headers: string[]): string;
  parseServerResponse(head: Uint8Array, key: string, protocols: string[]): [result: number, protocol: string];
  parseClientRequest(head: Uint8Array, supported: string[]): [result: number, target: string, host: string,
    key: string, protocol: string, origin: string, extensions: string[], path: string];
  buildServerResponse(key: string, protocol: string, headers: string[]): string;
  buildErrorResponse(result: number): string;
  resultName(result: number): string;
  resultMessage(result: number): string;
  closeCodeReason(code: number): string;
  /**
   * The shared constants as compiled, keyed by C++ name ("gdws::Opcode", "gdws::MAX_CLOSE_REASON"):
   * what test/constants.test.ts checks the generated constants.ts against.
   */
  constants: Readonly<Record<string, number | Readonly<Record<string, number>>>>;
  /** fd >= 0, or -1 unsupported, -2 bad address, -3 cannot create, -4 bind failed, -5 listen failed */
  listenSocket(address: string, port: number, ipv6Only: boolean, backlog: number): number;
}

/** Loaded once at import: a missing or broken addon fails here with one message that says how to fix it. */
export const native = loadAddon() as NativeAddon;
