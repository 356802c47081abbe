/**
 * Collects an HTTP head (request or response) from received chunks, up to the codec's cap
 * (MAX_HEADER_SIZE), and hands back the bytes that followed it (the first WebSocket frames).
 * @internal
 */
import { HandshakeResult, native } from '../native/addon.js';
import { MAX_HEADER_SIZE } from '../native/constants.js';

export type HeadResult =
  | { status: 'incomplete' }
  | { status: 'too-large' }
  | { status: 'complete'; head: Buffer; rest: Buffer[] };

export class HeadReader {
  private collected: Buffer = Buffer.alloc(0);

  /** Adds chunks; once the head is complete, returns it and the bytes after it. */
  add(chunks: Buffer[]): HeadResult {
    if (chunks.length > 0) this.collected = Buffer.concat([this.collected, ...chunks]);
    // Only the first MAX_HEADER_SIZE bytes can hold the head; never scan more.
    const window = this.collected.length > MAX_HEADER_SIZE ? this.collected.subarray(0, MAX_HEADER_SIZE) : this.collected;
    const [result, length] = native.findHeaderEnd(window);
    if (result === HandshakeResult.Ok) {
      const head = this.collected.subarray(0, length);
      const rest = this.collected.length > length ? [this.collected.subarray(length)] : [];
      this.collected = Buffer.alloc(0);
      return { status: 'complete', head, rest };
    }
    if (result === HandshakeResult.HeaderTooLarge) return { status: 'too-large' };
    return { status: 'incomplete' };
  }
}
