/**
 * Replays the shared traces (test/traces/*.json, written by make_traces.py) through the exact
 * per-poll path WebSocketPeer uses: a Connection (src/websocket/connection.ts) over a
 * CodecSession, driven by pump() once per received chunk, send() and close() for the host's
 * steps and flush() when the peer reads, with a scripted transport in place of the socket. The
 * Godot runner (test/engine/godot3/replay_traces.gd) produces the same TraceResult shape line by
 * line through the engine glue, so both can be compared with each other and with the
 * expectations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodecSession, Opcode } from '../../src/websocket/codec-session.js';
import { Connection, type Transport } from '../../src/websocket/connection.js';
import { PacketQueue } from '../../src/websocket/packet-queue.js';
import { SessionFlag } from '../../src/native/addon.js';
import { STATUS_NAMES } from '../../src/native/constants.js';

export const TRACES_DIR = dirname(fileURLToPath(import.meta.url));

export { STATUS_NAMES };

export type RecordKind = 'text' | 'binary' | 'ping' | 'pong';
const OPCODE_BY_KIND: Record<RecordKind, Opcode> = { text: Opcode.Text, binary: Opcode.Binary, ping: Opcode.Ping, pong: Opcode.Pong };
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

export type Chunking = 'whole' | number[];

export type Step =
  | { feed: string }
  | { queue_message: RecordKind; data: string; status: string; hold?: boolean }
  | { queue_close: number; reason: string; status: string; hold?: boolean };

export interface TraceRecord {
  kind: string;
  data: string;
}

export interface Expectation {
  records: TraceRecord[];
  output: string;
  failure: string;
  close_sent: boolean;
  close_received: boolean;
  received_close_code: number;
  received_close_reason: string;
  consumed?: number;
}

export interface Trace {
  name: string;
  note?: string;
  role: 'client' | 'server';
  limits: { max_message_size: number; max_outbound_messages: number; max_outbound_bytes: number };
  mask_keys?: string[];
  chunkings: Chunking[];
  steps: Step[];
  expect: Expectation;
}

export interface TraceFile {
  file: string;
  about: string;
  traces: Trace[];
}

/** What one replay produced; the engine prints the same fields as one JSON line. */
export interface TraceResult extends Required<Expectation> {
  file: string;
  name: string;
  chunking: number;
  statuses: string[];
}

export function loadTraceFiles(dir = TRACES_DIR): TraceFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<TraceFile, 'file'>) }));
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex.replaceAll(' ', ''), 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Cuts bytes as the chunking says: whole, or sizes used cyclically. */
export function chunk(bytes: Uint8Array, chunking: Chunking): Uint8Array[] {
  if (chunking === 'whole') return [bytes];
  const chunks: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = chunking[i % chunking.length]!;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/**
 * The socket of a replay: delivers the trace's chunks, and takes what is written at once unless
 * the peer is "holding" (a step with `hold: true`: it does not read, so written bytes stay here
 * and count as not taken by the OS until a step without hold has run).
 */
class TraceTransport implements Transport {
  private chunks: Buffer[] = [];
  private held: Buffer[] = [];
  private heldBytes = 0;
  holding = false;
  /** Everything the peer took, in order. */
  readonly taken: Buffer[] = [];

  deliver(chunk: Uint8Array): void {
    this.chunks.push(Buffer.from(chunk)); // a fresh copy, as a socket read is: the codec may write into it
  }

  get bufferedBytes(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  takeChunks(): Buffer[] {
    const chunks = this.chunks;
    this.chunks = [];
    return chunks;
  }

  setReadPaused(): void {}

  write(data: Uint8Array): void {
    this.held.push(Buffer.from(data));
    this.heldBytes += data.length;
    if (!this.holding) this.release();
  }

  get writableLength(): number {
    return this.heldBytes;
  }

  /** The peer reads again: it takes everything held. */
  release(): void {
    this.taken.push(...this.held);
    this.held = [];
    this.heldBytes = 0;
  }
}

/** Counts what the codec consumes; otherwise the CodecSession WebSocketPeer uses. */
class CountingCodec extends CodecSession {
  consumed = 0;

  override receive(...args: Parameters<CodecSession['receive']>): number {
    const used = super.receive(...args);
    this.consumed += used;
    return used;
  }
}

export function replay(file: string, trace: Trace, chunkingIndex: number): TraceResult {
  const chunking = trace.chunkings[chunkingIndex]!;
  const codec = new CountingCodec({
    role: trace.role,
    maxMessageSize: trace.limits.max_message_size,
    maxOutboundMessages: trace.limits.max_outbound_messages,
    maxOutboundBytes: trace.limits.max_outbound_bytes,
    ...(trace.mask_keys ? { maskKeys: trace.mask_keys.map((key) => parseInt(key, 16)) } : {}),
  });
  const records: TraceRecord[] = [];
  const transport = new TraceTransport();
  // The trace's limits are the codec's; the packet queue itself never runs out of room here.
  const limits = { maxMessageSize: trace.limits.max_message_size, queueBytes: NO_LIMIT, queuePackets: NO_LIMIT };
  const connection = new (class extends Connection {
    override message(data: Uint8Array, isText: boolean): void {
      super.message(data, isText);
      records.push({ kind: isText ? 'text' : 'binary', data: toHex(data) });
    }
    override ping(data: Uint8Array): void {
      super.ping(data);
      records.push({ kind: 'ping', data: toHex(data) });
    }
    override pong(data: Uint8Array): void {
      super.pong();
      records.push({ kind: 'pong', data: toHex(data) });
    }
  })(codec, transport, new PacketQueue(), [], limits);
  const statuses: string[] = [];
  for (const step of trace.steps) {
    if ('feed' in step) {
      // One chunk per poll, as a socket would deliver them; after a failure or the peer's close
      // the connection ignores the rest.
      for (const piece of chunk(fromHex(step.feed), chunking)) {
        transport.deliver(piece);
        connection.pump();
      }
    } else if ('queue_message' in step) {
      transport.holding = step.hold === true || transport.holding;
      statuses.push(STATUS_NAMES[connection.send(OPCODE_BY_KIND[step.queue_message], fromHex(step.data))] ?? 'UNKNOWN');
    } else {
      transport.holding = step.hold === true || transport.holding;
      statuses.push(STATUS_NAMES[connection.close(step.queue_close, fromHex(step.reason))] ?? 'UNKNOWN');
    }
    if (!('hold' in step && step.hold === true)) {
      // The peer reads: it takes what waits, and the connection frees it from the limits.
      transport.holding = false;
      transport.release();
    }
    connection.flush();
  }
  const status = codec.closeStatus();
  return {
    file,
    name: trace.name,
    chunking: chunkingIndex,
    consumed: codec.consumed,
    statuses,
    records,
    output: toHex(Buffer.concat(transport.taken)),
    failure: status.failure,
    close_sent: (codec.flags & SessionFlag.CloseSent) !== 0,
    close_received: (codec.flags & SessionFlag.CloseReceived) !== 0,
    received_close_code: status.receivedCloseCode,
    received_close_reason: Buffer.from(status.receivedCloseReason, 'utf8').toString('hex'),
  };
}

/** The expectation a result must meet; consumed only where the trace fixes it. */
export function expectedResult(file: string, trace: Trace, chunkingIndex: number, consumed: number): TraceResult {
  const statuses = trace.steps.flatMap((step) => ('status' in step ? [step.status] : []));
  return {
    file,
    name: trace.name,
    chunking: chunkingIndex,
    statuses,
    ...trace.expect,
    consumed: trace.expect.consumed ?? consumed,
  };
}
