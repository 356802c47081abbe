/**
 * The close reason of a handshake the codec refused: its stable result name, then the codec's
 * sentence ("BAD_ACCEPT: The Sec-WebSocket-Accept header is missing or wrong."). Godot leaves
 * the reason empty here; the name lets a program tell the causes apart.
 * @internal
 */
import { native } from '../native/addon.js';

export function handshakeFailureReason(result: number): string {
  return `${native.resultName(result)}: ${native.resultMessage(result)}`;
}
