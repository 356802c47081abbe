// The `ws` npm package (in-process) as an echo server and a client, reporting in the same shapes
// as the other peers so a test reads the same whichever peer it drives.
//
// ws's own defaults are kept: its client offers permessage-deflate, its server accepts none.
// ws does not expose a "clean" flag: a close counts as clean when a close frame arrived
// (close code other than 1006).

import type { IncomingHttpHeaders } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import {
  ServerEventLog, describeClient, standardMessages, toClientReport,
  type ClientOptions, type ClientReport, type PeerEvent, type PeerServer, type ServerOptions, type ServerReport,
} from './reports.js';

export interface WsClientOptions extends ClientOptions {
  /** Offer permessage-deflate (ws's default: true). */
  readonly deflate?: boolean;
  /** Extra request headers. */
  readonly headers?: Record<string, string>;
}

/** Connects to `url`, sends each message after the previous echo, checks it, then closes. */
export async function runWsClient(url: string, opts: WsClientOptions = {}): Promise<ClientReport> {
  const messages = opts.messages ?? standardMessages('ws');
  const close = opts.close ?? { by: 'client', code: 1000, reason: '' };
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const events: PeerEvent[] = [];
  const failure = await new Promise<string | null>((resolve) => {
    let next = 0;
    let phase = 'connecting';
    let failed: string | null = null;
    const ws = new WebSocket(url, [...(opts.protocols ?? [])], {
      perMessageDeflate: opts.deflate ?? true,
      handshakeTimeout: timeoutMs,
      headers: opts.headers,
    });
    const timer = setTimeout(() => {
      events.push({ event: 'timeout', phase });
      failed ??= `timeout while ${phase}`;
      ws.terminate(); // 'close' follows and resolves
    }, timeoutMs);
    const sendNext = () => {
      if (next < messages.length) {
        const m = messages[next]!;
        // Text frames carry the bytes as given, so tests can also send invalid UTF-8.
        ws.send(m.data, { binary: m.kind === 'binary' });
        return;
      }
      if (close.by === 'server') {
        phase = 'waiting for the server to close';
        ws.send(`close:${close.code}:${close.reason}`);
        return;
      }
      phase = 'closing';
      events.push({ event: 'close_sent', code: close.code, reason_hex: Buffer.from(close.reason).toString('hex') });
      try {
        ws.close(close.code, close.reason);
      } catch (err) {
        failed ??= `ws refused close(${close.code}): ${(err as Error).message}`;
        ws.terminate();
      }
    };
    ws.on('open', () => {
      phase = 'echoing';
      events.push({ event: 'open', protocol: ws.protocol, extensions: ws.extensions });
      sendNext();
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const kind = isBinary ? 'binary' : 'text';
      if (next >= messages.length) {
        events.push({ event: 'unexpected', kind, size: data.length });
        return;
      }
      const m = messages[next]!;
      const ok = kind === m.kind && data.equals(m.data);
      events.push({ event: 'echo', index: next, kind: m.kind, size: m.data.length, echo_kind: kind, echo_size: data.length, ok });
      if (!ok) {
        failed ??= `echo ${next} differs`;
        ws.terminate();
        return;
      }
      next++;
      sendNext();
    });
    ws.on('error', (err) => {
      events.push({ event: 'error', message: err.message, phase });
      if (phase === 'connecting') failed ??= `connection_error while connecting: ${err.message}`;
    });
    ws.on('close', (code: number, reason: Buffer) => {
      clearTimeout(timer);
      const reasonHex = reason.toString('hex');
      if (code !== 1006) events.push({ event: 'close_request', code, reason_hex: reasonHex });
      events.push({ event: 'closed', clean: code !== 1006, code, reason_hex: reasonHex });
      if (!failed && next < messages.length) failed = `closed after ${next} of ${messages.length} echoes`;
      resolve(failed);
    });
  });
  const report = toClientReport('ws', messages, events, failure);
  if (failure !== null && !opts.expectFailure) throw new Error(`ws client failed: ${failure}\n${describeClient(report)}`);
  return report;
}

export interface WsServerOptions extends ServerOptions {
  /** Accept permessage-deflate (ws's default: false). */
  readonly deflate?: boolean;
  /** Largest message ws accepts (ws's default: 100 MiB). */
  readonly maxPayload?: number;
}

function flattenHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * A ws echo server on 127.0.0.1 (port 0 by default): echoes with the same frame type and closes a
 * client with CODE/REASON on the text "close:CODE:REASON". `clients` and `timeoutMs` do not
 * apply: it lives in this process until stop().
 */
export async function startWsEchoServer(opts: WsServerOptions = {}): Promise<PeerServer> {
  const log = new ServerEventLog('ws');
  const supported = opts.protocols ?? [];
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: opts.port ?? 0,
    perMessageDeflate: opts.deflate ?? false,
    maxPayload: opts.maxPayload,
    handleProtocols: (offered) => supported.find((p) => offered.has(p)) ?? false,
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  let nextId = 0;
  wss.on('connection', (ws, req) => {
    const id = ++nextId;
    log.add({ event: 'connect', id, protocol: ws.protocol, path: req.url ?? '', headers: flattenHeaders(req.headers) });
    log.add({ event: 'open', id, extensions: ws.extensions });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const msg: PeerEvent = { event: 'message', id, kind: isBinary ? 'binary' : 'text', size: data.length, head_hex: data.subarray(0, 64).toString('hex') };
      const text = isBinary ? '' : data.toString('utf8');
      if (text.startsWith('close:')) {
        // "close:CODE:REASON": the reason is everything after the second colon.
        const rest = text.slice(6);
        const colon = rest.indexOf(':');
        const code = Number(colon >= 0 ? rest.slice(0, colon) : rest);
        const reason = colon >= 0 ? rest.slice(colon + 1) : '';
        log.add({ ...msg, command: 'close' });
        log.add({ event: 'close_sent', id, code, reason_hex: Buffer.from(reason).toString('hex') });
        try {
          ws.close(code, reason);
        } catch (err) {
          log.add({ event: 'error', id, message: (err as Error).message });
          ws.terminate();
        }
        return;
      }
      log.add(msg);
      ws.send(data, { binary: isBinary });
    });
    ws.on('error', (err) => log.add({ event: 'error', id, message: err.message }));
    ws.on('close', (code: number, reason: Buffer) => {
      if (code !== 1006) log.add({ event: 'close_request', id, code, reason_hex: reason.toString('hex') });
      log.add({ event: 'disconnect', id, clean: code !== 1006 });
    });
  });
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let stopped: Promise<ServerReport> | null = null;
  return {
    peer: 'ws',
    port,
    url: `ws://127.0.0.1:${port}/`,
    report: () => log.report(null),
    async waitForDisconnects(count: number, waitMs = 10_000): Promise<ServerReport> {
      await log.waitUntil(() => log.disconnects() >= count, waitMs, `${count} disconnect(s)`);
      return log.report(null);
    },
    stop(): Promise<ServerReport> {
      stopped ??= new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve(log.report(null)));
      });
      return stopped;
    },
  };
}
