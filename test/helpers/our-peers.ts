/**
 * Our WebSocketPeer dressed as the interop harnesses' peers (test/peers/reports.ts shapes): an
 * echo server on TcpServer + AcceptStream and a client on ConnectToUrl, both driven by a
 * GDScript-style poll loop on a 1 ms timer, so the real-peer tests read the same either way.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Error, TcpServer, WebSocketPeer } from '../../src/index.js';
import {
  standardMessages, type ClientOptions, type ClientReport, type EchoResult, type PeerServer,
  type ServerConnection, type ServerReport,
} from '../peers/index.js';

const { State, WriteMode } = WebSocketPeer;

export interface OurServerOptions {
  protocols?: string[];
  configure?: (peer: WebSocketPeer) => void;
}

/** Echoes with the same frame type; "close:CODE:REASON" makes it close with that code. */
export async function startOurEchoServer(options: OurServerOptions = {}): Promise<PeerServer> {
  const tcp = new TcpServer();
  if (tcp.Listen(0, '127.0.0.1') !== Error.Ok) throw new globalThis.Error('TcpServer.Listen failed');
  const port = tcp.GetLocalPort();
  const peers: { peer: WebSocketPeer; conn: ServerConnection; done: boolean }[] = [];
  let stopped = false;
  let failure: string | null = null;

  const tick = (): void => {
    if (stopped) return;
    try {
      while (tcp.IsConnectionAvailable()) {
        const peer = new WebSocketPeer();
        if (options.protocols) peer.SupportedProtocols = options.protocols;
        options.configure?.(peer);
        if (peer.AcceptStream(tcp.TakeConnection()) !== Error.Ok) throw new globalThis.Error('AcceptStream failed');
        peers.push({
          peer, done: false,
          conn: { id: String(peers.length), protocol: '', messages: [], closeSent: null, closeCode: 1006, closeReason: '', wasClean: null },
        });
      }
      for (const entry of peers) pollServerPeer(entry);
    } catch (error) {
      failure = String(error);
    }
    setTimeout(tick, 1);
  };
  tick();

  function pollServerPeer(entry: { peer: WebSocketPeer; conn: ServerConnection; done: boolean }): void {
    const { peer, conn } = entry;
    if (entry.done) return;
    peer.Poll();
    if (peer.GetReadyState() === State.Open) {
      (conn as { protocol: string }).protocol = peer.GetSelectedProtocol();
      (conn as { path?: string }).path = new URL(peer.GetRequestedUrl()).pathname;
    }
    while (peer.GetAvailablePacketCount() > 0) {
      const data = peer.GetPacket();
      const kind = peer.WasStringPacket() ? 'text' : 'binary';
      const asText = kind === 'text' ? Buffer.from(data).toString('utf8') : '';
      const command = /^close:(\d+):(.*)$/s.exec(asText);
      conn.messages.push({ kind, size: data.length, headHex: Buffer.from(data.subarray(0, 64)).toString('hex'), ...(command ? { command: 'close' as const } : {}) });
      if (command) {
        conn.closeSent = { code: Number(command[1]), reason: command[2]! };
        peer.Close(Number(command[1]), command[2]!);
      } else if (peer.GetReadyState() === State.Open) {
        peer.Send(data, kind === 'text' ? WriteMode.Text : WriteMode.Binary);
      }
    }
    if (peer.GetReadyState() === State.Closed) {
      conn.closeCode = peer.GetCloseCode() === 0 ? 1005 : peer.GetCloseCode() === -1 ? 1006 : peer.GetCloseCode();
      conn.closeReason = peer.GetCloseReason();
      conn.wasClean = peer.GetCloseCode() !== -1;
      entry.done = true;
    }
  }

  const report = (): ServerReport => ({ peer: 'ours', connections: peers.map((p) => p.conn), failure, events: [] });
  return {
    peer: 'ours',
    port,
    url: `ws://127.0.0.1:${port}/`,
    report,
    async waitForDisconnects(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (peers.filter((p) => p.done).length < count) {
        if (Date.now() > deadline) throw new globalThis.Error(`timed out waiting for ${count} disconnects: ${JSON.stringify(report())}`);
        await sleep(5);
      }
      return report();
    },
    async stop() {
      stopped = true;
      for (const p of peers) p.peer.Dispose();
      tcp.Stop();
      return report();
    },
  };
}

/** Sends each message after the previous echo, then closes as asked; reports like the other clients. */
export async function runOurClient(url: string, options: ClientOptions & { configure?: (peer: WebSocketPeer) => void } = {}): Promise<ClientReport> {
  const messages = options.messages ?? standardMessages('ours');
  const close = options.close ?? { by: 'client' as const, code: 1000, reason: '' };
  const peer = new WebSocketPeer();
  if (options.protocols) peer.SupportedProtocols = [...options.protocols];
  options.configure?.(peer);
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const echoes: EchoResult[] = [];
  let opened = false;
  let protocol = '';
  let closeSent: ClientReport['closeSent'] = null;
  let failure: string | null = null;
  let next = 0;
  let awaiting = false;
  if (peer.ConnectToUrl(url) !== Error.Ok) failure = 'ConnectToUrl failed';
  while (!failure) {
    peer.Poll();
    const state = peer.GetReadyState();
    if (state === State.Open && !opened) {
      opened = true;
      protocol = peer.GetSelectedProtocol();
    }
    while (peer.GetAvailablePacketCount() > 0) {
      const data = peer.GetPacket();
      const sent = messages[next - 1]!;
      const echoKind = peer.WasStringPacket() ? 'text' : 'binary';
      echoes.push({ index: next - 1, kind: sent.kind, size: sent.data.length, echoKind, echoSize: data.length, ok: echoKind === sent.kind && Buffer.from(data).equals(Buffer.from(sent.data)) });
      awaiting = false;
    }
    if (state === State.Open && !awaiting) {
      if (next < messages.length) {
        const m = messages[next++]!;
        peer.Send(m.data, m.kind === 'text' ? WriteMode.Text : WriteMode.Binary);
        awaiting = true;
      } else if (!closeSent && close.by === 'client') {
        closeSent = { code: close.code, reason: close.reason };
        peer.Close(close.code, close.reason);
      } else if (close.by === 'server' && next === messages.length) {
        peer.SendText(`close:${close.code}:${close.reason}`);
        next++;
      }
    }
    if (state === State.Closed) break;
    if (Date.now() > deadline) failure = `timed out in state ${state}`;
    await sleep(1);
  }
  const code = peer.GetCloseCode();
  const report: ClientReport = {
    peer: 'ours', opened, protocol, extensions: '', echoes,
    allEchoed: echoes.length === messages.length && echoes.every((e) => e.ok),
    closeSent, closeCode: code === 0 ? 1005 : code === -1 ? 1006 : code, closeReason: peer.GetCloseReason(),
    wasClean: code !== -1, failure: failure ?? (opened ? null : `never opened: ${peer.GetCloseReason()}`), events: [],
  };
  peer.Dispose();
  if (report.failure && !options.expectFailure) throw new globalThis.Error(`our client failed: ${JSON.stringify(report)}`);
  return report;
}
