// The addon's per-poll receive path as WebSocketPeer uses it: every chunk fed in one call,
// messages of 1 KiB or more that lie whole in one chunk unmasked in place and handed out as views
// of that chunk, the rest copied. Same messages whatever the chunking.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CodecSession, type InboundSink } from '../src/websocket/codec-session.js';

interface Sent { data: Buffer; text: boolean }

/** Masked client frames for the messages, as one wire buffer. */
function wire(messages: Sent[]): Buffer {
  const frames = messages.map(({ data, text }) => {
    const size = data.length;
    const header = size < 126 ? Buffer.from([0, 0x80 | size]) : size <= 0xffff ? Buffer.alloc(4) : Buffer.alloc(10);
    if (size >= 126 && size <= 0xffff) { header[1] = 0x80 | 126; header.writeUInt16BE(size, 2); }
    if (size > 0xffff) { header[1] = 0x80 | 127; header.writeBigUInt64BE(BigInt(size), 2); }
    header[0] = 0x80 | (text ? 1 : 2);
    const key = randomBytes(4);
    const body = Buffer.from(data.map((b, i) => b ^ key[i & 3]!));
    return Buffer.concat([header, key, body]);
  });
  return Buffer.concat(frames);
}

function messages(count: number): Sent[] {
  return Array.from({ length: count }, (_, i) => {
    const size = [0, 5, 125, 126, 1023, 1024, 3000, 70_000][i % 8]!;
    const text = i % 3 === 0;
    const data = text ? Buffer.from('é'.repeat(size >> 1) + (size & 1 ? 'a' : '')) : randomBytes(size);
    return { data, text };
  });
}

function receiveAll(stream: Buffer, chunkSize: number, chunksPerPoll: number) {
  const codec = new CodecSession({ role: 'server', maxMessageSize: 0 });
  const got: { data: Uint8Array; text: boolean }[] = [];
  const sink: InboundSink = { message: (data, text) => got.push({ data, text }), pong() {}, ping() {} };
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length; at += chunkSize) chunks.push(Buffer.from(stream.subarray(at, at + chunkSize)));
  let pending: Buffer[] = [];
  let next = 0;
  while (next < chunks.length || pending.length > 0) {
    const input = [...pending, ...chunks.slice(next, next + chunksPerPoll)];
    next += chunksPerPoll;
    let consumed = codec.receive(input, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0, sink);
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

describe('per-poll receive', () => {
  const sent = messages(600);
  const stream = wire(sent);

  it.each([
    [stream.length, 1], // everything in one chunk: far more records than the first meta array holds
    [65536, 1],
    [65536, 3],
    [4096, 2],
    [1000, 4],
    [7, 50],
  ])('delivers every message byte-exact with %i-byte chunks, %i per poll', (chunkSize, perPoll) => {
    const got = receiveAll(stream, chunkSize, perPoll);
    expect(got).toHaveLength(sent.length);
    got.forEach((g, i) => {
      expect(g.text).toBe(sent[i]!.text);
      expect(Buffer.from(g.data).equals(sent[i]!.data)).toBe(true);
    });
  });

  it('hands a large message out as a view of the socket chunk, unmasked where it lay', () => {
    const data = randomBytes(4096);
    const chunk = wire([{ data, text: false }]);
    const codec = new CodecSession({ role: 'server' , maxMessageSize: 0 });
    let view: Uint8Array | null = null;
    codec.receive([chunk], 10, Number.MAX_SAFE_INTEGER, 0, { message: (d) => { view = d; }, pong() {}, ping() {} });
    expect(view!.buffer).toBe(chunk.buffer);
    expect(Buffer.from(view!).equals(data)).toBe(true);
    expect(chunk.subarray(chunk.length - 4096).equals(data)).toBe(true); // the chunk itself was unmasked
  });

  it('copies small messages, so a view never pins a socket chunk for a few bytes', () => {
    const chunk = wire([{ data: Buffer.from('tiny'), text: true }]);
    const codec = new CodecSession({ role: 'server' });
    let view: Uint8Array | null = null;
    codec.receive([chunk], 10, Number.MAX_SAFE_INTEGER, 0, { message: (d) => { view = d; }, pong() {}, ping() {} });
    expect(view!.buffer).not.toBe(chunk.buffer);
  });
});
