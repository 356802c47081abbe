// The published package as a user gets it: `npm run prebuild` puts this platform's addon in
// prebuilds/, `npm pack` ships it, and installing the tarball into a scratch project works with
// no compiler or build tool on PATH (only node, npm and sh): the prebuilt binary is used, and an
// echo runs through it as an ES module and as CommonJS. Compiling from source happens only when
// asked (npm_config_build_from_source) or when no prebuilt binary matches.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import loader from '../src/native/load-addon.cjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'gdws-install-'));
const bin = join(scratch, 'bin');
const app = join(scratch, 'app');
const installed = join(app, 'node_modules', 'godot-websocket-peer');
const BUILD_TOOLS = ['cmake', 'c++', 'g++', 'gcc', 'cc', 'clang', 'clang++', 'make', 'ninja'];

/** Absolute path of a command on the test's own PATH (to link the few the scratch PATH may have). */
function which(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir, command);
    if (existsSync(file)) return realpathSync(file);
  }
  throw new Error(`${command} is not on PATH`);
}

/** The environment of a machine without compilers: PATH is a folder of links to node, npm and sh. */
function bareEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { HOME: process.env.HOME, PATH: bin, ...extra };
  // npm's cache location and registry settings come from the user's config; nothing else leaks in.
  for (const key of ['npm_config_cache', 'npm_config_registry', 'NPM_CONFIG_CACHE', 'NPM_CONFIG_REGISTRY']) {
    if (process.env[key]) env[key] = process.env[key];
  }
  return env;
}

function npm(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync('npm', [...args, '--no-audit', '--no-fund', '--foreground-scripts'], { cwd: app, env, encoding: 'utf8', timeout: 240_000 });
}

const ECHO = (importLine: string) => `${importLine}
// A server and a client in one process, polled by a PollLoop: one text and one binary message echo back.
const server = new TcpServer();
if (server.Listen(0, '127.0.0.1') !== GodotError.Ok) throw new Error('listen failed');
const client = new WebSocketPeer();
client.ConnectToUrl('ws://127.0.0.1:' + server.GetLocalPort() + '/');
const peer = new WebSocketPeer();
let accepted = false, sent = false;
const got = [];
const loop = PollLoop.Start(() => {
  if (!accepted && server.IsConnectionAvailable()) accepted = peer.AcceptStream(server.TakeConnection()) === GodotError.Ok;
  peer.Poll();
  while (peer.GetAvailablePacketCount() > 0) {
    const packet = peer.GetPacket();
    peer.Send(packet, peer.WasStringPacket() ? WebSocketPeer.WriteMode.Text : WebSocketPeer.WriteMode.Binary);
  }
  client.Poll();
  if (client.GetReadyState() === WebSocketPeer.State.Open && !sent) {
    sent = client.SendText('hello') === GodotError.Ok && client.Send(new Uint8Array([1, 2, 255])) === GodotError.Ok;
  }
  while (client.GetAvailablePacketCount() > 0) {
    const packet = client.GetPacket();
    got.push(client.WasStringPacket() ? 'text:' + new TextDecoder().decode(packet) : 'binary:' + Array.from(packet).join(','));
  }
  if (got.length === 2) {
    console.log(got.join(' '));
    loop.Stop();
    server.Stop();
    client.Close(-1);
    peer.Close(-1);
  }
});
setTimeout(() => { console.error('timed out'); process.exit(1); }, 10000).unref();
`;

function runEcho(file: string): string {
  return execFileSync(join(bin, 'node'), [file], { cwd: app, env: bareEnv(), encoding: 'utf8', timeout: 20_000 }).trim();
}

