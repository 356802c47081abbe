// Scale-out: the same gdws echo server code in one thread, under node:cluster and in
// worker_threads, with 1 and 2 workers. Echo throughput of 1 KiB messages over 4 connections
// (100 in flight each) from two client processes, summed.
import { Child } from '../lib/child.mjs';
import { median } from '../lib/stats.mjs';
import { rotated } from './echo.mjs';

const SCALE = new URL('../roles/scale.mjs', import.meta.url);
const CLIENT = new URL('../roles/client.mjs', import.meta.url);
const CONFIGS = [
  { mode: 'plain', workers: 1, label: 'one process, main thread' },
  { mode: 'cluster', workers: 1, label: 'node:cluster, 1 worker' },
  { mode: 'cluster', workers: 2, label: 'node:cluster, 2 workers' },
  { mode: 'worker_threads', workers: 1, label: 'worker_threads, 1 worker' },
  { mode: 'worker_threads', workers: 2, label: 'worker_threads, 2 workers' },
];
const CLIENT_PROCESSES = 2;
const CONNECTIONS_PER_CLIENT = 2;

export async function runScale({ rounds, log }) {
  const clients = Array.from({ length: CLIENT_PROCESSES }, () => new Child(CLIENT));
  const servers = [];
  const results = CONFIGS.map(() => ({ samples: [], error: null, ports: null }));
  try {
    for (const [i, config] of CONFIGS.entries()) {
      const server = new Child(SCALE);
      servers.push(server);
      try {
        results[i].ports = await server.request('start', config);
      } catch (error) {
        // The child's message is "<file>: Error: <reason>"; keep the reason.
        results[i].error = error.message.split('\n')[0].split('Error: ').pop();
        log(`${config.label}: ${results[i].error}`);
      }
    }
    const runnable = CONFIGS.map((_, i) => i).filter((i) => results[i].ports);
    for (let round = 0; round < rounds; round++) {
      for (const i of rotated(runnable, round)) {
        const ports = results[i].ports;
        const parts = await Promise.all(
          clients.map((client, c) =>
            client.request('throughput', {
              impl: 'gdws',
              // Connection k of client c goes to worker (c + k) mod workers' port.
              ports: ports.map((_, k) => ports[(c + k) % ports.length]),
              size: 1024,
              inflight: 100,
              connections: CONNECTIONS_PER_CLIENT,
              warmupMs: 300,
              durationMs: 1000,
            }),
          ),
        );
        results[i].samples.push(parts.reduce((total, part) => total + part.messagesPerSecond, 0));
      }
    }
  } finally {
    await Promise.all([...clients, ...servers].map((child) => child.stop()));
  }
  const base = median(results[0].samples);
  const lines = [
    'Scale-out (gdws echo server, 1 KiB messages, 4 connections × 100 in flight from 2 client processes):',
    '',
    '| server | msg/s | vs one process |',
    '| --- | ---: | ---: |',
  ];
  for (const [i, config] of CONFIGS.entries()) {
    const { samples, error } = results[i];
    if (error) {
      lines.push(`| ${config.label} | failed: ${error.replaceAll('|', '/')} | – |`);
      continue;
    }
    const value = median(samples);
    log(`${config.label}: ${samples.map((v) => v.toFixed(0)).join('/')}`);
    lines.push(`| ${config.label} | ${Math.round(value).toLocaleString('en-US')} | ${(value / base).toFixed(2)}× |`);
  }
  if (results.some((result, i) => result.error && CONFIGS[i].mode === 'cluster')) {
    lines.push(
      '',
      'node:cluster: `TcpServer.Listen` binds its socket natively and listens on the descriptor, which a',
      'cluster worker cannot share through the primary: it returns Error.Failed and node:cluster then',
      'throws in the worker. Listening by port in cluster workers fixes it (bench/NOTES.md).',
    );
  }
  return [lines.join('\n')];
}
