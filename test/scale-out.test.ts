// The same server code scales out: under node:cluster (workers share one listening port) and in
// worker_threads (the addon loads in several threads at once; see addon.test.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { Error, WebSocketPeer } from '../src/index.js';
import { pollUntil } from './helpers/loop.js';

const root = fileURLToPath(new URL('..', import.meta.url));

it('serves WebSocket clients from node:cluster workers on one port', async () => {
  const child = spawn(process.execPath, ['test/fixtures/cluster-echo.mjs'], { cwd: root, env: { ...process.env, WORKERS: '2' } });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new globalThis.Error(`cluster exited early (${code})`)));
      setTimeout(() => reject(new globalThis.Error('no PORT line')), 10_000);
    });
    const clients = Array.from({ length: 4 }, () => new WebSocketPeer());
    for (const c of clients) expect(c.ConnectToUrl(`ws://127.0.0.1:${port}/`)).toBe(Error.Ok);
    const replies: string[] = [];
    const sent = new Set<WebSocketPeer>();
    await pollUntil(clients, () => {
      for (const c of clients) {
        if (c.GetReadyState() === WebSocketPeer.State.Open && !sent.has(c)) { c.SendText('hi'); sent.add(c); }
        while (c.GetAvailablePacketCount() > 0) replies.push(Buffer.from(c.GetPacket()).toString());
      }
      return replies.length === clients.length;
    }, 10_000, 'replies from the cluster');
    expect(replies.every((r) => /^\d+:hi$/.test(r))).toBe(true);
    for (const c of clients) c.Dispose();
  } finally {
    child.kill('SIGTERM');
  }
}, 30_000);
