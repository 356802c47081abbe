/**
 * Close reasons of handshakes that failed: the codec's stable result name, then its sentence
 * ("BAD_ACCEPT: The Sec-WebSocket-Accept header is missing or wrong."), and what the peer sent
 * when that helps. Godot leaves the reason empty here; the name lets a program tell the causes apart.
 * @internal
 */
import { HandshakeResult, native } from '../native/addon.js';

const MAX_QUOTED = 80;

export function handshakeFailureReason(result: number, received?: Uint8Array): string {
  const reason = `${native.resultName(result)}: ${native.resultMessage(result)}`;
  const quotable = result === HandshakeResult.BadStatusLine || result === HandshakeResult.BadRequestLine;
  return quotable && received && received.length > 0 ? `${reason} It sent ${quoteStartLine(received)}.` : reason;
}

/** The first line of what a peer sent, quoted, printable ASCII only and at most 80 characters. */
export function quoteStartLine(bytes: Uint8Array): string {
  let end = bytes.indexOf(0x0a);
  if (end < 0) end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0d) end--;
  const shown = Array.from(bytes.subarray(0, Math.min(end, MAX_QUOTED)), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '?')).join('');
  return `"${shown}${end > MAX_QUOTED ? '…' : ''}"`;
}
