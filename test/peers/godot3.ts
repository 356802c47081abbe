// The real Godot 3.2.3 engine (Debian godot3-server) as a WebSocket client and server, running
// the GDScript in test/peers/godot3/ headless.
//
// Godot 3 quirks the reports show as they are (tests assert them, they are not smoothed over):
// - every close reason Godot sends ends with a NUL byte (GODOT3_REASON_SUFFIX);
// - when Godot initiates the close it reports wasClean=false and never reports the peer's reply
//   (closeCode stays 1006), though the handshake completed;
// - inbound messages that do not fit its buffer (64 KiB by default) are dropped silently, so the
//   client harness refuses to send one unless bufferKiB is raised;
// - a GDScript parse error still exits 0: the scripts end with "EXIT 0"/"EXIT 1 <why>" and the
//   harness trusts only that line.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireExecutable } from './process.js';
import { runScriptClient, startScriptServer, type ScriptCommand } from './script-harness.js';
import { standardMessages, type ClientOptions, type ClientReport, type PeerServer, type ServerOptions } from './reports.js';

export const GODOT3_BIN = '/usr/bin/godot3-server';
const PROJECT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'godot3');

/** Godot 3 sends its close reason with the C string terminator (WSLPeer::close counts it). */
export const GODOT3_REASON_SUFFIX = '\u0000';

/** Godot 3's default inbound buffer: a message of this many bytes or more is dropped. */
export const GODOT3_DEFAULT_MAX_MESSAGE = 64 * 1024;

export interface Godot3Options {
  /** Calls set_buffers(kb, 1024, kb, 1024) before connecting/listening (default: Godot's 64 KiB). */
  readonly bufferKiB?: number;
}

function godotCommand(script: string, opts: Godot3Options): ScriptCommand {
  requireExecutable(GODOT3_BIN, 'Godot 3 (Debian package godot3-server)');
  return {
    peer: 'godot3',
    command: GODOT3_BIN,
    args: () => ['--path', PROJECT_DIR, '-s', script],
    env: (dir) => ({
      ...process.env,
      WS_CONFIG: join(dir, script === 'ws_client.gd' ? 'client.json' : 'server.json'),
      LANG: 'en', // C.UTF-8 makes Godot 3 print a locale error on every start
      // user:// data goes to the run's temp dir, not $HOME.
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_CONFIG_HOME: join(dir, 'config'),
      XDG_CACHE_HOME: join(dir, 'cache'),
    }),
    extraConfig: opts.bufferKiB ? { buffer_kb: opts.bufferKiB } : {},
  };
}

/**
 * Runs ws_client.gd against `url`: sends each message after the previous echo, checks bytes and
 * frame type (was_string_packet), then closes as `opts.close` says. Resolves with what Godot saw.
 */
export async function runGodot3Client(url: string, opts: ClientOptions & Godot3Options = {}): Promise<ClientReport> {
  const messages = opts.messages ?? standardMessages('godot3');
  const limit = opts.bufferKiB ? opts.bufferKiB * 1024 : GODOT3_DEFAULT_MAX_MESSAGE;
  const tooBig = messages.find((m) => m.data.length >= limit);
  if (tooBig) {
    throw new Error(`a ${tooBig.data.length}-byte message would be silently dropped by Godot 3's ${limit}-byte inbound buffer; raise bufferKiB`);
  }
  return runScriptClient(godotCommand('ws_client.gd', opts), url, { ...opts, messages });
}

/**
 * Starts ws_server.gd on 127.0.0.1 (a free port picked here: Godot 3 cannot report a port-0
 * bind). It echoes with the same frame type and closes a client on "close:CODE:REASON".
 * With `clients: N` it exits by itself after N disconnects.
 */
export async function startGodot3Server(opts: ServerOptions & Godot3Options = {}): Promise<PeerServer> {
  return startScriptServer({ ...godotCommand('ws_server.gd', opts), needsFixedPort: true }, opts);
}
