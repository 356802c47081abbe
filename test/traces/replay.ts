/**
 * Replays the shared traces (test/traces/*.json, written by make_traces.py) through the Node
 * codec. The Godot runner (test/engine/godot3/replay_traces.gd) produces the same TraceResult
 * shape line by line, so both can be compared with each other and with the expectations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodecSession, Opcode, type InboundSink } from '../../src/websocket/codec-session.js';
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

export function replay(file: string, trace: Trace, chunkingIndex: number): TraceResult {
  const chunking = trace.chunkings[chunkingIndex]!;
  const codec = new CodecSession({
    role: trace.role,
    maxMessageSize: trace.limits.max_message_size,
    maxOutboundMessages: trace.limits.max_outbound_messages,
    maxOutboundBytes: trace.limits.max_outbound_bytes,
    ...(trace.mask_keys ? { maskKeys: trace.mask_keys.map((key) => parseInt(key, 16)) } : {}),
  });
  const records: TraceRecord[] = [];
  const sink: InboundSink = {
    message: (data, isText) => records.push({ kind: isText ? 'text' : 'binary', data: toHex(data) }),
    ping: (data) => records.push({ kind: 'ping', data: toHex(data) }),
    pong: (data) => records.push({ kind: 'pong', data: toHex(data) }),
  };
  const output: string[] = [];
  const statuses: string[] = [];
  let consumed = 0;
  let unacknowledged = 0;
  for (const step of trace.steps) {
    let hold = false;
    if ('feed' in step) {
      for (const piece of chunk(fromHex(step.feed), chunking)) {
        // One chunk per poll, as a socket would deliver them (a copy: the codec may write into it).
        const used = codec.receive([Buffer.from(piece)], NO_LIMIT, NO_LIMIT, 0, sink);
        consumed += used;
        if (used < piece.length) break;
      }
    } else if ('queue_message' in step) {
      statuses.push(STATUS_NAMES[codec.queue(OPCODE_BY_KIND[step.queue_message], fromHex(step.data))] ?? 'UNKNOWN');
      hold = step.hold === true;
    } else {
      statuses.push(STATUS_NAMES[codec.queueClose(step.queue_close, fromHex(step.reason))] ?? 'UNKNOWN');
      hold = step.hold === true;
    }
    if (!hold) {
      const taken = codec.takeOutput();
      if (taken) {
        output.push(toHex(taken));
        unacknowledged += taken.length;
      }
      codec.acknowledge(unacknowledged);
      unacknowledged = 0;
    }
  }
  const status = codec.closeStatus();
  return {
    file,
    name: trace.name,
    chunking: chunkingIndex,
    consumed,
    statuses,
    records,
    output: output.join(''),
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