beforeAll(() => {
  mkdirSync(bin);
  mkdirSync(app);
  for (const command of ['node', 'npm', 'sh']) symlinkSync(which(command), join(bin, command));
  // The exact commands of the README: npm run prebuild, npm pack.
  execFileSync('npm', ['run', 'prebuild'], { cwd: root, stdio: 'pipe', timeout: 240_000 });
  execFileSync('npm', ['pack', '--pack-destination', scratch, '--ignore-scripts'], { cwd: root, stdio: 'pipe', timeout: 60_000 });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true }));
  writeFileSync(join(app, 'echo.mjs'), ECHO("import { GodotError, PollLoop, TcpServer, WebSocketPeer } from 'godot-websocket-peer';"));
  writeFileSync(join(app, 'echo.cjs'), ECHO("const { GodotError, PollLoop, TcpServer, WebSocketPeer } = require('godot-websocket-peer');"));
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('installing the packed tarball', () => {
  it('the scratch PATH has no compiler or build tool', () => {
    expect(readdirSync(bin).sort()).toEqual(['node', 'npm', 'sh']);
    for (const tool of BUILD_TOOLS) {
      expect(spawnSync('sh', ['-c', `command -v ${tool}`], { env: bareEnv() }).status, tool).not.toBe(0);
    }
  });

  it('installs without compiling and echoes through the prebuilt addon, as ESM and as CommonJS', () => {
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'))!;
    expect(tarball).toBeDefined();
    const result = npm(['install', join(scratch, tarball), '--prefer-offline'], bareEnv());
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('compiling the addon');
    expect(existsSync(join(installed, 'prebuilds', loader.prebuildTag(), 'gdws.node'))).toBe(true);
    expect(existsSync(join(installed, 'build'))).toBe(false); // nothing was compiled: the prebuilt binary is the only addon
    expect(runEcho('echo.mjs')).toBe('text:hello binary:1,2,255');
    expect(runEcho('echo.cjs')).toBe('text:hello binary:1,2,255');
  }, 240_000);

  it('works when npm runs no install scripts (--ignore-scripts, or a policy that blocks them): the loader finds the prebuilt binary', () => {
    const other = join(scratch, 'app-no-scripts');
    mkdirSync(other);
    writeFileSync(join(other, 'package.json'), JSON.stringify({ name: 'scratch-no-scripts', private: true }));
    writeFileSync(join(other, 'echo.cjs'), ECHO("const { GodotError, PollLoop, TcpServer, WebSocketPeer } = require('godot-websocket-peer');"));
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'))!;
    const result = spawnSync('npm', ['install', join(scratch, tarball), '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: other, env: bareEnv(), encoding: 'utf8', timeout: 240_000 });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const out = execFileSync(join(bin, 'node'), ['echo.cjs'], { cwd: other, env: bareEnv(), encoding: 'utf8', timeout: 20_000 }).trim();
    expect(out).toBe('text:hello binary:1,2,255');
  }, 240_000);

  it('npm_config_build_from_source makes the install compile (and fail here, where there is no compiler)', () => {
    const result = npm(['rebuild', 'godot-websocket-peer'], bareEnv({ npm_config_build_from_source: 'true' }));
    const output = result.stdout + result.stderr;
    expect(result.status).not.toBe(0);
    expect(output).toContain('compiling the addon from source: requested with --build-from-source');
    expect(output).toContain('needs CMake >= 3.15 and a C++17 compiler');
    // The failed attempt leaves the working prebuilt binary in place.
    expect(existsSync(join(installed, 'build', 'Release', 'gdws.node'))).toBe(false);
    expect(runEcho('echo.mjs')).toBe('text:hello binary:1,2,255');
  }, 240_000);

  it('without a prebuilt binary for this platform, installing compiles from source (with the compilers on PATH)', () => {
    rmSync(join(installed, 'prebuilds'), { recursive: true });
    const result = spawnSync('npm', ['rebuild', 'godot-websocket-peer', '--foreground-scripts'], { cwd: app, env: process.env, encoding: 'utf8', timeout: 240_000 });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`compiling the addon from source: no prebuilt binary for ${loader.prebuildTag()}`);
    expect(existsSync(join(installed, 'build', 'Release', 'gdws.node'))).toBe(true);
    expect(runEcho('echo.cjs')).toBe('text:hello binary:1,2,255');
  }, 240_000);
});
