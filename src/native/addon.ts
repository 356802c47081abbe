/**
 * Typed view of the native addon (native/node). Declarations only: the shapes below mirror
 * session_wrap.cpp and handshake_bindings.cpp; the shared numbers come from constants.ts. Everything else in src/ reaches the codec through
 * this module.
 * @internal
 */
import loadAddon from './load-addon.cjs';

import { CodecStatus, HandshakeResult, Opcode, Role, SessionFlag } from './constants.js';

// The shared numbers and names are generated from the C++ headers (constants.ts).
export { CodecStatus, HandshakeResult, Opcode, Role, SessionFlag };

export interface NativeSession {
  feed(input: Uint8Array | Uint8Array[], messageRoom: number, byteRoom: number): number;
  /** null, or [payload bytes, Float64Array of (opcode, offset, length) triples] */
  takeInbound(): [Buffer, Float64Array] | null;
  queue(opcode: Opcode, payload: Uint8Array): CodecStatus;
  queueClose(code: number, reason: Uint8Array): CodecStatus;
  takeOutput(): Buffer | null;
  acknowledge(bytes: number): void;
  setTransportBacklog(bytes: number): void;
  setLimits(maxMessageSize: number, maxOutboundMessages: number, maxOutboundBytes: number): void;
  state(): number;
  failure(): string;
  /** The close code the codec sent for its failure (1002/1007/1009), 0 if none. */
  failureCloseCode(): number;
  closeCode(): number;
  closeReason(): Buffer;
  queuedCount(): number;
  queuedBytes(): number;
}

/** A session made by Session.create(): an External with no wrapper object (less memory per connection). */
export type SessionHandle = { readonly __gdwsSessionHandle: unique symbol };

/**
 * The Session class. Its static functions take a handle and spare the wrapped-object lookup of a
 * method call (the per-packet path); `new Session(handle)` gives the method interface to the same
 * session, `new Session(role, ...)` makes a new one.
 */
export interface NativeSessionClass {
  new (
    role: 0 | 1,
    maxMessageSize: number,
    maxOutboundMessages: number,
    maxOutboundBytes: number,
    maskPool?: Uint8Array,
    refillMaskPool?: (pool: Uint8Array) => void,
  ): NativeSession;
  new (handle: SessionHandle): NativeSession;
  create(role: 0 | 1, maxMessageSize: number, maxOutboundMessages: number, maxOutboundBytes: number,
    maskPool?: Uint8Array, refillMaskPool?: (pool: Uint8Array) => void): SessionHandle;
  /**
   * Acknowledges, feeds and takes records in one call; fills `meta` (see codec-session.ts).
   * Modifies `input`: whole messages inside a chunk are unmasked there and reported as views of it.
   */
  receive(
    handle: SessionHandle,
    input: Uint8Array[],
    messageRoom: number,
    byteRoom: number,
    acknowledged: number,
    meta: Float64Array,
    hosted: Buffer[],
  ): Buffer | null;
  takeInboundInto(handle: SessionHandle, meta: Float64Array, hosted: Buffer[]): Buffer | null;
  queueFast(handle: SessionHandle, opcode: Opcode, payload: Uint8Array): CodecStatus;
  takeOutputFast(handle: SessionHandle): Buffer | null;
  acknowledgeFast(handle: SessionHandle, bytes: number): void;
  queuedBytesFast(handle: SessionHandle): number;
}

export interface NativeAddon {
  Session: NativeSessionClass;
  computeAccept(key: string): string;
  makeKey(random16: Uint8Array): string;
  parseUrl(url: string): [result: number, tls: boolean, host: string, port: number, path: string];
  findHeaderEnd(bytes: Uint8Array): [result: number, length: number];
  buildClientRequest(tls: boolean, host: string, port: number, path: string, key: string,
    protocols: string[], headers: string[]): string;
  parseServerResponse(head: Uint8Array, key: string, protocols: string[]): [result: number, protocol: string];
  parseClientRequest(head: Uint8Array, supported: string[]): [result: number, target: string, host: string,
    key: string, protocol: string, origin: string, extensions: string[]];
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
