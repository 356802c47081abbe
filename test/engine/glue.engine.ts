// The Godot glue's own behaviour (argument checks, Error numbers, values it adds to the codec's),
// checked inside the real Godot 3 engine.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeProject, runGodot, scriptErrors, type GodotRun } from './godot3.js';

const project = makeProject();
let run: GodotRun;

beforeAll(async () => {
  run = await runGodot(project.dir, 'glue_calls.gd', {}, 60_000);
});
afterAll(() => project.remove());

it('every glue check passes in the engine', () => {
  expect(run.exitLine, run.stdout.slice(-2000)).toBe('EXIT 0');
  const failed = run.events.filter((event) => event.ok !== true);
  expect(failed).toEqual([]);
  expect(run.events.length).toBe(30);
});

it('a wrong call is reported by the glue, not the engine: three errors, one per bad call', () => {
  const errors = scriptErrors(run);
  expect(errors.filter((line) => /WebSocketCodec\.(receive|is_failed|queue_message)/.test(line))).toHaveLength(3);
  expect(errors.filter((line) => !/WebSocketCodec\./.test(line))).toEqual([]);
});
