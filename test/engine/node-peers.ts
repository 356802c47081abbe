/**
 * The Node side of the engine echo tests, written with this package's own WebSocketPeer and
 * TcpServer the way a user ports GDScript: a Poll() loop. Each function is the only place its
 * peer is made, so swapping the implementation (e.g. to the ws package) touches one function.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Error } from '../../src/core/error.js';
import { TcpServer } from '../../src/net/tcp-server.js';
import { WebSocketPeer } from '../../src/websocket/websocket-peer.js';

export interface Message {
  kind: 'text' | 'binary';
  data: Uint8Array;
}

export interface NodeSideResult {
  /** Messages the Node peer received, hex, in order. */
  received: { kind: string; data: string }[];
  closeCode: number;
  closeReason: string;
}

const POLL_MS = 2;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function drain(peer: WebSocketPeer, into: NodeSideResult['received'], echo: boolean): void {
  while (peer.GetAvailablePacketCount() > 0) {
    const data = peer.GetPacket();
    const kind = peer.WasStringPacket() ? 'text' : 'binary';
    into.push({ kind, data: hex(data) });
    if (echo) peer.Send(data, kind === 'text' ? WebSocketPeer.WriteMode.Text : WebSocketPeer.WriteMode.Binary);
  }
}

async function until(condition: () => boolean, deadline: number, what: string, step: () => void): Promise<void> {
  while (!condition()) {
    if (Date.now() > deadline) throw new globalThis.Error(`timed out waiting for ${what}`);
    step();
    await sleep(POLL_MS);
  }
}

/** Connects to url, sends the messages, waits for as many back, closes with 1000 "bye from node". */
export async function nodeClient(url: string, messages: Message[], timeoutMs: number): Promise<NodeSideResult> {
  const deadline = Date.now() + timeoutMs;
  const peer = new WebSocketPeer();
  const result: NodeSideResult = { received: [], closeCode: -1, closeReason: '' };
  if (peer.ConnectToUrl(url) !== Error.Ok) throw new globalThis.Error(`ConnectToUrl(${url}) failed`);
  const poll = () => peer.Poll();
  await until(() => peer.GetReadyState() !== WebSocketPeer.State.Connecting, deadline, 'the handshake', poll);
  if (peer.GetReadyState() !== WebSocketPeer.State.Open) throw new globalThis.Error('the handshake failed');
  for (const message of messages) {
    const error = message.kind === 'text'
      ? peer.Send(message.data, WebSocketPeer.WriteMode.Text)
      : peer.Send(message.data, WebSocketPeer.WriteMode.Binary);
    if (error !== Error.Ok) throw new globalThis.Error(`Send failed with ${error}`);
  }
  await until(() => result.received.length >= messages.length, deadline, 'the echoes', () => {
    peer.Poll();
    drain(peer, result.received, false);
  });
  peer.Close(1000, 'bye from node');
  await until(() => peer.GetReadyState() === WebSocketPeer.State.Closed, deadline, 'the close', poll);
  result.closeCode = peer.GetCloseCode();
  result.closeReason = peer.GetCloseReason();
  return result;
}

/** An echo server on 127.0.0.1 for one connection; close() stops it. */
export function nodeEchoServer(timeoutMs: number): { port: number; done: Promise<NodeSideResult>; close: () => void } {
  const server = new TcpServer();
  if (server.Listen(0, '127.0.0.1') !== Error.Ok) throw new globalThis.Error('TcpServer.Listen failed');
  const deadline = Date.now() + timeoutMs;
  const done = (async () => {
    const result: NodeSideResult = { received: [], closeCode: -1, closeReason: '' };
    await until(() => server.IsConnectionAvailable(), deadline, 'a connection', () => {});
    const peer = new WebSocketPeer();
    if (peer.AcceptStream(server.TakeConnection()) !== Error.Ok) throw new globalThis.Error('AcceptStream failed');
    await until(() => peer.GetReadyState() === WebSocketPeer.State.Closed, deadline, 'the client to close', () => {
      peer.Poll();
      drain(peer, result.received, true);
    });
    result.closeCode = peer.GetCloseCode();
    result.closeReason = peer.GetCloseReason();
    server.Stop();
    return result;
  })();
  return { port: server.GetLocalPort(), done, close: () => server.Stop() };
}
