// Headless Debian Chromium driven by playwright-core, as a browser WebSocket client.
//
// The page comes from a tiny HTTP server on loopback, so the handshake carries a real
// http://127.0.0.1 Origin. Chromium offers "permessage-deflate; client_max_window_bits" on every
// connection; the report's `extensions` shows what the server accepted.

import { createServer, type Server } from 'node:http';
import { chromium, type BrowserContext } from 'playwright-core';
import { makeTempDir, removeDir, requireExecutable, withTimeout } from './process.js';
import {
  describeClient, standardMessages, toClientReport,
  type ClientOptions, type ClientReport, type PeerEvent,
} from './reports.js';

export const CHROMIUM_BIN = '/usr/bin/chromium';

/** Flags that keep Chromium quiet and offline apart from the test's own loopback traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', // root in a container has no user namespace sandbox
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM_DEFAULT_CLOSE = { by: 'client', code: 4000, reason: 'done from chromium' } as const;

export interface BrowserHandle {
  /** Origin of the page the WebSockets are opened from. */
  readonly origin: string;
  /** Runs one echo exchange in a fresh page. */
  runClient(wsUrl: string, opts?: ClientOptions): Promise<ClientReport>;
  /** Closes the browser, the page server and removes the profile dir; safe to call twice. */
  close(): Promise<void>;
}

interface PageInput {
  url: string;
  protocols: string[];
  messages: { kind: 'text' | 'binary'; b64: string }[];
  close: { by: 'client' | 'server'; code: number; reason: string };
  timeoutMs: number;
}

/** The in-page exchange. Runs inside Chromium: no closure over Node values. */
function pageExchange(input: PageInput): Promise<{ events: PeerEvent[]; failure: string | null }> {
  const events: PeerEvent[] = [];
  const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const toHex = (u: Uint8Array) => Array.from(u, (b) => b.toString(16).padStart(2, '0')).join('');
  const sent = input.messages.map((m) => ({ kind: m.kind, data: bytes(m.b64) }));
  return new Promise((resolve) => {
    let next = 0;
    let phase = 'connecting';
    let failed: string | null = null;
    let ws: WebSocket;
    try {
      ws = new WebSocket(input.url, input.protocols);
    } catch (err) {
      resolve({ events, failure: `new WebSocket threw: ${String(err)}` });
      return;
    }
    ws.binaryType = 'arraybuffer';
    const timer = setTimeout(() => {
      events.push({ event: 'timeout', phase });
      resolve({ events, failure: `timeout while ${phase}` });
      ws.close();
    }, input.timeoutMs);
    const sendNext = () => {
      if (next < sent.length) {
        const m = sent[next]!;
        if (m.kind === 'text') ws.send(new TextDecoder('utf-8', { fatal: true }).decode(m.data));
        else ws.send(m.data);
        return;
      }
      const { by, code, reason } = input.close;
      if (by === 'server') {
        phase = 'waiting for the server to close';
        ws.send(`close:${code}:${reason}`);
        return;
      }
      phase = 'closing';
      events.push({ event: 'close_sent', code, reason_hex: toHex(new TextEncoder().encode(reason)) });
      try {
        ws.close(code, reason);
      } catch (err) {
        failed ??= `close(${code}) threw: ${String(err)}`;
      }
    };
    ws.onopen = () => {
      phase = 'echoing';
      events.push({ event: 'open', protocol: ws.protocol, extensions: ws.extensions });
      sendNext();
    };
    ws.onmessage = (ev: MessageEvent) => {
      const isText = typeof ev.data === 'string';
      const got = isText ? new TextEncoder().encode(ev.data as string) : new Uint8Array(ev.data as ArrayBuffer);
      const kind = isText ? 'text' : 'binary';
      if (next >= sent.length) {
        events.push({ event: 'unexpected', kind, size: got.length });
        return;
      }
      const m = sent[next]!;
      const ok = kind === m.kind && got.length === m.data.length && got.every((b, i) => b === m.data[i]);
      events.push({ event: 'echo', index: next, kind: m.kind, size: m.data.length, echo_kind: kind, echo_size: got.length, ok });
      if (!ok) {
        failed ??= `echo ${next} differs`;
        ws.close();
        return;
      }
      next++;
      sendNext();
    };
    ws.onerror = () => {
      events.push({ event: 'error', phase });
      if (phase === 'connecting') failed ??= 'connection_error while connecting';
    };
    ws.onclose = (ev: CloseEvent) => {
      clearTimeout(timer);
      const reasonHex = toHex(new TextEncoder().encode(ev.reason));
      if (ev.code !== 1006) events.push({ event: 'close_request', code: ev.code, reason_hex: reasonHex });
      events.push({ event: 'closed', clean: ev.wasClean, code: ev.code, reason_hex: reasonHex });
      if (!failed && next < sent.length) failed = `closed after ${next} of ${sent.length} echoes`;
      resolve({ events, failure: failed });
    };
  });
}

