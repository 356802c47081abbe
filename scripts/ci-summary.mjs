// Prints one "N passed, N failed" line for CI from the npm test log: the C++ runners print that
// line per test binary; vitest prints "Tests  N passed (M)" or "Tests  F failed | N passed (M)".
import { readFileSync } from 'node:fs';

const [log, status] = [readFileSync(process.argv[2], 'utf8'), Number(process.argv[3] ?? 0)];
const plain = log.replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
for (const m of plain.matchAll(/^(?:\d+: )?(\d+) passed, (\d+) failed$/gm)) {
  passed += Number(m[1]);
  failed += Number(m[2]);
}
const vitest = plain.match(/^\s*Tests\s+(.*)$/m);
if (vitest) {
  passed += Number(vitest[1].match(/(\d+) passed/)?.[1] ?? 0);
  failed += Number(vitest[1].match(/(\d+) failed/)?.[1] ?? 0);
}
if (status !== 0 && failed === 0) failed = 1; // the run failed before any count was printed
console.log(`${passed} passed, ${failed} failed`);
