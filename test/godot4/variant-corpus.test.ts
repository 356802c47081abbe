// Godot 4.6's own var_to_bytes / bytes_to_var (and the _with_objects pair) against GD.*, byte
// for byte, both ways, for every Variant type (test/godot4/variant/corpus.ts):
// - engine bytes → our decode = the expected JS value (field by field) → our encode = the same bytes;
// - our bytes of the expected value = the engine's bytes;
// - our bytes → the engine's bytes_to_var = its own value (field by field, in GDScript) →
//   the engine's var_to_bytes = our bytes.
// NodePath padding is compared zeroed: the 4.6 engine leaves it uninitialised.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GD, Error as GodotError } from '../../src/index.js';
import { decodeVariantPacket } from '../../src/variant/index.js';
import { launchGodot4, scriptProject, type Godot4Browser, type GodotExit } from './engine.js';
import { canon, zeroNodePathPadding } from './variant/compare.js';
import { CORPUS } from './variant/corpus.js';

const here = join(import.meta.dirname, 'variant');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const unhex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

function encodeOurs(value: unknown, objects: boolean): Uint8Array {
  return objects ? GD.VarToBytesWithObjects(value) : GD.VarToBytes(value);
}

function decodeOurs(bytes: Uint8Array, objects: boolean): unknown {
  return objects ? GD.BytesToVarWithObjects(bytes) : GD.BytesToVar(bytes);
}

/** The runner script with the corpus appended as GDScript. */
function runnerScript(): string {
  const values = CORPUS.map((e, i) => `\t\t${e.gd},  # ${i}: ${e.name}`).join('\n');
  const objects = CORPUS.map((e) => (e.objects ? 'true' : 'false')).join(', ');
  return `${readFileSync(join(here, 'corpus-runner.gd'), 'utf8')}

const OBJECTS := [${objects}]


func corpus() -> Array:
	return [
${values}
	]
`;
}

describe('Variant corpus: Godot 4.6 var_to_bytes against GD.*', () => {
  let godot: Godot4Browser;
  let exit: GodotExit;
  const engineBytes = new Map<number, string>();
  const back = new Map<number, { hex: string; same: string; own: string; ownHex: string }>();
  const ourHex = new Map<number, string>();

  beforeAll(async () => {
    CORPUS.forEach((entry, i) => {
      if (!entry.runIds) ourHex.set(i, hex(encodeOurs(entry.js, entry.objects === true)));
    });
    godot = await launchGodot4();
    exit = await godot.run(
      scriptProject(runnerScript(), {
        'thing.gd': readFileSync(join(here, 'thing.gd'), 'utf8'),
        'ours.json': JSON.stringify(Object.fromEntries(ourHex)),
      }),
      { timeoutMs: 45_000 },
    );
    for (const line of exit.lines) {
      const [kind, index, data, same, own, ownHex] = line.split('\t');
      if (kind === 'E') engineBytes.set(Number(index), data!);
      if (kind === 'B') back.set(Number(index), { hex: data!, same: same!, own: own!, ownHex: ownHex! });
    }
  }, 90_000);

  afterAll(async () => {
    await godot?.close();
  });

  test('the engine ran the whole corpus without errors', () => {
    expect(exit.lines).toContain('END');
    expect(exit.errors).toEqual([]);
    expect(engineBytes.size).toBe(CORPUS.length);
    expect(back.size).toBe(ourHex.size);
  });

  test('read as Godot 3 bytes, each value is refused unless the formats agree or two same-size types meet', () => {
    const silentlyDifferent: string[] = [];
    CORPUS.forEach((entry, index) => {
      if (entry.fromEngine) return;
      const bytes = zeroNodePathPadding(unhex(engineBytes.get(index)!));
      const objects = entry.objects === true;
      const asGodot3 = decodeVariantPacket(bytes, { format: 3, allowObjects: objects });
      const typeId = bytes[0]!;
      if (typeId <= 5) {
        // nil, bool, int, float, String, Vector2: the same ids and layouts in both versions.
        expect(canon(asGodot3.value), entry.name).toBe(canon(decodeOurs(bytes, objects)));
        expect(asGodot3.error, entry.name).toBe(GodotError.Ok);
      } else if (asGodot3.error === GodotError.Ok) {
        silentlyDifferent.push(`${entry.name} as ${canon(asGodot3.value).replace(/\(.*/s, '')}`);
      } else {
        // InvalidData, or what the other type's reader meets first: Unauthorized for a Basis (id 17 is
        // a Godot 3 Object in full), FileEof for a string length running past the end.
        expect([GodotError.InvalidData, GodotError.Unauthorized, GodotError.FileEof], entry.name).toContain(asGodot3.error);
      }
    });
    // Same sizes both ways: 24 bytes of floats (id 11), 16 bytes of floats (id 14), a zero length (id 21).
    expect(silentlyDifferent).toEqual(['Transform2D as Aabb', 'Plane as Color', 'StringName empty as Int32Array[]']);
  });

  describe.each(CORPUS.map((entry, index) => ({ ...entry, index })))('$name', (entry) => {
    const objects = entry.objects === true;

    if (!entry.fromEngine) test('engine bytes → our decode → our encode', () => {
      const bytes = zeroNodePathPadding(unhex(engineBytes.get(entry.index)!));
      const decoded = decodeOurs(bytes, objects);
      expect(canon(decoded, entry.runIds)).toBe(canon(entry.js, entry.runIds));
      expect(hex(encodeOurs(decoded, objects))).toBe(hex(bytes));
      if (!entry.runIds) expect(ourHex.get(entry.index)).toBe(hex(bytes));
    });

    if (!entry.runIds) test('our bytes → engine bytes_to_var → engine var_to_bytes', () => {
      const result = back.get(entry.index)!;
      // Our bytes decode in the engine exactly as its own do: to the value itself, except where Godot
      // itself loses something on the way (godotLoses).
      if (!entry.fromEngine) expect(result.own, "the engine's round trip of its own bytes").toBe(entry.godotLoses ? 'false' : 'true');
      expect(result.same, 'decoded by the engine, equal to its own value field by field').toBe(entry.fromEngine ? 'true' : result.own);
      const again = hex(zeroNodePathPadding(unhex(result.hex)));
      if (entry.godotLoses === 'id') expect(again.slice(0, 8)).toBe(ourHex.get(entry.index)!.slice(0, 8)); // an object id, a new one
      else if (entry.godotLoses) expect(again).toBe(hex(zeroNodePathPadding(unhex(result.ownHex))));
      else expect(again).toBe(ourHex.get(entry.index));
    });
  });
});
