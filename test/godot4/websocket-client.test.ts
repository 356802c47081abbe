// GDScript WebSocketPeer clients in the real Godot 4.6 engine against our Node WebSocketPeer
// server: messages of every kind and size, put_var/get_var, subprotocol choice, the handshake
// request, close codes and reasons both ways, and what get_ready_state()/get_close_code() say at
// each step. On the web Godot's WebSocketPeer rides on Chromium's WebSocket: the frames are
// Chromium's, the GDScript-level results (packets, was_string_packet, states, codes) Godot's.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GD, Error as GodotError, StringName, TcpServer, Vector2, WebSocketPeer } from '../../src/index.js';
import { launchGodot4, scriptProject, type Godot4Browser, type GodotExit } from './engine.js';
import { canon } from './variant/compare.js';

const { State } = WebSocketPeer;
const here = join(import.meta.dirname, 'websocket');
const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex').slice(0, 16);

/** What the GDScript client printed ("WS {json}" lines), in order. */
type ClientEvent = { event: string } & Record<string, unknown>;

interface ServerSide {
  protocol: string;
  url: string;
  received: { kind: 'text' | 'binary'; size: number; sha: string }[];
  gotVar: unknown;
  states: string[];
  closeCode: number | null;
  closeReason: string | null;
}

interface Scenario {
  /** Server settings before AcceptStream. */
  configure?: (peer: WebSocketPeer) => void;
  /** Server reaction to a packet (default: echo with the same kind). */
  onPacket?: (peer: WebSocketPeer, data: Uint8Array, isText: boolean, side: ServerSide) => void;
}

const SCENARIOS: Record<string, Scenario> = {
  messages: {
    configure: (peer) => {
      peer.SupportedProtocols = ['json', 'other'];
      peer.HandshakeHeaders = ['X-Server: yes'];
      peer.InboundBufferSize = 2 * 1024 * 1024;
      peer.OutboundBufferSize = 4 * 1024 * 1024;
    },
    onPacket: (peer, data, isText, side) => {
      const previous = side.received.at(-2);
      if (previous?.kind === 'text' && previous.size === 3 && side.received.length >= 2 && side.gotVar === undefined && !isText) {
        // The packet after "VAR" is a put_var: answer with a put_var.
        side.gotVar = GD.BytesToVar(data);
        peer.PutVar(new Map<unknown, unknown>([['got', side.gotVar], ['from', 'node']]));
        return;
      }
      peer.Send(data, isText ? WebSocketPeer.WriteMode.Text : WebSocketPeer.WriteMode.Binary);
    },
  },
  'protocol-order': { configure: (peer) => (peer.SupportedProtocols = ['alpha', 'beta']) },
  refused: { configure: (peer) => (peer.SupportedProtocols = ['json']) },
  'server-close': { onPacket: (peer) => peer.Close(4002, 'server says bye ünï') },
  'server-close-default': { onPacket: (peer) => peer.Close() },
  'server-close-empty': { onPacket: (peer) => peer.Close(1005) }, // may not go on the wire: empty close body
  'server-close-long': { onPacket: (peer) => peer.Close(4004, 'é'.repeat(100)) }, // 200 bytes: cut to 123 at a character boundary
  'server-drop': { onPacket: (peer) => peer.Close(-1) },
  'client-close-default': {},
  'client-close-1001': {},
  'client-close-123': {},
};

/** One TcpServer per scenario, each accepted peer polled every 2 ms; a proxy records the request head. */
class ScenarioServer {
  readonly sides: ServerSide[] = [];
  readonly requestHeads: string[] = [];
  private readonly tcp = new TcpServer();
  private readonly peers: { peer: WebSocketPeer; side: ServerSide }[] = [];
  private proxy!: Server;
  private readonly sockets = new Set<Socket>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly scenario: Scenario) {}

  async start(): Promise<number> {
    expect(this.tcp.Listen(0, '127.0.0.1')).toBe(GodotError.Ok);
    const target = this.tcp.GetLocalPort();
    this.proxy = createServer((client) => {
      const server = connect(target, '127.0.0.1');
      let head = '';
      client.on('data', (chunk: Buffer) => {
        if (!head.includes('\r\n\r\n')) {
          head += chunk.toString('latin1');
          if (head.includes('\r\n\r\n')) this.requestHeads.push(head.slice(0, head.indexOf('\r\n\r\n')));
        }
      });
      for (const s of [client, server]) {
        this.sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(server).pipe(client);
    });
    await new Promise<void>((resolve) => this.proxy.listen(0, '127.0.0.1', resolve));
    this.timer = setInterval(() => this.poll(), 2);
    const address = this.proxy.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  private poll(): void {
    while (this.tcp.IsConnectionAvailable()) {
      const peer = new WebSocketPeer();
      this.scenario.configure?.(peer);
      peer.AcceptStream(this.tcp.TakeConnection());
      const side: ServerSide = { protocol: '', url: '', received: [], gotVar: undefined, states: [], closeCode: null, closeReason: null };
      this.peers.push({ peer, side });
      this.sides.push(side);
    }
    for (const { peer, side } of this.peers) {
      if (side.closeCode !== null) continue;
      peer.Poll();
      const state = State[peer.GetReadyState()]!;
      if (side.states.at(-1) !== state) side.states.push(state);
      if (peer.GetReadyState() === State.Open && side.url === '') {
        side.protocol = peer.GetSelectedProtocol();
        side.url = peer.GetRequestedUrl();
      }
      while (peer.GetAvailablePacketCount() > 0) {
        const data = peer.GetPacket();
        const isText = peer.WasStringPacket();
        side.received.push({ kind: isText ? 'text' : 'binary', size: data.length, sha: sha(data) });
        if (peer.GetReadyState() !== State.Open) continue;
        if (this.scenario.onPacket) this.scenario.onPacket(peer, data, isText, side);
        else peer.Send(data, isText ? WebSocketPeer.WriteMode.Text : WebSocketPeer.WriteMode.Binary);
      }
      if (peer.GetReadyState() === State.Closed) {
        side.closeCode = peer.GetCloseCode();
        side.closeReason = peer.GetCloseReason();
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const { peer } of this.peers) peer.Dispose();
    this.tcp.Stop();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.proxy.close(() => resolve()));
  }

  /** Polls on until every connection is closed (or the limit passes). */
  async settled(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.sides.some((s) => s.closeCode === null) && Date.now() < deadline) await sleep(10);
  }
}

