/**
 * CodecSession: the RFC 6455 codec of one connection (native gdws::Session) with JavaScript
 * types. It owns the masking-key pool (crypto random, or fixed keys for reproducible tests) and
 * turns the addon's batched results into records. No sockets here.
 *
 * WebSocketPeer uses the per-packet path: receive() (one native call per poll for acknowledging,
 * feeding and taking records), queueOpcode() and takeOutputForSocket(), with the codec state
 * cached in `flags` and `outputPending` so that a poll with nothing to do calls no native code.
 * @internal
 */
import { randomFillSync } from 'node:crypto';
import { CodecStatus, native, Opcode, SessionFlag, type NativeSession, type SessionHandle } from '../native/addon.js';
import { DEFAULT_BUFFER_SIZE, DEFAULT_MAX_QUEUED_PACKETS, META_CONSUMED, META_FLAGS, META_HEADER, META_OUTPUT, META_RECORDS, META_STRIDE } from '../native/constants.js';

export type RecordKind = 'text' | 'binary' | 'ping' | 'pong';
export interface CodecRecord {
  kind: RecordKind;
  data: Uint8Array;
}

export interface CodecLimits {
  /** Largest inbound message (all fragments); 0 = no limit. */
  maxMessageSize?: number;
  /** Outbound frames queued and not yet written; -1 = no limit. */
  maxOutboundMessages?: number;
  /** Outbound payload bytes queued and not yet written; 0 = no limit. */
  maxOutboundBytes?: number;
}

export interface CodecOptions extends CodecLimits {
  role: 'client' | 'server';
  /** Client only: fixed masking keys, used in order and then again (tests and trace replay). */
  maskKeys?: readonly number[];
}

export interface CodecState {
  closeSent: boolean;
  closeReceived: boolean;
  /** gdws::Failure name ("RESERVED_BITS", ...) or "" */
  failure: string;
  /** Peer's close code: -1 none yet, 1005 empty close body. */
  receivedCloseCode: number;
  receivedCloseReason: string;
}

const KIND_BY_OPCODE: Record<number, RecordKind> = {
  [Opcode.Text]: 'text',
  [Opcode.Binary]: 'binary',
  [Opcode.Ping]: 'ping',
  [Opcode.Pong]: 'pong',
};
const OPCODE_BY_KIND: Record<RecordKind, Opcode> = {
  text: Opcode.Text,
  binary: Opcode.Binary,
  ping: Opcode.Ping,
  pong: Opcode.Pong,
};

const fast = native.Session;

/** Where receive() hands each completed record. */
export interface InboundSink {
  message(data: Uint8Array, isText: boolean): void;
  pong(): void;
  /** A ping arrived; the codec already queued its pong (`length` payload bytes). */
  ping(length: number): void;
}

// The meta array receive() fills: [consumed, state flags, record count, output bytes, then
// (opcode, source, offset, length) per record, source -1 for the returned buffer, k for
// input[k], or -2 - j for hosted[j], a Buffer holding just that message]; a negative count asks
// for a larger array.
/** One array for every session: records are read out before the next native call. */
let meta = new Float64Array(META_HEADER + META_STRIDE * 256);
/** Filled by receive() with the Buffers large spanning messages were unmasked into; emptied after. */
const hosted: Buffer[] = [];

/** 2048 keys per refill: one crypto call per 2048 client frames. */
const MASK_POOL_BYTES = 8 * 1024;
const UNLIMITED_MESSAGES = 0xffffffff;
const NO_ROOM_LIMIT = Number.MAX_SAFE_INTEGER;
const utf8 = new TextDecoder('utf-8');
const EMPTY = new Uint8Array(0);

export class CodecSession {
  /** The session, owned by this External handle. */
  private readonly handle: SessionHandle;
  /** Method interface to the session, made on first use (closing, failures, tests). */
  private wrapper: NativeSession | null = null;
  /** SessionFlag bits as of the last native call that can change them. */
  flags: number;
  /** Whether framed output may be waiting for takeOutputForSocket(). */
  outputPending = false;

  constructor(options: CodecOptions) {
    const { maxMessageSize, maxOutboundMessages, maxOutboundBytes } = nativeLimits(options);
    if (options.role === 'server') {
      this.handle = fast.create(1, maxMessageSize, maxOutboundMessages, maxOutboundBytes);
    } else {
      const pool = options.maskKeys ? fixedKeyPool(options.maskKeys) : randomFillSync(new Uint8Array(MASK_POOL_BYTES));
      const refill = options.maskKeys ? () => {} : (p: Uint8Array) => { randomFillSync(p); };
      this.handle = fast.create(0, maxMessageSize, maxOutboundMessages, maxOutboundBytes, pool, refill);
    }
    this.flags = SessionFlag.WantsInput;
  }

  get native(): NativeSession {
    return (this.wrapper ??= new native.Session(this.handle));
  }

  setLimits(limits: CodecLimits): void {
    const { maxMessageSize, maxOutboundMessages, maxOutboundBytes } = nativeLimits(limits);
    this.native.setLimits(maxMessageSize, maxOutboundMessages, maxOutboundBytes);
  }

  /** Feeds bytes; returns how many were consumed (fewer under back-pressure or after close). */
  feed(input: Uint8Array | Uint8Array[], messageRoom = NO_ROOM_LIMIT, byteRoom = NO_ROOM_LIMIT): number {
    const consumed = this.native.feed(input, messageRoom, byteRoom);
    this.flags = this.native.state();
    this.outputPending = true; // a ping or close may have queued a reply
    return consumed;
  }

