// Process plumbing for the real peers: spawn with a hard outer time limit, read JSON event lines,
// kill the whole process group, free ports and temp dirs. A missing peer is an error, not a skip.

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { PeerEvent } from './reports.js';

export const INSTALL_HINT = 'install the interop peers with `sudo .ci/install-peers.sh`';

/** Throws a clear error when a peer's executable is not installed. */
export function requireExecutable(path: string, what: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${what} is missing: ${path} is not an executable file; ${INSTALL_HINT}`);
  }
}

export function makeTempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `gdws-${label}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A loopback port that was free a moment ago. Only for peers that cannot bind port 0 and tell
 * us the port (Godot 3, nginx); their harnesses retry on a bind failure because another process
 * may take the port in between.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The script's final "EXIT ..." line, or null if it never printed one. */
  readonly exitLine: string | null;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every peer process group still running when the test worker exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export interface ScriptPeerSpec {
  /** Name used in errors ("godot3 client"). */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Hard limit enforced by coreutils `timeout`, so the peer dies even if this process does. */
  readonly hardTimeoutMs: number;
  /** Called for each JSON line on stdout. */
  readonly onEvent?: (e: PeerEvent) => void;
}

/**
 * A peer process that prints one JSON object per line and a final "EXIT 0" / "EXIT 1 <why>".
 * It runs in its own process group under `timeout -k 1`, so stop() and the outer limit both
 * take down anything it started.
 */
export class ScriptPeer {
  readonly events: PeerEvent[] = [];
  /** Non-JSON stdout lines (Godot's banner, stray prints): kept for error messages. */
  readonly otherLines: string[] = [];
  exitLine: string | null = null;
  exitInfo: ExitInfo | null = null;
  readonly exited: Promise<ExitInfo>;
  private stderr = '';
  private readonly child: ChildProcess;

  constructor(readonly spec: ScriptPeerSpec) {
    installExitHook();
    const seconds = Math.max(1, Math.ceil(spec.hardTimeoutMs / 1000));
    this.child = spawn('timeout', ['-k', '1', `${seconds}s`, spec.command, ...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group: kill(-pid) reaches the peer and its children
    });
    live.add(this.child);
    const lines = createInterface({ input: this.child.stdout! });
    lines.on('line', (line) => this.onLine(line));
    this.child.stderr!.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 64 * 1024) this.stderr += chunk.toString('utf8');
    });
    const closedStdout = new Promise<void>((resolve) => lines.once('close', resolve));
    this.exited = new Promise<ExitInfo>((resolve) => {
      const spawnFailed = (err: Error) => {
        this.stderr += `spawn failed: ${err.message}\n`;
      };
      this.child.once('error', spawnFailed);
      this.child.once('close', async (code, signal) => {
        live.delete(this.child);
        await closedStdout; // every line is parsed before anyone looks at the result
        this.exitInfo = { code, signal, exitLine: this.exitLine };
        resolve(this.exitInfo);
      });
    });
  }

  private onLine(line: string): void {
    if (line.startsWith('EXIT ')) {
      this.exitLine = line;
      return;
    }
    if (line.startsWith('{')) {
      try {
        const e = JSON.parse(line) as PeerEvent;
        this.events.push(e);
        this.spec.onEvent?.(e);
        return;
      } catch {
        // Not one of ours: keep it as text.
      }
    }
    this.otherLines.push(line);
  }

  get running(): boolean {
    return this.exitInfo === null;
  }

  /** The EXIT line's verdict: null for "EXIT 0", else the reason (or why there was no line). */
  failure(): string | null {
    if (this.exitLine === 'EXIT 0') return null;
    if (this.exitLine) return this.exitLine.replace(/^EXIT 1 ?/, '') || 'EXIT 1';
    const info = this.exitInfo;
    if (!info) return 'still running';
    if (info.code === 124 || info.signal === 'SIGKILL') return `killed by the ${this.spec.hardTimeoutMs} ms hard limit without an EXIT line`;
    return `exited (code ${info.code}, signal ${info.signal}) without an EXIT line (parse error or crash?)`;
  }

  /** Stdout/stderr tail for error messages. */
  diagnostics(): string {
    const out = this.otherLines.slice(-10).join('\n');
    const err = this.stderr.split('\n').slice(-15).join('\n');
    return `--- ${this.spec.name} stdout (non-JSON) ---\n${out}\n--- stderr ---\n${err}`;
  }

  /** Waits for the process to end, killing it after `graceMs`. */
  async finish(graceMs: number): Promise<ExitInfo> {
    const timer = setTimeout(() => this.kill(), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM to the process group, SIGKILL after 1.5 s; resolves when it is gone. */
  async kill(): Promise<ExitInfo> {
    if (this.exitInfo) return this.exitInfo;
    killGroup(this.child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(this.child, 'SIGKILL'), 1500);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Races a promise against a timeout with a clear message. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}
