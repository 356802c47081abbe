/**
 * Collects an HTTP head (a request or a response) from received chunks, up to the codec's cap
 * (MAX_HEADER_SIZE), and hands back the bytes that followed it (the first WebSocket frames). Bytes
 * that cannot start such a head (a TLS handshake, anything but "GET " / "HTTP/1.1 ") are refused
 * as soon as they arrive, rather than waiting for a CRLFCRLF that never comes.
 * @internal
 */
import { HandshakeResult, native } from '../native/addon.js';
import { MAX_HEADER_SIZE } from '../native/constants.js';

export type HeadResult =
  | { status: 'incomplete' }
  | { status: 'refused'; result: HandshakeResult; received: Buffer }
  | { status: 'complete'; head: Buffer; rest: Buffer[] };

/** Shared, never mutated: a reader holds no buffer of its own until bytes arrive. */
const NOTHING = Buffer.alloc(0);
const NO_REST: Buffer[] = [];
const INCOMPLETE: HeadResult = Object.freeze({ status: 'incomplete' });

export class HeadReader {
  private collected: Buffer = NOTHING;

  constructor(private readonly isRequest: boolean) {}

  /** What has arrived so far (for diagnostics). */
  get received(): Buffer {
    return this.collected;
  }

  /** Adds chunks; once the head is complete, returns it and the bytes after it. */
  add(chunks: Buffer[]): HeadResult {
    // Nothing new: the answer is the one the last call gave (still incomplete).
    if (chunks.length === 0) return INCOMPLETE;
    // A head that arrives in one chunk (the usual case) is read where it lies: no copy.
    if (chunks.length === 1 && this.collected.length === 0) this.collected = chunks[0]!;
    else this.collected = Buffer.concat([this.collected, ...chunks]);
    // Only the first MAX_HEADER_SIZE bytes can hold the head; never scan more.
    const window = this.collected.length > MAX_HEADER_SIZE ? this.collected.subarray(0, MAX_HEADER_SIZE) : this.collected;
    const [result, length] = native.findHeaderEnd(window);
    if (result === HandshakeResult.Ok) {
      const head = this.collected.subarray(0, length);
      const rest = this.collected.length > length ? [this.collected.subarray(length)] : NO_REST;
      this.collected = NOTHING;
      return { status: 'complete', head, rest };
    }
    const start = native.checkHeadStart(window, this.isRequest);
    if (start !== HandshakeResult.Ok) return { status: 'refused', result: start, received: window };
    if (result === HandshakeResult.HeaderTooLarge) return { status: 'refused', result, received: window };
    return INCOMPLETE;
  }
}
