// Development tool: median of several fresh-process runs of inprocess-echo.mjs per size.
//   IMPL=gdws|ws|net WRITES=batched|per-send node bench/tools/inprocess-median.mjs [runs=5] [seconds=1] [sizes...]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from '../lib/stats.mjs';

const [runs = 5, seconds = 1, ...sizes] = process.argv.slice(2).map(Number);
const script = fileURLToPath(new URL('./inprocess-echo.mjs', import.meta.url));
for (const size of sizes.length ? sizes : [16, 1024, 65536, 1048576]) {
  const rates = [];
  const cpus = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, [script, String(size), String(seconds), process.env.IMPL ?? 'gdws', process.env.WRITES ?? 'batched'], { encoding: 'utf8' });
    rates.push(Number(out.match(/: ([\d,]+) msg\/s/)[1].replaceAll(',', '')));
    cpus.push(Number(out.match(/([\d.]+) cpu-µs\/msg/)[1]));
  }
  const rate = median(rates);
  console.log(
    `${process.env.IMPL ?? 'gdws'} ${process.env.WRITES ?? 'batched'} ${String(size).padStart(8)} B: median ${Math.round(rate).toLocaleString('en-US')} msg/s, ${((rate * size) / 2 ** 20).toFixed(0)} MiB/s, ` +
      `${median(cpus).toFixed(3)} cpu-µs/msg  [${cpus.join(' ')}]`,
  );
}
