// The published shape: both entry points load through package.json "exports" as ES modules and
// as CommonJS (from dist/, built by `npm install`), and the examples run.
import { execFileSync } from 'node:child_process';
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

describe('examples', () => {
  it('npm start runs the echo example and exits 0', () => {
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