describe('Godot 4.6 GDScript WebSocketPeer clients against our server', () => {
  let godot: Godot4Browser;
  const results = new Map<string, { exit: GodotExit; events: ClientEvent[]; server: ScenarioServer }>();

  beforeAll(async () => {
    godot = await launchGodot4();
    const client = readFileSync(join(here, 'client.gd'), 'utf8');
    // Every scenario in its own engine, four at a time.
    const queue = Object.entries(SCENARIOS);
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [name, scenario] = next;
        const server = new ScenarioServer(scenario);
        const port = await server.start();
        try {
          const instance = await godot.start(scriptProject(client), { args: [`--url=ws://127.0.0.1:${port}/${name}?q=1`, `--scenario=${name}`], timeoutMs: 40_000 });
          const exit = await instance.exited;
          await server.settled();
          const events = exit.lines.filter((l) => l.startsWith('WS ')).map((l) => JSON.parse(l.slice(3)) as ClientEvent);
          results.set(name, { exit, events, server });
        } finally {
          await server.stop();
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }, 120_000);

  afterAll(async () => {
    await godot?.close();
  });

  const run = (name: string) => results.get(name)!;
  const client = (name: string, event: string) => run(name).events.filter((e) => e.event === event);
  /** Every ready-state change the client saw: state, get_close_code(), get_close_reason(). */
  const states = (name: string) => client(name, 'state').map((e) => [e.state, e.code, e.reason]);
  const server = (name: string) => {
    expect(run(name).server.sides).toHaveLength(1);
    return run(name).server.sides[0]!;
  };

  test('every client ran to its end', () => {
    for (const [name, r] of results) {
      if (name === 'client-close-1001') continue;
      expect({ name, how: r.exit.how, code: r.exit.code }).toEqual({ name, how: 'quit', code: 0 });
      if (name !== 'messages') expect({ name, errors: r.exit.errors }).toEqual({ name, errors: [] });
      expect(client(name, 'connect')).toEqual([{ event: 'connect', error: 0, state: 'CONNECTING' }]);
    }
    expect(results.size).toBe(Object.keys(SCENARIOS).length);
  });

  test('text, binary, empty and 1 MiB messages echo with their kind and bytes', () => {
    expect(client('messages', 'sent').map((e) => [e.kind, e.size, e.error])).toEqual([
      ['text', 15, 0], ['binary', 4, 0], ['text', 0, 0], ['binary', 0, 0], ['binary', 1024 * 1024, 0], ['text', 3, 0],
    ]);
    expect(client('messages', 'echo')).toEqual(
      [['text', 15], ['binary', 4], ['text', 0], ['binary', 0], ['binary', 1024 * 1024]].map(([kind, size]) => ({ event: 'echo', kind, size, same_kind: true, same_bytes: true })),
    );
    const pattern = Uint8Array.from({ length: 1024 * 1024 }, (_, i) => (i * 31 + 7) & 0xff);
    expect(server('messages').received.slice(0, 6)).toEqual([
      { kind: 'text', size: 15, sha: sha(Buffer.from('hello ünï ✓')) },
      { kind: 'binary', size: 4, sha: sha(Uint8Array.of(0, 1, 2, 255)) },
      { kind: 'text', size: 0, sha: sha(new Uint8Array(0)) },
      { kind: 'binary', size: 0, sha: sha(new Uint8Array(0)) },
      { kind: 'binary', size: 1024 * 1024, sha: sha(pattern) },
      { kind: 'text', size: 3, sha: sha(Buffer.from('VAR')) },
    ]);
  });

  test('put_var reaches our GetVar and our PutVar reaches get_var', () => {
    const got = server('messages').gotVar;
    expect(canon(got)).toBe(canon(new Map<unknown, unknown>([['v', new Vector2(1, 2)], ['list', [1, 2.5, 's', null]], ['sn', new StringName('name')]])));
    expect(client('messages', 'var')).toEqual([{
      event: 'var', kind: 'binary',
      text: '{\n"from": "node",\n"got": {\n"list": [1, 2.5, "s", null],\n"sn": &"name",\n"v": Vector2(1, 2)\n}\n}',
    }]);
  });

  test('subprotocols: the client\'s first choice the server supports; none in common refuses the handshake', () => {
    expect(client('messages', 'open')).toEqual([{ event: 'open', protocol: 'json', url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/messages\?q=1$/) }]);
    expect(server('messages').protocol).toBe('json');
    expect(client('protocol-order', 'open')[0]!.protocol).toBe('beta'); // client ["beta", "alpha"], server ["alpha", "beta"]
    expect(server('protocol-order').protocol).toBe('beta');
    expect(states('refused')).toEqual([['CONNECTING', -1, ''], ['CLOSED', 1006, '']]);
    expect(server('refused').closeCode).toBe(-1);
    expect(server('refused').closeReason).toMatch(/^NO_COMMON_PROTOCOL: /);
  });

  test('the handshake request is Chromium\'s: protocols and Origin, a deflate offer, no custom headers on the web', () => {
    const head = run('messages').server.requestHeads[0]!;
    expect(head).toMatch(/^GET \/messages\?q=1 HTTP\/1\.1\r\n/);
    expect(head).toContain('\r\nSec-WebSocket-Protocol: chat, json');
    expect(head).toMatch(/\r\nOrigin: http:\/\/127\.0\.0\.1:\d+/);
    expect(head).toContain('\r\nSec-WebSocket-Extensions: permessage-deflate');
    expect(head).not.toContain('X-Godot-Test'); // handshake_headers cannot be sent by a browser
    expect(run('messages').exit.errors).toEqual(['WARNING: Custom headers are not supported in Web platform.']);
  });

  test('client close: CLOSING at once with get_close_code() -1, then CLOSED with the code and reason both ends saw', () => {
    expect(states('messages')).toEqual([
      ['CONNECTING', -1, ''], ['OPEN', -1, ''], ['CLOSING', -1, ''], ['CLOSED', 4001, 'bye ünï'],
    ]);
    expect(client('messages', 'close_called')).toEqual([{ event: 'close_called', code: 4001, state: 'CLOSING', close_code: -1 }]);
    expect([server('messages').closeCode, server('messages').closeReason]).toEqual([4001, 'bye ünï']);
    expect(states('client-close-default').at(-1)).toEqual(['CLOSED', 1000, '']);
    expect([server('client-close-default').closeCode, server('client-close-default').closeReason]).toEqual([1000, '']);
    const longest = 'é'.repeat(61) + 'z'; // 123 bytes
    expect(states('client-close-123').at(-1)).toEqual(['CLOSED', 4003, longest]);
    expect([server('client-close-123').closeCode, server('client-close-123').closeReason]).toEqual([4003, longest]);
  });

  test('client close(1001) throws in the browser (only 1000 and 3000-4999 are allowed there)', () => {
    const r = run('client-close-1001');
    expect(r.exit.how).toBe('crashed');
    expect(r.exit.detail).toContain('The close code must be either 1000, or between 3000 and 4999');
  });

  test('server close: OPEN straight to CLOSED with our code and reason', () => {
    expect(states('server-close')).toEqual([['CONNECTING', -1, ''], ['OPEN', -1, ''], ['CLOSED', 4002, 'server says bye ünï']]);
    expect([server('server-close').closeCode, server('server-close').closeReason]).toEqual([4002, 'server says bye ünï']);
    expect(states('server-close-default').at(-1)).toEqual(['CLOSED', 1000, '']);
    // A code that may not go on the wire sends an empty close body: the client reports 1005,
    // and we report the empty echo as 0, as Godot does.
    expect(states('server-close-empty').at(-1)).toEqual(['CLOSED', 1005, '']);
    expect(server('server-close-empty').closeCode).toBe(0);
    // A 200-byte reason is cut to 123 bytes at a character boundary.
    expect(states('server-close-long').at(-1)).toEqual(['CLOSED', 4004, 'é'.repeat(61)]);
  });

  test('server drop without a close frame: the web client reports 1006 (the browser\'s code), not -1', () => {
    expect(states('server-drop')).toEqual([['CONNECTING', -1, ''], ['OPEN', -1, ''], ['CLOSED', 1006, '']]);
    expect(server('server-drop').closeCode).toBe(-1);
  });
});
