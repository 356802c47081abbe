/**
 * CodecSession: the RFC 6455 codec of one connection (native gdws::Session) with JavaScript
 * types. It owns the masking-key pool (crypto random, or fixed keys for reproducible traces) and
 * turns the addon's per-poll results into sink calls. No sockets here.
 *
 * One way in, used by WebSocketPeer's connection and by the shared traces alike: receive() (one
 * native call per poll for acknowledging, feeding and taking records), queue()/queueClose() and
 * takeOutput(), with the codec state cached in `flags` and `outputPending` so that a poll with
 * nothing to do calls no native code.
 * @internal
 */
import { randomFillSync } from 'node:crypto';
import { CodecStatus, native, Opcode, Placement, Role, SessionFlag, type SessionHandle } from '../native/addon.js';
import {
  DEFAULT_BUFFER_SIZE, DEFAULT_MAX_QUEUED_PACKETS, META_CONSUMED, META_FLAGS, META_HEADER, META_OUTPUT, META_RECORDS,
  META_STRIDE, RECORD_CHUNK, RECORD_KIND, RECORD_LENGTH, RECORD_OFFSET, RECORD_PLACEMENT,
} from '../native/constants.js';

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

/** Where receive() hands each completed record. */
export interface InboundSink {
  message(data: Uint8Array, isText: boolean): void;
  /** A ping arrived; the codec already queued its pong (same payload). */
  ping(data: Uint8Array): void;
  pong(data: Uint8Array): void;
}

/** How the connection ended, as far as the codec knows. */
export interface CloseStatus {
  /** gdws::Failure name ("RESERVED_BITS", ...) or "" */
  failure: string;
  /** The close code the codec sent for its failure (1002/1007/1009), 0 if none. */
  failureCloseCode: number;
  /** Peer's close code: -1 none yet, 1005 empty close body. */
  receivedCloseCode: number;
  receivedCloseReason: string;
}

const fast = native.Session;

/** One array for every session: records are read out before the next native call. */
let meta = new Float64Array(META_HEADER + META_STRIDE * 256);
/** Buffers of Placement.Own records of the last receive() (emptied after each). */
const own: Buffer[] = [];
/**
 * An output Buffer the socket has finished with (see recycleOutput), reused by the next
 * takeOutput() of any session: while sockets take what is written at once, output costs no
 * allocation (and no garbage for the collector to find later).
 */
let spare: Buffer | null = null;
const SPARE_MAX = 1024 * 1024;

/** 256 keys per refill: one crypto call per 256 client frames, 1 KiB per client session. */
const MASK_POOL_BYTES = 1024;
const UNLIMITED_MESSAGES = 0xffffffff;
const EMPTY = new Uint8Array(0);

export class CodecSession {
  /**
   * The native session, owned by this External handle, made on first use: an idle connection
   * (nothing received or sent since the handshake) costs no native memory.
   */
  private handle: SessionHandle | null = null;
  /** What the handle is made from; the limits change with setLimits(). */
  private readonly role: 'client' | 'server';
  private readonly maskKeys: readonly number[] | undefined;
  private maxMessageSize = 0;
  private maxOutboundMessages = 0;
  private maxOutboundBytes = 0;
  /** SessionFlag bits as of the last native call that can change them. */
  flags = SessionFlag.WantsInput;
  /** Whether framed output may be waiting for takeOutput(). */
  outputPending = false;

  constructor(options: CodecOptions) {
    if (options.maskKeys?.length === 0) throw new TypeError('maskKeys must not be empty');
    this.role = options.role;
    this.maskKeys = options.maskKeys;
    this.storeLimits(options);
  }

  private get session(): SessionHandle {
    return this.handle ?? this.createHandle();
  }

  private createHandle(): SessionHandle {
    const { maxMessageSize, maxOutboundMessages, maxOutboundBytes } = this;
    if (this.role === 'server') {
      this.handle = fast.create(Role.Server, maxMessageSize, maxOutboundMessages, maxOutboundBytes);
    } else {
      const keys = this.maskKeys;
      const pool = keys ? fixedKeyPool(keys) : randomFillSync(new Uint8Array(MASK_POOL_BYTES));
      const refill = keys ? () => {} : (p: Uint8Array) => { randomFillSync(p); };
      this.handle = fast.create(Role.Client, maxMessageSize, maxOutboundMessages, maxOutboundBytes, pool, refill);
    }
    return this.handle;
  }

  setLimits(limits: CodecLimits): void {
    this.storeLimits(limits);
    if (this.handle !== null) fast.setLimits(this.handle, this.maxMessageSize, this.maxOutboundMessages, this.maxOutboundBytes);
  }

  /** The limits in the addon's terms. */
  private storeLimits(limits: CodecLimits): void {
    const messages = limits.maxOutboundMessages ?? DEFAULT_MAX_QUEUED_PACKETS;
    this.maxMessageSize = Math.max(0, limits.maxMessageSize ?? DEFAULT_BUFFER_SIZE);
    this.maxOutboundMessages = messages < 0 ? UNLIMITED_MESSAGES : Math.min(messages, UNLIMITED_MESSAGES);
    this.maxOutboundBytes = Math.max(0, limits.maxOutboundBytes ?? DEFAULT_BUFFER_SIZE);
  }

