// The codec alone: our native codec (with the payload views WebSocketPeer makes) against ws's
// Receiver, in one process each, on the same masked frames cut into 64 KiB reads. Rates are
// per CPU second of the parsing process.
import { Child } from '../lib/child.mjs';
import { median } from '../lib/stats.mjs';
import { rotated } from './echo.mjs';

const IMPLS = ['gdws', 'ws'];
const CODEC = new URL('../roles/codec.mjs', import.meta.url);
const SIZES = [
  { size: 16, label: '16 B', unit: 'msg/s', totalBytes: 4 * 2 ** 20 },
  { size: 1024, label: '1 KiB', unit: 'msg/s', totalBytes: 16 * 2 ** 20 },
  { size: 64 * 1024, label: '64 KiB', unit: 'MiB/s', totalBytes: 32 * 2 ** 20 },
];

export async function runCodec({ rounds, log }) {
  const processes = Object.fromEntries(IMPLS.map((impl) => [impl, new Child(CODEC)]));
  const rows = [];
  try {
    for (const { size, label, unit, totalBytes } of SIZES) {
      const samples = Object.fromEntries(IMPLS.map((impl) => [impl, []]));
      const params = { size, totalBytes, chunkSize: 64 * 1024 };
      // One unmeasured pass each: inputs are built and the code is warm before the rounds.
      for (const impl of IMPLS) await processes[impl].request('run', { impl, ...params });
      for (let round = 0; round < rounds; round++) {
        for (const impl of rotated(IMPLS, round)) {
          const result = await processes[impl].request('run', { impl, ...params });
          samples[impl].push(unit === 'msg/s' ? result.messagesPerSecond : result.mibPerSecond);
        }
      }
      log(`codec ${label}: ${IMPLS.map((impl) => `${impl} ${samples[impl].map((v) => v.toFixed(0)).join('/')}`).join('  ')}`);
      rows.push({
        name: `codec alone, masked ${label} frames`,
        unit,
        values: { gdws: median(samples.gdws), ws: median(samples.ws) },
        target: { against: 'ws', value: 3 },
      });
    }
  } finally {
    await Promise.all(Object.values(processes).map((child) => child.stop()));
  }
  return rows;
}
