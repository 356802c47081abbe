/**
 * WebSocketPeer.AcceptHttpUpgrade's part: turns the 'upgrade' event of a node:http or node:https
 * server into a connected stream that holds the request again, so that the peer serves it
 * exactly as AcceptStream serves a TcpServer stream (the codec parses and judges the request and
 * writes the same answers). Node has already parsed the head: it is written back in HTTP/1.1
 * form from what Node read (method, target, version and the raw header lines, in order), followed
 * by the bytes Node read past the head. No HTTP rule lives here.
 * @internal
 */
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { StreamPeer } from '../core/stream-peer.js';
import { StreamPeerTcp } from '../net/stream-peer-tcp.js';
import { StreamPeerTls } from '../tls/stream-peer-tls.js';

/** The request head as it arrived, rebuilt from Node's parse: "GET /x HTTP/1.1\r\nHost: …\r\n\r\n". */
export function requestHead(request: IncomingMessage): Buffer {
  const lines = [`${request.method ?? ''} ${request.url ?? ''} HTTP/${request.httpVersion}`];
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) lines.push(`${raw[i]}: ${raw[i + 1]}`);
  // latin1: Node decoded the head byte for byte (header values may hold bytes above 0x7F).
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/**
 * The upgraded connection as a stream in the state AcceptStream expects from a TcpServer: a
 * Connected StreamPeerTcp (node:http), or a Connected StreamPeerTls over one (node:https), with
 * the request head and the early bytes already received.
 */
export function streamFromUpgrade(request: IncomingMessage, socket: Socket, head: Uint8Array): StreamPeer {
  // An http.Server sets timeouts for requests; an upgraded connection lives as long as it is used.
  socket.setTimeout(0);
  const stream = socket instanceof TLSSocket ? StreamPeerTls.fromSecureSocket(socket) : StreamPeerTcp.fromAccepted(socket);
  const pipe = stream.pipe!;
  pipe.receiveData(requestHead(request));
  if (head.length > 0) pipe.receiveData(Buffer.from(head.buffer, head.byteOffset, head.length));
  return stream;
}

/** Why these arguments are not an 'upgrade' event's, or null. */
export function checkUpgradeArguments(request: unknown, socket: unknown, head: unknown): string | null {
  const isRequest = typeof request === 'object' && request !== null && typeof (request as IncomingMessage).method === 'string' &&
    Array.isArray((request as IncomingMessage).rawHeaders) && typeof (request as IncomingMessage).httpVersion === 'string';
  if (!isRequest) return 'expected the request (http.IncomingMessage) of an http.Server "upgrade" event';
  if (!(socket instanceof Socket)) return 'expected the socket (net.Socket or tls.TLSSocket) of an http.Server "upgrade" event';
  if (!(head instanceof Uint8Array)) return 'expected the head (a Buffer) of an http.Server "upgrade" event';
  return null;
}