  /**
   * Acknowledges `acknowledged` written output bytes, feeds `input` within the room given (as
   * feed()), and hands every completed record to `sink`. Returns the bytes consumed.
   *
   * The input chunks are handed over and MODIFIED: a whole message of 1 KiB or more inside one
   * chunk is unmasked where it lies and passed on as a view of that chunk (which it keeps alive);
   * a single-frame message of 16 KiB or more that spans chunks was unmasked straight into a
   * Buffer of its own, passed on as is; other payloads are views into one buffer copied out of
   * the codec.
   */
  receive(input: Uint8Array[], messageRoom: number, byteRoom: number, acknowledged: number, sink: InboundSink): number {
    let bytes = fast.receive(this.handle, input, messageRoom, byteRoom, acknowledged, meta, hosted);
    const consumed = meta[META_CONSUMED]!;
    let count = meta[META_RECORDS]!;
    if (count < 0) {
      meta = new Float64Array(-count * 2);
      bytes = fast.takeInboundInto(this.handle, meta, hosted);
      count = meta[META_RECORDS]!;
    }
    this.flags = meta[META_FLAGS]!;
    this.outputPending = meta[META_OUTPUT]! > 0;
    for (let at = META_HEADER, end = META_HEADER + count * META_STRIDE; at < end; at += META_STRIDE) {
      const kind = meta[at]!;
      if (kind === Opcode.Text || kind === Opcode.Binary) {
        const source = meta[at + 1]!;
        const offset = meta[at + 2]!;
        const length = meta[at + 3]!;
        if (source <= -2) {
          sink.message(hosted[-2 - source]!, kind === Opcode.Text);
          continue;
        }
        const from = source < 0 ? bytes! : input[source]!;
        sink.message(length === 0 ? EMPTY : from.subarray(offset, offset + length), kind === Opcode.Text);
      } else if (kind === Opcode.Pong) {
        sink.pong();
      } else if (kind === Opcode.Ping) {
        sink.ping(meta[at + 3]!);
      }
    }
    if (hosted.length > 0) hosted.length = 0;
    return consumed;
  }

  /** Frees `bytes` of written output from the outbound limits. */
  acknowledge(bytes: number): void {
    fast.acknowledgeFast(this.handle, bytes);
  }

  /** Unacknowledged payload bytes (Godot's outbound buffered amount). */
  queuedBytes(): number {
    return fast.queuedBytesFast(this.handle);
  }

  /** Records completed since the last call; payloads are views into one shared buffer. */
  takeRecords(): CodecRecord[] {
    const inbound = this.native.takeInbound();
    if (inbound === null) return [];
    const [bytes, meta] = inbound;
    const records: CodecRecord[] = [];
    for (let i = 0; i < meta.length; i += 3) {
      records.push({ kind: KIND_BY_OPCODE[meta[i]!]!, data: bytes.subarray(meta[i + 1]!, meta[i + 1]! + meta[i + 2]!) });
    }
    return records;
  }

  queueMessage(kind: RecordKind, payload: Uint8Array): CodecStatus {
    return this.queueOpcode(OPCODE_BY_KIND[kind], payload);
  }

  queueOpcode(opcode: Opcode, payload: Uint8Array): CodecStatus {
    const status = fast.queueFast(this.handle, opcode, payload);
    if (status === CodecStatus.Ok) this.outputPending = true;
    return status;
  }

  queueClose(code: number, reason: Uint8Array): CodecStatus {
    const status = this.native.queueClose(code, reason);
    this.flags = this.native.state();
    this.outputPending = true;
    return status;
  }

  /** Output framed since the last call, for the socket (acknowledged later with acknowledge()). */
  takeOutputForSocket(): Buffer | null {
    this.outputPending = false;
    return fast.takeOutputFast(this.handle);
  }

  /** Output framed since the last call, acknowledged at once (for callers without a transport). */
  takeOutput(): Uint8Array {
    this.outputPending = false;
    const output = this.native.takeOutput();
    if (output === null) return new Uint8Array(0);
    this.native.acknowledge(output.length);
    return output;
  }

  get state(): CodecState {
    const flags = this.native.state();
    return {
      closeSent: (flags & SessionFlag.CloseSent) !== 0,
      closeReceived: (flags & SessionFlag.CloseReceived) !== 0,
      failure: this.native.failure(),
      receivedCloseCode: this.native.closeCode(),
      receivedCloseReason: utf8.decode(this.native.closeReason()),
    };
  }
}

function nativeLimits(limits: CodecLimits) {
  const messages = limits.maxOutboundMessages ?? DEFAULT_MAX_QUEUED_PACKETS;
  return {
    maxMessageSize: Math.max(0, limits.maxMessageSize ?? DEFAULT_BUFFER_SIZE),
    maxOutboundMessages: messages < 0 ? UNLIMITED_MESSAGES : Math.min(messages, UNLIMITED_MESSAGES),
    maxOutboundBytes: Math.max(0, limits.maxOutboundBytes ?? DEFAULT_BUFFER_SIZE),
  };
}

function fixedKeyPool(keys: readonly number[]): Uint8Array {
  if (keys.length === 0) throw new TypeError('maskKeys must not be empty');
  const pool = new Uint8Array(keys.length * 4);
  const view = new DataView(pool.buffer);
  // Big-endian so that key 0x37fa213d masks with bytes 37 fa 21 3d, as written in RFC 6455.
  keys.forEach((key, i) => view.setUint32(i * 4, key >>> 0, false));
  return pool;
}

export { CodecStatus, Opcode };
