// The raw TCP baseline's framing: a 4-byte big-endian length, then the payload. The reader hands
// each message over as one contiguous Buffer (a view when it sits in one chunk, a copy when it
// spans chunks), as an application receiving whole messages needs it.

export function lengthHeader(length) {
  const header = Buffer.allocUnsafe(4);
  header.writeUInt32BE(length, 0);
  return header;
}

export class LengthPrefixedReader {
  constructor(onMessage) {
    this.onMessage = onMessage;
    this.chunks = [];
    this.buffered = 0;
    this.need = -1; // payload length of the message in progress, -1 while its header is incomplete
  }

  push(chunk) {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.need < 0) {
        if (this.buffered < 4) return;
        this.need = this.take(4).readUInt32BE(0);
      }
      if (this.buffered < this.need) return;
      const length = this.need;
      this.need = -1;
      this.onMessage(this.take(length));
    }
  }

  /** The next `count` buffered bytes as one Buffer. */
  take(count) {
    const head = this.chunks[0];
    if (head.length >= count) {
      const out = head.subarray(0, count);
      if (head.length === count) this.chunks.shift();
      else this.chunks[0] = head.subarray(count);
      this.buffered -= count;
      return out;
    }
    const out = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.chunks[0];
      const n = Math.min(chunk.length, count - filled);
      chunk.copy(out, filled, 0, n);
      filled += n;
      if (n === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(n);
    }
    this.buffered -= count;
    return out;
  }
}
