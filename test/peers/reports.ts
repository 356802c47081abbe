// Shared vocabulary of the interop harnesses: the messages a client sends, the options every
// client/server harness accepts, and the reports they return. Every peer (ws, Godot 3, Autobahn,
// Chromium) fills the same shapes, so a test reads the same whichever peer it drives.

export type FrameKind = 'text' | 'binary';

/** One message to send. Text messages hold their UTF-8 bytes. */
export interface PeerMessage {
  readonly kind: FrameKind;
  readonly data: Uint8Array;
}

export function textMessage(text: string): PeerMessage {
  return { kind: 'text', data: new TextEncoder().encode(text) };
}

export function binaryMessage(bytes: Uint8Array | readonly number[]): PeerMessage {
  return { kind: 'binary', data: Uint8Array.from(bytes) };
}

/** A binary message of `size` bytes whose content depends on `seed` (no two messages alike). */
export function patternMessage(size: number, seed = 1): PeerMessage {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return { kind: 'binary', data };
}

/** A text message of exactly `size` UTF-8 bytes, ASCII letters after a non-ASCII prefix. */
export function longTextMessage(size: number, label = 'long'): PeerMessage {
  const head = `${label} ✓ `; // U+2713 takes 3 bytes: checks multi-byte UTF-8 survives.
  const headBytes = new TextEncoder().encode(head).length;
  let body = '';
  for (let i = 0; body.length < size - headBytes; i++) body += String.fromCharCode(97 + (i % 26));
  return textMessage(head + body);
}

/**
 * The default exchange: short text, short binary with 0x00/0xff bytes, a text message over
 * 1 KiB (16-bit length) and a ~60 KiB binary message (still under Godot 3's 64 KiB inbound cap).
 */
export function standardMessages(label = 'peer'): PeerMessage[] {
  return [
    textMessage(`hello from ${label} ✓`),
    binaryMessage([0x00, 0x01, 0x02, 0xfe, 0xff]),
    longTextMessage(1500, label),
    patternMessage(60 * 1024, 3),
  ];
}

/**
 * How a client ends the exchange. `by: 'client'`: it sends a close frame with `code`/`reason`.
 * `by: 'server'`: it sends the text "close:CODE:REASON" and the echo server closes with them.
 */
export interface CloseSpec {
  readonly by: 'client' | 'server';
  readonly code: number;
  readonly reason: string;
}

export interface ClientOptions {
  /** Default: standardMessages(). Each is sent after the previous one's echo arrived. */
  readonly messages?: readonly PeerMessage[];
  /** Default: the client closes with 1000 and an empty reason (Chromium: 4000 'done from chromium'). */
  readonly close?: CloseSpec;
  /** Subprotocols to offer. */
  readonly protocols?: readonly string[];
  /** Whole-run bound, connect to close. Default 10 s. */
  readonly timeoutMs?: number;
  /**
   * By default a run that does not get every echo and a close rejects (with the report in the
   * message). Set this to get the report back instead, for tests that expect a failure.
   */
  readonly expectFailure?: boolean;
}

export interface EchoResult {
  readonly index: number;
  readonly kind: FrameKind;
  readonly size: number;
  readonly echoKind: FrameKind;
  readonly echoSize: number;
  /** Same frame type and identical bytes. */
  readonly ok: boolean;
}

/** A JSON line printed by a script peer (or recorded by an in-process one). */
export type PeerEvent = { readonly event: string } & Record<string, unknown>;

export interface ClientReport {
  readonly peer: string;
  readonly opened: boolean;
  /** Subprotocol the server selected ('' for none). */
  readonly protocol: string;
  /** Negotiated extensions as the peer reports them ('' for none or when it cannot tell: Godot). */
  readonly extensions: string;
  readonly echoes: readonly EchoResult[];
  /** Every message came back identical, with its frame type, in order. */
  readonly allEchoed: boolean;
  /** The close frame this client sent, if it initiated the close. */
  readonly closeSent: { readonly code: number; readonly reason: string } | null;
  /**
   * Close code from the server's close frame as this peer reported it; 1005 when the frame had
   * no code, 1006 when the peer reported no close frame (Godot 3 never reports the reply to its
   * own close).
   */
  readonly closeCode: number;
  readonly closeReason: string;
  /** As the peer's own API reports it (Godot 3: false whenever it initiated the close). */
  readonly wasClean: boolean;
  /** null when the run completed; otherwise why it did not. */
  readonly failure: string | null;
  readonly events: readonly PeerEvent[];
}

export interface ServerOptions {
  /** Default 0: a free port (Godot 3 cannot bind port 0, so its harness picks one). */
  readonly port?: number;
  /** Subprotocols it accepts: it selects the first the client offers that is in this list. */
  readonly protocols?: readonly string[];
  /** Script servers exit by themselves after this many disconnects (0 = until stop()). */
  readonly clients?: number;
  /** Bound on the server's whole life. Default 30 s. */
  readonly timeoutMs?: number;
}

export interface ServerMessage {
  readonly kind: FrameKind;
  readonly size: number;
  /** Hex of the first 64 bytes. */
  readonly headHex: string;
  /** Set when the message was a "close:CODE:REASON" command. */
  readonly command?: 'close';
}

export interface ServerConnection {
  readonly id: string;
  readonly protocol: string;
  /** Request path and headers, when the peer exposes them (ws, Autobahn). */
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly extensions?: string;
  readonly messages: ServerMessage[];
  /** The close frame the server sent after a close command. */
  closeSent: { code: number; reason: string } | null;
  /** Code from the client's close frame as the server reported it (1005 no code, 1006 none). */
  closeCode: number;
  closeReason: string;
  /** null while the connection is open. */
  wasClean: boolean | null;
}

