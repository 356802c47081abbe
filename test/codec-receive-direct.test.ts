// Direct receive: a single-frame message of 16 KiB or more that spans socket chunks is unmasked
// straight into a Buffer of its own (allocated when its header is parsed) and handed out as that
// Buffer. Same messages as the copy path in every chunking and under back-pressure; a failure
// mid-message delivers nothing; a message begun by receive() can still be finished by feed().
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CodecSession, type InboundSink } from '../src/websocket/codec-session.js';

interface Sent { data: Buffer; text: boolean }

/** Masked client frames, FIN unless `fin` is false; opcode from `text` (or continuation). */
function frame(data: Buffer, opcode: number, fin = true): Buffer {
  const size = data.length;
  const header = size < 126 ? Buffer.from([0, 0x80 | size]) : size <= 0xffff ? Buffer.alloc(4) : Buffer.alloc(10);
  if (size >= 126 && size <= 0xffff) { header[1] = 0x80 | 126; header.writeUInt16BE(size, 2); }
  if (size > 0xffff) { header[1] = 0x80 | 127; header.writeBigUInt64BE(BigInt(size), 2); }
  header[0] = (fin ? 0x80 : 0) | opcode;
  const key = randomBytes(4);
  return Buffer.concat([header, key, Buffer.from(data.map((b, i) => b ^ key[i & 3]!))]);
}

const wire = (messages: Sent[]) => Buffer.concat(messages.map(({ data, text }) => frame(data, text ? 1 : 2)));

function messages(count: number): Sent[] {
  return Array.from({ length: count }, (_, i) => {
    const size = [16_383, 16_384, 5, 65_536, 40_000, 1024, 300_000, 20][i % 8]!;
    const text = i % 3 === 0;
    const data = text ? Buffer.from('é€'.repeat(Math.floor(size / 5)) + 'a'.repeat(size % 5)) : randomBytes(size);
    return { data, text };
  });
}

interface Got { data: Uint8Array; text: boolean }

/** Polls `stream` in chunks as WebSocketPeer does, with the given rooms per poll. */
function receiveAll(stream: Buffer, chunkSize: number, chunksPerPoll: number, messageRoom = Number.MAX_SAFE_INTEGER, byteRoom = Number.MAX_SAFE_INTEGER) {
  const codec = new CodecSession({ role: 'server', maxMessageSize: 0 });
  const got: Got[] = [];
  const sink: InboundSink = { message: (data, text) => got.push({ data, text }), pong() {}, ping() {} };
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length; at += chunkSize) chunks.push(Buffer.from(stream.subarray(at, at + chunkSize)));
  let pending: Buffer[] = [];
  let next = 0;
  let idle = 0;
  while ((next < chunks.length || pending.length > 0) && idle < 3) {
    const input = [...pending, ...chunks.slice(next, next + chunksPerPoll)];
    next += chunksPerPoll;
    const before = got.length;
    let consumed = codec.receive(input, messageRoom, byteRoom, 0, sink);
    idle = consumed === 0 && got.length === before ? idle + 1 : 0;
    pending = [];
    for (const chunk of input) {
      if (consumed >= chunk.length) { consumed -= chunk.length; continue; }
      pending.push(chunk.subarray(consumed));
      consumed = 0;
    }
    expect(codec.state.failure).toBe('');
  }
  return got;
}

function expectSame(got: Got[], sent: Sent[]) {
  expect(got).toHaveLength(sent.length);
  got.forEach((g, i) => {
    expect(g.text).toBe(sent[i]!.text);
    expect(Buffer.from(g.data).equals(sent[i]!.data)).toBe(true);
  });
}

