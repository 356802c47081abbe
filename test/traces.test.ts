// Replays every shared trace (test/traces/*.json) through the Node addon, in every chunking the
// trace names. The real Godot 3 engine replays the same files (npm run test:engine).
import { describe, expect, it } from 'vitest';
import { expectedResult, loadTraceFiles, replay } from './traces/replay.js';

const files = loadTraceFiles();

it('finds the shared traces', () => {
  expect(files.map((f) => f.file)).toEqual(['close.json', 'fragmentation.json', 'framing.json', 'limits.json', 'sending.json', 'utf8.json']);
  expect(files.reduce((n, f) => n + f.traces.length, 0)).toBeGreaterThanOrEqual(80);
});

for (const { file, about, traces } of files) {
  describe(`${file}: ${about}`, () => {
    for (const trace of traces) {
      it(trace.name, () => {
        trace.chunkings.forEach((chunking, index) => {
          const result = replay(file, trace, index);
          const label = `${trace.name} [chunking ${JSON.stringify(chunking).slice(0, 40)}]`;
          expect(result, label).toEqual(expectedResult(file, trace, index, result.consumed));
        });
      });
    }
  });
}
