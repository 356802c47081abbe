// The addon's one receive path as WebSocketPeer uses it (Session.receive through CodecSession):
// every chunk of a poll fed in one call within the room given, messages of 1 KiB or more that lie
// whole in one chunk unmasked in place and handed out as views of that chunk, messages of 1 MiB
// or more that span chunks assembled in a Buffer of their own, the rest copied. Same messages
// whatever the chunking, the chunks per poll and the room.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CodecSession, type InboundSink } from '../src/websocket/codec-session.js';

interface Sent { data: Buffer; text: boolean }
interface Got { data: Uint8Array; text: boolean }

/** A masked client frame: FIN unless `fin` is false, the opcode as given. */
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

function messages(count: number, sizes: number[]): Sent[] {
  return Array.from({ length: count }, (_, i) => {
    const size = sizes[i % sizes.length]!;
    const text = i % 3 === 0;
    const data = text ? Buffer.from('é€'.repeat(Math.floor(size / 5)) + 'a'.repeat(size % 5)) : randomBytes(size);
    return { data, text };
  });
}

const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** Polls `stream` in chunks as WebSocketPeer does, with the given room per poll. */
function receiveAll(stream: Buffer, chunkSize: number, chunksPerPoll: number, messageRoom = NO_LIMIT, byteRoom = NO_LIMIT) {
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
    expect(codec.closeStatus().failure).toBe('');
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

describe('per-poll receive', () => {
  const small = messages(600, [0, 5, 125, 126, 1023, 1024, 3000, 70_000]);
  const smallStream = wire(small);
  const large = messages(48, [16_383, 16_384, 5, 65_536, 40_000, 1024, 300_000, 20]);
  const largeStream = wire(large);

  it.each([
    [smallStream.length, 1], // everything in one chunk: far more records than the first meta array holds
    [65536, 1],
    [65536, 3],
    [4096, 2],
    [1000, 4],
    [7, 50],
  ])('delivers every message byte-exact with %i-byte chunks, %i per poll', (chunkSize, perPoll) => {
    expectSame(receiveAll(smallStream, chunkSize, perPoll), small);
  });

  it.each([
    [65536, 1],
    [65536, 3],
    [4096, 1000], // all in one poll
    [1000, 7],
    [7, 3000],
  ])('delivers messages that span chunks byte-exact with %i-byte chunks, %i per poll', (chunkSize, perPoll) => {
    expectSame(receiveAll(largeStream, chunkSize, perPoll), large);
  });

  it('delivers every message under message and byte room limits, the room counted across the chunks of a poll', () => {
    expectSame(receiveAll(largeStream, 65536, 2, 1, NO_LIMIT), large);
    expectSame(receiveAll(largeStream, 65536, 2, NO_LIMIT, 300_000), large);
    expectSame(receiveAll(largeStream, 4096, 50, 2, 70_000 * 8), large);
    expectSame(receiveAll(smallStream, 1000, 20, 3, 80_000), small);
  });

  it('delivers messages of a megabyte and more byte-exact in every chunking and under the rooms', () => {
    const huge = messages(6, [1_048_576, 10, 1_500_000, 70_000, 2_000_001, 1_048_575]);
    const hugeStream = wire(huge);
    expectSame(receiveAll(hugeStream, 65536, 1), huge);
    expectSame(receiveAll(hugeStream, 65536, 40), huge);
    expectSame(receiveAll(hugeStream, 4096, 10_000), huge); // all in one poll
    expectSame(receiveAll(hugeStream, 100_000, 3, 1, NO_LIMIT), huge);
    expectSame(receiveAll(hugeStream, 65536, 8, NO_LIMIT, 2_100_000), huge);
  });

  it('hands a message of a megabyte that spans chunks out as a Buffer of its own', () => {
    const data = randomBytes(1_048_576);
    const stream = wire([{ data, text: false }, { data: Buffer.from('after'), text: false }]);
    const got = receiveAll(stream, 65536, 5);
    expect(got).toHaveLength(2);
    expect(got[0]!.data.byteOffset).toBe(0);
    expect(got[0]!.data.buffer.byteLength).toBe(data.length);
    expect(Buffer.from(got[0]!.data).equals(data)).toBe(true);
  });

  it('hands a large message out as a view of the socket chunk, unmasked where it lay', () => {
    const data = randomBytes(4096);
    const chunk = wire([{ data, text: false }]);
    const codec = new CodecSession({ role: 'server', maxMessageSize: 0 });
    let view: Uint8Array | null = null;
    codec.receive([chunk], 10, NO_LIMIT, 0, { message: (d) => { view = d; }, pong() {}, ping() {} });
    expect(view!.buffer).toBe(chunk.buffer);
    expect(Buffer.from(view!).equals(data)).toBe(true);
    expect(chunk.subarray(chunk.length - 4096).equals(data)).toBe(true); // the chunk itself was unmasked
  });

  it('resolves a view against its own chunk when one poll brings several', () => {
    const a = randomBytes(2000);
    const b = randomBytes(3000);
    const chunks = [frame(Buffer.from('x'), 1), frame(a, 2), frame(b, 2)];
    const codec = new CodecSession({ role: 'server', maxMessageSize: 0 });
    const got: Uint8Array[] = [];
    codec.receive(chunks, NO_LIMIT, NO_LIMIT, 0, { message: (d) => got.push(d), pong() {}, ping() {} });
    expect(got.map((d) => d.buffer === chunks[1]!.buffer || d.buffer === chunks[2]!.buffer)).toEqual([false, true, true]);
    expect(Buffer.from(got[1]!).equals(a) && Buffer.from(got[2]!).equals(b)).toBe(true);
  });

  it('copies small messages, so a view never pins a socket chunk for a few bytes', () => {
    const chunk = wire([{ data: Buffer.from('tiny'), text: true }]);
    const codec = new CodecSession({ role: 'server' });
    let view: Uint8Array | null = null;
    codec.receive([chunk], 10, NO_LIMIT, 0, { message: (d) => { view = d; }, pong() {}, ping() {} });
    expect(view!.buffer).not.toBe(chunk.buffer);
  });

  it('hands pings and pongs to the sink with their payloads; the pong reply is queued', () => {
    const codec = new CodecSession({ role: 'server' });
    const seen: string[] = [];
    const sink: InboundSink = { message() {}, ping: (d) => seen.push(`ping ${Buffer.from(d)}`), pong: (d) => seen.push(`pong ${Buffer.from(d)}`) };
    codec.receive([Buffer.concat([frame(Buffer.from('p1'), 9), frame(Buffer.from('p2'), 10)])], NO_LIMIT, NO_LIMIT, 0, sink);
    expect(seen).toEqual(['ping p1', 'pong p2']);
    expect([...codec.takeOutput()!]).toEqual([0x8a, 2, ...Buffer.from('p1')]);
  });

  it('fails with INVALID_UTF8 mid-message, delivers nothing of it and queues close 1007', () => {
    const text = Buffer.from('é'.repeat(20_000));
    text[30_000] = 0xff;
    const bytes = Buffer.concat([frame(Buffer.from('ok'), 1), frame(text, 1), frame(Buffer.from('never'), 1)]);
    const codec = new CodecSession({ role: 'server', maxMessageSize: 0 });
    const got: string[] = [];
    const sink: InboundSink = { message: (data) => got.push(Buffer.from(data).toString()), pong() {}, ping() {} };
    for (let at = 0; at < bytes.length; at += 8192) {
      codec.receive([Buffer.from(bytes.subarray(at, at + 8192))], NO_LIMIT, NO_LIMIT, 0, sink);
    }
    expect(got).toEqual(['ok']);
    expect(codec.closeStatus()).toEqual({ failure: 'INVALID_UTF8', failureCloseCode: 1007, receivedCloseCode: -1, receivedCloseReason: '' });
    expect([...codec.takeOutput()!.subarray(0, 4)]).toEqual([0x88, 2, 0x03, 0xef]);
  });

  it('assembles fragmented messages, and refuses a message over maxMessageSize at its header', () => {
    const first = randomBytes(30_000);
    const second = randomBytes(30_000);
    const got = receiveAll(Buffer.concat([frame(first, 2, false), frame(second, 0, true)]), 4096, 1);
    expect(got).toHaveLength(1);
    expect(Buffer.from(got[0]!.data).equals(Buffer.concat([first, second]))).toBe(true);
    const codec = new CodecSession({ role: 'server', maxMessageSize: 20_000 });
    const none: Got[] = [];
    const sink: InboundSink = { message: (d, text) => none.push({ data: d, text }), pong() {}, ping() {} };
    codec.receive([Buffer.from(frame(randomBytes(30_000), 2))], NO_LIMIT, NO_LIMIT, 0, sink);
    expect(none).toHaveLength(0);
    expect(codec.closeStatus().failure).toBe('MESSAGE_TOO_BIG');
  });

  it('reports a peer\'s close code and reason without any wrapper object', () => {
    const codec = new CodecSession({ role: 'server' });
    codec.receive([frame(Buffer.concat([Buffer.from([0x0f, 0xa1]), Buffer.from('bye é')]), 8)], NO_LIMIT, NO_LIMIT, 0, { message() {}, ping() {}, pong() {} });
    expect(codec.closeStatus()).toEqual({ failure: '', failureCloseCode: 0, receivedCloseCode: 4001, receivedCloseReason: 'bye é' });
  });
});