export interface ServerReport {
  readonly peer: string;
  readonly connections: readonly ServerConnection[];
  /** null while running or after a clean end; otherwise why the server failed. */
  readonly failure: string | null;
  readonly events: readonly PeerEvent[];
}

export interface PeerServer {
  readonly peer: string;
  readonly port: number;
  /** ws://127.0.0.1:<port>/ */
  readonly url: string;
  /** Snapshot of what the server observed so far. */
  report(): ServerReport;
  /** Resolves once `count` connections have closed; rejects after `timeoutMs` (default 10 s). */
  waitForDisconnects(count: number, timeoutMs?: number): Promise<ServerReport>;
  /** Stops the server (and its process), removes its temp files; safe to call twice. */
  stop(): Promise<ServerReport>;
}

export function hexToText(hex: unknown): string {
  return typeof hex === 'string' ? Buffer.from(hex, 'hex').toString('utf8') : '';
}

/** A readable one-line summary for assertion messages. */
export function describeClient(r: ClientReport): string {
  const echoes = r.echoes.map((e) => `${e.index}:${e.ok ? 'ok' : `${e.echoKind}/${e.echoSize}`}`).join(' ');
  return `${r.peer} opened=${r.opened} echoes=[${echoes}] close=${r.closeCode} ${JSON.stringify(r.closeReason)} clean=${r.wasClean} failure=${r.failure}`;
}

export function toClientReport(peer: string, messages: readonly PeerMessage[], events: readonly PeerEvent[], failure: string | null): ClientReport {
  let opened = false, protocol = '', extensions = '', wasClean = false;
  let closeCode = 1006, closeReason = '';
  let closeSent: ClientReport['closeSent'] = null;
  const echoes: EchoResult[] = [];
  for (const e of events) {
    switch (e.event) {
      case 'open':
        opened = true;
        protocol = String(e.protocol ?? '');
        extensions = String(e.extensions ?? '');
        break;
      case 'echo':
        echoes.push({
          index: Number(e.index), kind: e.kind as FrameKind, size: Number(e.size),
          echoKind: e.echo_kind as FrameKind, echoSize: Number(e.echo_size), ok: e.ok === true,
        });
        break;
      case 'close_sent':
        closeSent = { code: Number(e.code), reason: hexToText(e.reason_hex) };
        break;
      case 'closed':
        wasClean = e.clean === true;
        closeCode = Number(e.code);
        closeReason = hexToText(e.reason_hex);
        break;
    }
  }
  const allEchoed = echoes.length === messages.length && echoes.every((e, i) => e.ok && e.index === i);
  return { peer, opened, protocol, extensions, echoes, allEchoed, closeSent, closeCode, closeReason, wasClean, failure, events };
}

/** Folds server events (the JSON lines of the script servers) into per-connection records. */
export class ServerEventLog {
  readonly events: PeerEvent[] = [];
  readonly connections = new Map<string, ServerConnection>();
  private readonly waiters = new Set<() => void>();

  constructor(readonly peer: string) {}

  add(e: PeerEvent): void {
    this.events.push(e);
    const id = String(e.id ?? '');
    const conn = this.connections.get(id);
    switch (e.event) {
      case 'connect':
        this.connections.set(id, {
          id, protocol: String(e.protocol ?? ''),
          ...(typeof e.path === 'string' ? { path: e.path } : {}),
          ...(e.headers && typeof e.headers === 'object' ? { headers: e.headers as Record<string, string> } : {}),
          messages: [], closeSent: null, closeCode: 1006, closeReason: '', wasClean: null,
        });
        break;
      case 'open':
        if (conn) Object.assign(conn, { extensions: String(e.extensions ?? '') });
        break;
      case 'message':
        conn?.messages.push({
          kind: e.kind as FrameKind, size: Number(e.size), headHex: String(e.head_hex ?? ''),
          ...(e.command === 'close' ? { command: 'close' as const } : {}),
        });
        break;
      case 'close_sent':
        if (conn) conn.closeSent = { code: Number(e.code), reason: hexToText(e.reason_hex) };
        break;
      case 'close_request':
        if (conn) {
          conn.closeCode = Number(e.code);
          conn.closeReason = hexToText(e.reason_hex);
        }
        break;
      case 'disconnect':
        if (conn) conn.wasClean = e.clean === true;
        break;
    }
    for (const wake of this.waiters) wake();
  }

  disconnects(): number {
    return this.events.filter((e) => e.event === 'disconnect').length;
  }

  report(failure: string | null): ServerReport {
    return { peer: this.peer, connections: [...this.connections.values()], failure, events: [...this.events] };
  }

  /** Resolves when `ready()` holds; `check()` may throw to reject early (e.g. the process died). */
  waitUntil(ready: () => boolean, timeoutMs: number, what: string, check: () => void = () => {}): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.waiters.delete(poke);
        if (err) reject(err); else resolve();
      };
      const poke = () => {
        try {
          check();
          if (ready()) done();
        } catch (err) {
          done(err as Error);
        }
      };
      const timer = setTimeout(() => done(new Error(`${this.peer}: timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      this.waiters.add(poke);
      poke();
    });
  }

  /** Re-evaluates waiters when something other than an event changed (e.g. the process exited). */
  poke(): void {
    for (const wake of this.waiters) wake();
  }
}