  /**
   * Acknowledges `acknowledged` written output bytes, feeds `input` (the chunks received since
   * the last poll) within the room given — at most `messageRoom` data messages and `byteRoom`
   * payload bytes — and hands every completed record to `sink`. Returns the bytes consumed;
   * the rest waits for room (or is to be dropped once the codec stops wanting input).
   *
   * The input chunks are handed over and MODIFIED: a whole message of 1 KiB or more inside one
   * chunk is unmasked where it lies and passed on as a view of that chunk (which it keeps alive);
   * a single-frame message of 64 KiB or more that spans chunks arrives as a Buffer of its own;
   * other payloads are views into one buffer copied out of the codec.
   */
  receive(input: Uint8Array[], messageRoom: number, byteRoom: number, acknowledged: number, sink: InboundSink): number {
    let bytes = fast.receive(this.session, input, messageRoom, byteRoom, acknowledged, meta, own);
    const consumed = meta[META_CONSUMED]!;
    let count = meta[META_RECORDS]!;
    if (count < 0) {
      // More records than the array holds: they wait in the session for a larger one.
      meta = new Float64Array(-count * 2);
      bytes = fast.receive(this.session, null, 0, 0, 0, meta, own);
      count = meta[META_RECORDS]!;
    }
    this.flags = meta[META_FLAGS]!;
    this.outputPending = meta[META_OUTPUT]! > 0;
    for (let at = META_HEADER, end = META_HEADER + count * META_STRIDE; at < end; at += META_STRIDE) {
      const length = meta[at + RECORD_LENGTH]!;
      let data: Uint8Array = EMPTY;
      if (length > 0) {
        const placement = meta[at + RECORD_PLACEMENT];
        if (placement === Placement.Own) {
          data = own[meta[at + RECORD_CHUNK]!]!;
        } else {
          const offset = meta[at + RECORD_OFFSET]!;
          const from = placement === Placement.Input ? input[meta[at + RECORD_CHUNK]!]! : bytes!;
          data = from.subarray(offset, offset + length);
        }
      }
      const kind = meta[at + RECORD_KIND]!;
      if (kind === Opcode.Text || kind === Opcode.Binary) sink.message(data, kind === Opcode.Text);
      else if (kind === Opcode.Ping) sink.ping(data);
      else if (kind === Opcode.Pong) sink.pong(data);
    }
    if (own.length > 0) own.length = 0;
    return consumed;
  }

  /** Frees `bytes` of written output from the outbound limits. */
  acknowledge(bytes: number): void {
    if (this.handle !== null) fast.acknowledge(this.handle, bytes);
  }

  /** Unacknowledged payload bytes (Godot's outbound buffered amount). */
  queuedBytes(): number {
    return this.handle === null ? 0 : fast.queuedBytes(this.handle);
  }

  /** Frames a message (the codec checks the state, limits and, for text, UTF-8). */
  queue(opcode: Opcode, payload: Uint8Array): CodecStatus {
    const status = fast.queue(this.session, opcode, payload);
    if (status === CodecStatus.Ok) this.outputPending = true;
    return status;
  }

  /**
   * Frames a message into a Buffer of its own instead of the batch takeOutput() returns (one
   * pass over the payload): the caller writes it after everything taken before. The same checks
   * and accounting as queue(); a CodecStatus when refused.
   */
  queueAlone(opcode: Opcode, payload: Uint8Array): Buffer | CodecStatus {
    return fast.queueAlone(this.session, opcode, payload);
  }

  /** Queues a close frame; the codec applies RFC 6455's rules to the code and the reason. */
  queueClose(code: number, reason: Uint8Array): CodecStatus {
    const status = fast.queueClose(this.session, code, reason);
    if (status === CodecStatus.Ok) {
      this.flags |= SessionFlag.CloseSent;
      this.outputPending = true;
    }
    return status;
  }

  /** Output framed since the last call, for the socket (acknowledged later with acknowledge()). */
  takeOutput(): Buffer | null {
    this.outputPending = false;
    if (this.handle === null) return null;
    const target = spare;
    const output = fast.takeOutput(this.handle, target);
    if (typeof output !== 'number') return output;
    spare = null; // in use until it is handed back
    return target!.subarray(0, output);
  }

  closeStatus(): CloseStatus {
    if (this.handle === null) return { failure: '', failureCloseCode: 0, receivedCloseCode: -1, receivedCloseReason: '' };
    const [failure, failureCloseCode, receivedCloseCode, receivedCloseReason] = fast.closeStatus(this.handle);
    return { failure, failureCloseCode, receivedCloseCode, receivedCloseReason };
  }
}

function fixedKeyPool(keys: readonly number[]): Uint8Array {
  const pool = new Uint8Array(keys.length * 4);
  const view = new DataView(pool.buffer);
  // Big-endian so that key 0x37fa213d masks with bytes 37 fa 21 3d, as written in RFC 6455.
  keys.forEach((key, i) => view.setUint32(i * 4, key >>> 0, false));
  return pool;
}

export { CodecStatus, Opcode };

/**
 * Hands back an output Buffer (from takeOutput() or queueAlone()) once the transport has written
 * all of it and keeps no reference: its memory serves the next output.
 */
export function recycleOutput(output: Uint8Array): void {
  const size = output.buffer.byteLength;
  if (size <= SPARE_MAX && (spare === null || size > spare.length)) spare = Buffer.from(output.buffer);
}