describe('direct receive', () => {
  const sent = messages(48);
  const stream = wire(sent);

  it.each([
    [65536, 1],
    [65536, 3],
    [4096, 2],
    [4096, 1000], // all in one poll: more records than the first meta array holds
    [1000, 7],
    [7, 3000],
  ])('delivers every message byte-exact with %i-byte chunks, %i per poll', (chunkSize, perPoll) => {
    expectSame(receiveAll(stream, chunkSize, perPoll), sent);
  });

  it('delivers every message under message and byte room limits', () => {
    expectSame(receiveAll(stream, 65536, 2, 1, Number.MAX_SAFE_INTEGER), sent);
    expectSame(receiveAll(stream, 65536, 2, Number.MAX_SAFE_INTEGER, 300_000), sent);
    expectSame(receiveAll(stream, 4096, 50, 2, 70_000 * 8), sent);
  });

  it('hands a spanning message out as a Buffer of exactly its bytes, not a view of a shared one', () => {
    const large = randomBytes(20_000);
    const small = Buffer.from('after');
    const bytes = wire([{ data: large, text: false }, { data: small, text: true }]);
    const codec = new CodecSession({ role: 'server', maxMessageSize: 0 });
    const got: Got[] = [];
    const sink: InboundSink = { message: (data, text) => got.push({ data, text }), pong() {}, ping() {} };
    codec.receive([Buffer.from(bytes.subarray(0, 5000))], Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0, sink);
    expect(got).toHaveLength(0);
    codec.receive([Buffer.from(bytes.subarray(5000))], Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0, sink);
    expect(got).toHaveLength(2);
    expect(Buffer.from(got[0]!.data).equals(large)).toBe(true);
    // Its own Buffer: the copy path would give a view into one buffer holding both payloads.
    expect(got[0]!.data.byteOffset).toBe(0);
    expect(got[0]!.data.buffer.byteLength).toBe(large.length);
    expect(Buffer.from(got[1]!.data).toString()).toBe('after');
  });

  it('hands out its Buffers when a poll completes more records than the first meta array holds', () => {
    // Under 1 MiB in one poll (larger polls keep the copy path, which then hands its store over).
    const many: Sent[] = [
      ...Array.from({ length: 300 }, (_, i) => ({ data: Buffer.from(`m${i}`), text: true })),
      { data: randomBytes(20_000), text: false },
      ...Array.from({ length: 300 }, (_, i) => ({ data: Buffer.from(`n${i}`), text: false })),
      { data: randomBytes(30_000), text: false },
    ];
    const got = receiveAll(wire(many), 4096, 1000);
    expectSame(got, many);
    expect(got[300]!.data.buffer.byteLength).toBe(20_000);
    expect(got[601]!.data.buffer.byteLength).toBe(30_000);
  });

  it('fails with INVALID_UTF8 mid-message and delivers nothing of it', () => {
    const text = Buffer.from('é'.repeat(20_000));
    text[30_000] = 0xff;
    const bytes = Buffer.concat([frame(Buffer.from('ok'), 1), frame(text, 1), frame(Buffer.from('never'), 1)]);
    const codec = new CodecSession({ role: 'server', maxMessageSize: 0 });
    const got: string[] = [];
    const sink: InboundSink = { message: (data) => got.push(Buffer.from(data).toString()), pong() {}, ping() {} };
    for (let at = 0; at < bytes.length; at += 8192) {
      codec.receive([Buffer.from(bytes.subarray(at, at + 8192))], Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0, sink);
    }
    expect(got).toEqual(['ok']);
    expect(codec.state.failure).toBe('INVALID_UTF8');
    // The close it queued: 1007.
    const out = codec.takeOutput();
    expect([...out.subarray(0, 4)]).toEqual([0x88, 2, 0x03, 0xef]);
  });

  it('finishes through feed() and takeRecords() a message receive() began in its own Buffer', () => {
    const data = randomBytes(50_000);
    const bytes = frame(data, 2);
    const codec = new CodecSession({ role: 'server', maxMessageSize: 0 });
    const got: Got[] = [];
    const sink: InboundSink = { message: (d, text) => got.push({ data: d, text }), pong() {}, ping() {} };
    codec.receive([Buffer.from(bytes.subarray(0, 20_000))], Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0, sink);
    expect(got).toHaveLength(0);
    const small = frame(Buffer.from('tail'), 1);
    expect(codec.feed(Buffer.concat([bytes.subarray(20_000), small]))).toBe(bytes.length - 20_000 + small.length);
    const records = codec.takeRecords();
    expect(records.map((r) => r.kind)).toEqual(['binary', 'text']);
    expect(Buffer.from(records[0]!.data).equals(data)).toBe(true);
    expect(Buffer.from(records[1]!.data).toString()).toBe('tail');
  });

  it('keeps fragmented and limited messages on the copy path with the same bytes', () => {
    const first = randomBytes(30_000);
    const second = randomBytes(30_000);
    const bytes = Buffer.concat([frame(first, 2, false), frame(second, 0, true)]);
    const got = receiveAll(bytes, 4096, 1);
    expect(got).toHaveLength(1);
    expect(Buffer.from(got[0]!.data).equals(Buffer.concat([first, second]))).toBe(true);
    // maxMessageSize below the declared length: refused at the header, nothing allocated or delivered.
    const codec = new CodecSession({ role: 'server', maxMessageSize: 20_000 });
    const none: Got[] = [];
    const sink: InboundSink = { message: (d, text) => none.push({ data: d, text }), pong() {}, ping() {} };
    codec.receive([Buffer.from(frame(randomBytes(30_000), 2))], Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0, sink);
    expect(none).toHaveLength(0);
    expect(codec.state.failure).toBe('MESSAGE_TOO_BIG');
  });
});