function startPageServer(): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end('<!doctype html><meta charset="utf-8"><title>gdws interop</title>');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Launches headless Chromium with a fresh profile; reuse the handle for several exchanges. */
export async function launchBrowser(options: { args?: readonly string[] } = {}): Promise<BrowserHandle> {
  requireExecutable(CHROMIUM_BIN, 'Chromium (Debian package chromium)');
  const profile = makeTempDir('chromium');
  let pageServer: Server | undefined;
  let context: BrowserContext | undefined;
  const teardown = async () => {
    // Each step is bounded: a wedged browser must not hang the test run.
    await withTimeout(context?.close() ?? Promise.resolve(), 10_000, 'closing Chromium').catch(() => {});
    await new Promise<void>((resolve) => (pageServer ? pageServer.close(() => resolve()) : resolve()));
    removeDir(profile);
  };
  try {
    pageServer = await startPageServer();
    // Playwright refuses --user-data-dir in launch(): a persistent context is the way to a fresh profile.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_BIN, headless: true, args: [...CHROMIUM_ARGS, ...(options.args ?? [])], timeout: 15_000,
    });
  } catch (err) {
    await teardown();
    throw new Error(`could not start Chromium: ${(err as Error).message}`);
  }
  const address = pageServer.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  let closed: Promise<void> | null = null;
  return {
    origin,
    async runClient(wsUrl: string, opts: ClientOptions = {}): Promise<ClientReport> {
      const messages = opts.messages ?? standardMessages('chromium');
      const timeoutMs = opts.timeoutMs ?? 10_000;
      const page = await context!.newPage();
      try {
        await page.goto(`${origin}/`, { timeout: 10_000 });
        const input: PageInput = {
          url: wsUrl,
          protocols: [...(opts.protocols ?? [])],
          messages: messages.map((m) => ({ kind: m.kind, b64: Buffer.from(m.data).toString('base64') })),
          close: { ...(opts.close ?? CHROMIUM_DEFAULT_CLOSE) },
          timeoutMs,
        };
        const { events, failure } = await withTimeout(page.evaluate(pageExchange, input), timeoutMs + 3000, 'Chromium page');
        const report = toClientReport('chromium', messages, events, failure);
        if (failure !== null && !opts.expectFailure) throw new Error(`chromium client failed: ${failure}\n${describeClient(report)}`);
        return report;
      } finally {
        await page.close().catch(() => {});
      }
    },
    close() {
      closed ??= teardown();
      return closed;
    },
  };
}

/** Launches Chromium, runs one exchange against `wsUrl`, and closes it again. */
export async function runBrowserClient(wsUrl: string, opts: ClientOptions = {}): Promise<ClientReport> {
  const browser = await launchBrowser();
  try {
    return await browser.runClient(wsUrl, opts);
  } finally {
    await browser.close();
  }
}
