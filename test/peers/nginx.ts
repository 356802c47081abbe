// Debian's nginx as a WebSocket reverse proxy on loopback, in a throwaway prefix.
//
// One process (`master_process off`, `daemon off`), so there is no worker to switch to another
// user and no `user` directive is needed when running as root. Every path nginx writes (pid,
// logs, temp dirs) lives in the temp prefix, and `-e` keeps even the startup error log out of
// /var/log/nginx.

import { randomBytes } from 'node:crypto';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { ScriptPeer, freePort, makeTempDir, removeDir, requireExecutable, sleep } from './process.js';

export const NGINX_BIN = '/usr/sbin/nginx';

export interface NginxProxy {
  readonly port: number;
  /** ws://127.0.0.1:<port>/ */
  readonly url: string;
  /** Kills nginx, removes the prefix and returns its logs (the access log shows 101 upgrades). */
  stop(): Promise<{ accessLog: string; errorLog: string }>;
}

export interface NginxOptions {
  /** How long nginx keeps an idle proxied connection (proxy_read_timeout). Default 60 s. */
  readonly readTimeoutS?: number;
}

const PROBE_PATH = '/__gdws_nginx_probe';

function config(prefix: string, port: number, upstreamPort: number, nonce: string, opts: NginxOptions): string {
  const p = (name: string) => join(prefix, name);
  return `daemon off;
master_process off;
worker_processes 1;
pid ${p('nginx.pid')};
error_log ${p('error.log')} info;
events { worker_connections 128; }
http {
  access_log ${p('access.log')};
  client_body_temp_path ${p('tmp/body')};
  proxy_temp_path ${p('tmp/proxy')};
  fastcgi_temp_path ${p('tmp/fastcgi')};
  uwsgi_temp_path ${p('tmp/uwsgi')};
  scgi_temp_path ${p('tmp/scgi')};
  # Forward the upgrade only when the client asked for one (the usual WebSocket proxy recipe).
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  server {
    listen 127.0.0.1:${port};
    # Readiness probe: the nonce proves the port belongs to this nginx, not to whoever else.
    location = ${PROBE_PATH} { add_header X-Gdws-Probe ${nonce}; return 204; }
    location / {
      proxy_pass http://127.0.0.1:${upstreamPort};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_read_timeout ${opts.readTimeoutS ?? 60}s;
    }
  }
}
`;
}

/** Starts nginx on a free loopback port, proxying WebSocket upgrades to 127.0.0.1:upstreamPort. */
export async function startNginxProxy(upstreamPort: number, opts: NginxOptions = {}): Promise<NginxProxy> {
  requireExecutable(NGINX_BIN, 'nginx (Debian package nginx)');
  let lastError: unknown;
  // The free port may be taken before nginx binds it: retry with another one.
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startOnce(upstreamPort, await freePort(), opts);
    } catch (err) {
      lastError = err;
      if (!/Address already in use/.test(String(err))) throw err;
    }
  }
  throw lastError;
}

async function startOnce(upstreamPort: number, port: number, opts: NginxOptions): Promise<NginxProxy> {
  const prefix = makeTempDir('nginx');
  mkdirSync(join(prefix, 'tmp'));
  const confPath = join(prefix, 'nginx.conf');
  const nonce = randomBytes(8).toString('hex');
  writeFileSync(confPath, config(prefix, port, upstreamPort, nonce, opts));
  const errorLogPath = join(prefix, 'error.log');
  const readLog = (name: string) => {
    try {
      return readFileSync(join(prefix, name), 'utf8');
    } catch {
      return '';
    }
  };
  const proc = new ScriptPeer({
    name: 'nginx', command: NGINX_BIN, args: ['-p', prefix, '-c', confPath, '-e', errorLogPath],
    hardTimeoutMs: 120_000, // a proxy outlives single tests; stop() and the exit hook end it sooner
  });
  const cleanup = async () => {
    await proc.kill();
    removeDir(prefix);
  };
  try {
    await waitForProbe(port, nonce, 5000, () =>
      proc.running ? null : `nginx exited before listening: ${readLog('error.log').trim()}\n${proc.diagnostics()}`);
  } catch (err) {
    await cleanup();
    throw err;
  }
  let stopped: Promise<{ accessLog: string; errorLog: string }> | null = null;
  return {
    port,
    url: `ws://127.0.0.1:${port}/`,
    stop() {
      stopped ??= (async () => {
        await proc.kill();
        const logs = { accessLog: readLog('access.log'), errorLog: readLog('error.log') };
        removeDir(prefix);
        return logs;
      })();
      return stopped;
    },
  };
}

/** Resolves once this nginx (identified by `nonce`) answers its probe on 127.0.0.1:port. */
async function waitForProbe(port: number, nonce: string, timeoutMs: number, dead: () => string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = dead();
    if (why) throw new Error(why);
    const answer = await new Promise<string | undefined>((resolve) => {
      const req = get({ host: '127.0.0.1', port, path: PROBE_PATH, timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.headers['x-gdws-probe'] as string | undefined);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(undefined));
    });
    if (answer === nonce) return;
    if (answer !== undefined) throw new Error(`127.0.0.1:${port} is answered by another nginx: Address already in use`);
    if (Date.now() > deadline) throw new Error(`nginx did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await sleep(20);
  }
}
