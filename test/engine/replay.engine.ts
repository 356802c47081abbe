// The shared traces replayed in the real Godot 3 engine (GDNative WebSocketCodec) and in Node
// (the addon): both must produce the same result, byte for byte, and meet the expectations.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectedResult, loadTraceFiles, replay, type TraceResult } from '../traces/replay.js';
import { makeProject, runGodot, scriptErrors, type GodotRun } from './godot3.js';

const project = makeProject();
let run: GodotRun;

beforeAll(async () => {
  run = await runGodot(project.dir, 'replay_traces.gd', {}, 60_000);
});
afterAll(() => project.remove());

const key = (r: { file: string; name: string; chunking: number }) => `${r.file} | ${r.name} | ${r.chunking}`;

it('the engine replays every trace and finishes', () => {
  expect(scriptErrors(run), run.stderr).toEqual([]);
  expect(run.exitLine, run.stdout.slice(-2000)).toBe('EXIT 0');
  expect(run.code).toBe(0);
});

it('the engine and Node give identical results for every trace and chunking', () => {
  const engine = new Map(run.events.map((event) => [key(event as unknown as TraceResult), event]));
  expect(engine.size).toBe(run.events.length); // no duplicates
  let compared = 0;
  let traceCount = 0;
  for (const { file, traces } of loadTraceFiles()) {
    for (const trace of traces) {
      traceCount++;
      trace.chunkings.forEach((_, index) => {
        const node = replay(file, trace, index);
        const fromEngine = engine.get(key(node));
        expect(fromEngine, `engine has no result for ${key(node)}`).toBeDefined();
        expect(fromEngine, key(node)).toEqual(node);
        expect(node, key(node)).toEqual(expectedResult(file, trace, index, node.consumed));
        engine.delete(key(node));
        compared++;
      });
    }
  }
  expect(engine.size, `results for unknown traces: ${[...engine.keys()].join(', ')}`).toBe(0);
  expect(compared).toBeGreaterThanOrEqual(240);
  // scripts/test-engine.mjs reports these counts; written only once every comparison passed.
  if (process.env.GDWS_ENGINE_SUMMARY) {
    writeFileSync(process.env.GDWS_ENGINE_SUMMARY, JSON.stringify({ traces: traceCount, replays: compared }));
  }
});
