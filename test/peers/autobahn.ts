// Autobahn|Python 22.7 (Debian python3-autobahn, asyncio flavour) as a WebSocket client and
// server, running test/peers/autobahn/*.py with the system Python (/usr/bin/python3: the pyenv
// python3 on PATH has no autobahn).
//
// Autobahn quirks visible in the reports: it sends "Upgrade: WebSocket" (mixed case) plus
// Pragma/Cache-Control headers, and its close reply carries a code with an empty reason.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireExecutable } from './process.js';
import { runScriptClient, startScriptServer, type ScriptCommand } from './script-harness.js';
import type { ClientOptions, ClientReport, PeerServer, ServerOptions } from './reports.js';

export const SYSTEM_PYTHON = '/usr/bin/python3';
const SCRIPT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'autobahn');

export interface AutobahnOptions {
  /** Client: offer permessage-deflate. Server: accept permessage-deflate offers. Default false. */
  readonly deflate?: boolean;
}

function autobahnCommand(script: string, opts: AutobahnOptions): ScriptCommand {
  requireExecutable(SYSTEM_PYTHON, 'the system Python that has Autobahn (Debian python3-autobahn)');
  return {
    peer: 'autobahn',
    command: SYSTEM_PYTHON,
    args: (config) => [join(SCRIPT_DIR, script), config],
    env: () => {
      // A dev shell's PYTHONPATH/PYTHONHOME must not shadow the system packages.
      const { PYTHONPATH: _path, PYTHONHOME: _home, ...env } = process.env;
      return { ...env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };
    },
    extraConfig: { deflate: opts.deflate ?? false },
  };
}

/** Runs echo_client.py against `url`; resolves with what Autobahn saw. */
export async function runAutobahnClient(url: string, opts: ClientOptions & AutobahnOptions = {}): Promise<ClientReport> {
  return runScriptClient(autobahnCommand('echo_client.py', opts), url, opts);
}

/** Starts echo_server.py on 127.0.0.1 (port 0 by default); it stops cleanly on stop() (SIGTERM). */
export async function startAutobahnServer(opts: ServerOptions & AutobahnOptions = {}): Promise<PeerServer> {
  return startScriptServer({ ...autobahnCommand('echo_server.py', opts), needsFixedPort: false }, opts);
}
