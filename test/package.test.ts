// The published shape: both entry points load through package.json "exports" as ES modules and
// as CommonJS (from dist/, built by `npm install`), and the examples run.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 20_000 });

describe('package entry points', () => {
  it('loads the C# face as CommonJS and as an ES module', () => {
    const cjs = node(['-e', "const g = require('godot-websocket-peer'); console.log(new g.WebSocketPeer().GetReadyState(), g.Error.InvalidParameter, g.GodotError.Ok)"]);
    expect(cjs.trim()).toBe('3 31 0');
    const esm = node(['--input-type=module', '-e', "import { WebSocketPeer, Error } from 'godot-websocket-peer'; console.log(new WebSocketPeer().GetReadyState(), Error.Unavailable)"]);
    expect(esm.trim()).toBe('3 2');
  });

  it('loads the GDScript face with snake_case names on the same objects', () => {
    const out = node(['--input-type=module', '-e', [
      "import { WebSocketPeer as GD, OK, ERR_UNAVAILABLE, ERR_PRINTER_ON_FIRE } from 'godot-websocket-peer/gdscript';",
      "import { WebSocketPeer } from 'godot-websocket-peer';",
      'const peer = new WebSocketPeer();',
      'peer.inbound_buffer_size = 1024;',
      'console.log(OK, ERR_UNAVAILABLE, ERR_PRINTER_ON_FIRE, GD.STATE_OPEN, GD.WRITE_MODE_TEXT, peer.get_ready_state(), peer.InboundBufferSize, GD === WebSocketPeer);',
    ].join('\n')]);
    expect(out.trim()).toBe('0 2 48 1 0 3 1024 true');
    const cjs = node(['-e', "const g = require('godot-websocket-peer/gdscript'); console.log(g.StreamPeerTCP.STATUS_CONNECTED, typeof new g.TCPServer().take_connection)"]);
    expect(cjs.trim()).toBe('2 function');
  });
});

describe('one implementation behind import and require', () => {
  // An ES module that also require()s the package: every export of both faces must be the very
  // same object, and objects made through one face must be accepted by the other.
  const script = (face: string) => [
    "import { createRequire } from 'node:module';",
    `import * as esm from '${face}';`,
    'const require = createRequire(import.meta.url);',
    `const cjs = require('${face}');`,
    'const names = Object.keys(cjs).filter((n) => n !== "__esModule");',
    'const differ = names.filter((n) => esm[n] !== cjs[n]);',
    'const missing = Object.keys(esm).filter((n) => !(n in cjs));',
    'console.log(JSON.stringify({ count: names.length, differ, missing }));',
  ].join('\n');

  for (const face of ['godot-websocket-peer', 'godot-websocket-peer/gdscript']) {
    it(`${face}: every export is the same object through import and require`, () => {
      const result = JSON.parse(node(['--input-type=module', '-e', script(face)]));
      expect(result.differ).toEqual([]);
      expect(result.missing).toEqual([]);
      expect(result.count).toBeGreaterThan(face.endsWith('gdscript') ? 60 : 40);
    });
  }

  it('a stream from an ES module TcpServer is served by a CommonJS WebSocketPeer (both faces)', () => {
    const out = node(['--input-type=module', '-e', [
      "import { createRequire } from 'node:module';",
      "import { TcpServer, WebSocketPeer, Error as E } from 'godot-websocket-peer';",
      "import { TCPServer } from 'godot-websocket-peer/gdscript';",
      'const require = createRequire(import.meta.url);',
      "const cjs = require('godot-websocket-peer');",
      "const gd = require('godot-websocket-peer/gdscript');",
      'const servers = [new TcpServer(), TCPServer.new()];',
      "for (const s of servers) if (s.Listen(0, '127.0.0.1') !== E.Ok) throw new globalThis.Error('listen');",
      // Clients through ESM, servers' peers through CJS: C# face for the first, GDScript face for the second.
      'const clients = servers.map((s) => { const c = new WebSocketPeer(); c.ConnectToUrl(`ws://127.0.0.1:${s.GetLocalPort()}/`); return c; });',
      'const peers = [new cjs.WebSocketPeer(), gd.WebSocketPeer.new()];',
      'const accepted = [null, null];',
      'const lines = [];',
      'const timer = setInterval(() => {',
      '  servers.forEach((s, i) => {',
      '    if (accepted[i] === null && s.IsConnectionAvailable()) {',
      '      const stream = s.TakeConnection();',
      '      accepted[i] = i === 0 ? peers[0].AcceptStream(stream) : peers[1].accept_stream(stream);',
      '    }',
      '  });',
      '  for (const p of [...clients, ...peers]) p.Poll();',
      '  clients.forEach((c, i) => { if (c.GetReadyState() === WebSocketPeer.State.Open && !c.sent) c.sent = c.SendText(`hi ${i}`) === E.Ok; });',
      '  peers.forEach((p) => { while (p.GetAvailablePacketCount() > 0) lines.push(new TextDecoder().decode(p.GetPacket())); });',
      '  if (lines.length === 2) { console.log(JSON.stringify({ accepted, lines: lines.sort() })); process.exit(0); }',
      '}, 2);',
      "setTimeout(() => { console.log('timeout', JSON.stringify({ accepted, lines })); process.exit(1); }, 5000).unref();",
    ].join('\n')]);
    expect(JSON.parse(out)).toEqual({ accepted: [0, 0], lines: ['hi 0', 'hi 1'] });
  });
});

describe('examples', () => {
  it('npm start runs examples/echo-server: echoes text and binary, stops cleanly on SIGTERM', async () => {
    expect(JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts.start).toBe('node examples/echo-server/index.mjs');
    const child = spawn(process.execPath, ['examples/echo-server/index.mjs'], { cwd: root, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (data) => {
          out += data;
          const match = /listening on (ws:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        setTimeout(() => reject(new Error(`no listening line: ${out}`)), 10_000);
      });
      const ws = new WebSocket(url);
      const received: string[] = [];
      const closed = new Promise<[number, string]>((resolve) => ws.on('close', (code, reason) => resolve([code, String(reason)])));
      await new Promise((resolve) => ws.on('open', resolve));
      const two = new Promise<void>((resolve) => ws.on('message', (data, isBinary) => {
        received.push(isBinary ? `binary ${[...(data as Buffer)].join(',')}` : `text ${String(data)}`);
        if (received.length === 2) resolve();
      }));
      ws.send('hello');
      ws.send(Buffer.from([1, 2, 3]));
      await two;
      expect(received).toEqual(['text hello', 'binary 1,2,3']);
      child.kill('SIGTERM');
      expect(await closed).toEqual([1001, 'server stopping']);
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('the one-process echo example runs and exits 0', () => {
    const out = node(['examples/echo/index.mjs']);
    expect(out).toContain('client got text "hello, Godot-style peer"');
    expect(out).toContain('closed: code 1000 reason "done"');
  });

  it('the game-server mirror serves three bots', () => {
    const out = execFileSync(process.execPath, ['examples/game-server/index.mjs'], { cwd: root, encoding: 'utf8', timeout: 20_000, env: { ...process.env, DEMO: '1' } });
    expect(out.match(/heard:/g)).toHaveLength(9);
    expect(out).toContain('demo done');
  });

  it('the editor-tool client gets its JSON reply', () => {
    expect(node(['examples/editor-tool/index.mjs'])).toContain('"scene":"res://main.tscn"');
  });
});
