// Runs the script peers (Godot 3 GDScript, Autobahn|Python): writes their JSON config into a
// fresh temp dir, starts the process, turns its event lines into the shared reports, and always
// removes the temp dir and the process, whatever happens.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptPeer, makeTempDir, removeDir, freePort } from './process.js';
import {
  ServerEventLog, describeClient, standardMessages, toClientReport,
  type ClientOptions, type ClientReport, type PeerServer, type ServerOptions, type ServerReport,
} from './reports.js';

export interface ScriptCommand {
  /** Name in reports and errors, e.g. "godot3". */
  readonly peer: string;
  readonly command: string;
  /** Arguments, given the config file's path. */
  readonly args: (configPath: string) => readonly string[];
  /** Environment, given the run's temp dir. */
  readonly env?: (dir: string) => NodeJS.ProcessEnv;
  /** Extra config keys for the script (e.g. buffer_kb, deflate). */
  readonly extraConfig?: Record<string, unknown>;
}

const DEFAULT_CLIENT_TIMEOUT_MS = 10_000;
const DEFAULT_SERVER_TIMEOUT_MS = 30_000;

export async function runScriptClient(cmd: ScriptCommand, url: string, opts: ClientOptions = {}): Promise<ClientReport> {
  const messages = opts.messages ?? standardMessages(cmd.peer);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS;
  const dir = makeTempDir(`${cmd.peer}-client`);
  let peer: ScriptPeer | undefined;
  try {
    const configPath = join(dir, 'client.json');
    writeFileSync(configPath, JSON.stringify({
      url,
      protocols: opts.protocols ?? [],
      messages: messages.map((m) => ({ kind: m.kind, b64: Buffer.from(m.data).toString('base64') })),
      close: opts.close ?? { by: 'client', code: 1000, reason: '' },
      timeout_ms: timeoutMs, // the script reports a timeout itself; the limits below are backstops
      ...cmd.extraConfig,
    }));
    peer = new ScriptPeer({
      name: `${cmd.peer} client`, command: cmd.command, args: cmd.args(configPath),
      env: cmd.env?.(dir), cwd: dir, hardTimeoutMs: timeoutMs + 4000,
    });
    await peer.finish(timeoutMs + 3000);
    const failure = peer.failure();
    const report = toClientReport(cmd.peer, messages, peer.events, failure);
    // Without an EXIT line the script did not run as written (Godot exits 0 on a parse error):
    // that is a harness failure even when the test expects the exchange to fail.
    if (failure !== null && (!opts.expectFailure || peer.exitLine === null)) {
      throw new Error(`${cmd.peer} client failed: ${failure}\n${describeClient(report)}\n${peer.diagnostics()}`);
    }
    return report;
  } finally {
    await peer?.kill();
    removeDir(dir);
  }
}

export interface ScriptServerSpec extends ScriptCommand {
  /** The script cannot bind port 0: pick a free port first and retry if it was taken. */
  readonly needsFixedPort: boolean;
}

export async function startScriptServer(spec: ScriptServerSpec, opts: ServerOptions = {}): Promise<PeerServer> {
  const attempts = spec.needsFixedPort && !opts.port ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = spec.needsFixedPort && !opts.port ? await freePort() : (opts.port ?? 0);
    try {
      return await startScriptServerOnce(spec, opts, port);
    } catch (err) {
      lastError = err;
      if (!(err instanceof ListenFailed)) throw err;
    }
  }
  throw lastError;
}

class ListenFailed extends Error {}

async function startScriptServerOnce(spec: ScriptServerSpec, opts: ServerOptions, port: number): Promise<PeerServer> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS;
  const dir = makeTempDir(`${spec.peer}-server`);
  const log = new ServerEventLog(spec.peer);
  let stoppedByUs = false;
  const configPath = join(dir, 'server.json');
  writeFileSync(configPath, JSON.stringify({
    port, protocols: opts.protocols ?? [], clients: opts.clients ?? 0, timeout_ms: timeoutMs, ...spec.extraConfig,
  }));
  const peer = new ScriptPeer({
    name: `${spec.peer} server`, command: spec.command, args: spec.args(configPath),
    env: spec.env?.(dir), cwd: dir, hardTimeoutMs: timeoutMs + 4000, onEvent: (e) => log.add(e),
  });
  const cleaned = peer.exited.then(() => {
    removeDir(dir);
    log.poke();
  });
  const failure = (): string | null => (peer.running || (stoppedByUs && peer.exitLine === null) ? null : peer.failure());
  const died = (what: string) => () => {
    if (!peer.running) throw new Error(`${spec.peer} server ended while waiting for ${what}: ${peer.failure()}\n${peer.diagnostics()}`);
  };

  try {
    await log.waitUntil(
      () => log.events.some((e) => e.event === 'listening'),
      8000, 'it to listen',
      () => {
        const failed = log.events.find((e) => e.event === 'listen_failed');
        if (failed) throw new ListenFailed(`${spec.peer} server could not listen on ${port}: ${JSON.stringify(failed)}\n${peer.diagnostics()}`);
        died('it to listen')();
      },
    );
  } catch (err) {
    stoppedByUs = true;
    await peer.kill();
    await cleaned;
    throw err;
  }
  const actualPort = Number(log.events.find((e) => e.event === 'listening')!.port);

  return {
    peer: spec.peer,
    port: actualPort,
    url: `ws://127.0.0.1:${actualPort}/`,
    report: () => log.report(failure()),
    async waitForDisconnects(count: number, waitMs = 10_000): Promise<ServerReport> {
      await log.waitUntil(() => log.disconnects() >= count, waitMs, `${count} disconnect(s)`, () => {
        if (log.disconnects() < count) died(`${count} disconnect(s)`)();
      });
      return log.report(failure());
    },
    async stop(): Promise<ServerReport> {
      if (peer.running) {
        stoppedByUs = true;
        await peer.kill();
      }
      await cleaned;
      return log.report(failure());
    },
  };
}
