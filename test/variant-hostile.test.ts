// Hostile input: every failure is a returned Error, never an exception or unbounded allocation.
import { describe, expect, it } from 'vitest';
import { Error } from '../src/core/error.js';
import { GD } from '../src/variant/gd.js';
import { decodeVariant, encodeVariant, type VariantFormat } from '../src/variant/index.js';
import { cstr, f32, fromHex, head, i32, str, u32 } from './fixtures/variant/bytes.js';
import { godot3Sample, godot4Sample } from './fixtures/variant/samples.js';

const ERRORS = new Set([Error.InvalidData, Error.FileEof, Error.Unauthorized, Error.OutOfMemory]);

function decodeHex(text: string, format: VariantFormat = 4, allowObjects = false) {
  return decodeVariant(fromHex(text), { format, allowObjects });
}

function expectFailure(text: string, error: Error, format: VariantFormat = 4, allowObjects = false): void {
  expect(decodeHex(text, format, allowObjects)).toEqual({ error, value: null, length: 0 });
}

describe('truncated input', () => {
  const cases: [string, Uint8Array, VariantFormat, boolean][] = [
    ['Godot 4 sample', encodeVariant(godot4Sample(true), { fullObjects: true }).bytes, 4, true],
    ['Godot 3 sample', encodeVariant(godot3Sample(), { format: 3 }).bytes, 3, false],
  ];
  for (const [name, bytes, format, allowObjects] of cases) {
    it(`fails cleanly when the ${name} is cut at every byte position`, () => {
      expect(bytes.length).toBeGreaterThan(1000);
      expect(decodeVariant(bytes, { format, allowObjects }).error).toBe(Error.Ok);
      for (let cut = 0; cut < bytes.length; cut++) {
        const result = decodeVariant(bytes.subarray(0, cut), { format, allowObjects });
        expect(result.value).toBeNull();
        expect(result.length).toBe(0);
        expect([Error.InvalidData, Error.FileEof]).toContain(result.error);
      }
    });
  }

  it('uses ERR_FILE_EOF for a cut string and ERR_INVALID_DATA for a cut fixed-size payload, as Godot', () => {
    expectFailure(head(4) + u32(5) + '476f', Error.FileEof);
    expectFailure(head(4) + '0500', Error.InvalidData); // not even the length word
    expectFailure(head(5) + f32(1), Error.InvalidData);
    expectFailure(head(2), Error.InvalidData);
  });
});

describe('huge declared lengths', () => {
  const huge = 0x7fffffff;
  it('rejects them without allocating', () => {
    const started = process.memoryUsage().arrayBuffers;
    expectFailure(head(4) + u32(huge), Error.FileEof); // String
    expectFailure(head(4) + u32(0xffffffff), Error.FileEof); // negative length
    expectFailure(head(21) + u32(huge), Error.FileEof); // StringName
    for (const packed of [29, 30, 31, 32, 33, 35, 36, 37, 38]) {
      expectFailure(head(packed) + u32(huge), Error.InvalidData);
      expectFailure(head(packed) + u32(0x80000000), Error.InvalidData); // negative count
      expectFailure(head(packed) + u32(packed === 29 ? 5 : 2) + '00000000', Error.InvalidData); // too few bytes
    }
    expectFailure(head(34) + u32(huge), Error.InvalidData); // PackedStringArray runs out of strings
    expectFailure(head(34) + u32(huge) + cstr('a'), Error.InvalidData);
    expectFailure(head(28) + u32(huge), Error.InvalidData); // Array
    expectFailure(head(27) + u32(huge), Error.InvalidData); // Dictionary
    expectFailure(head(22) + u32(0xffffffff) + u32(0xffffffff) + u32(0), Error.InvalidData); // NodePath
    expectFailure(head(24) + str('Node') + u32(huge), Error.InvalidData, 4, true); // object properties
    expectFailure(head(26) + str('sig'), Error.InvalidData); // Signal without its id
    expect(process.memoryUsage().arrayBuffers - started).toBeLessThan(16 * 1024 * 1024);
  });

  it('takes time proportional to the input, not to the declared count', () => {
    // 64 KiB of NILs under an Array that claims 2^31-1 elements: decodes 16383 and stops.
    const bytes = fromHex(head(28) + u32(huge) + '00000000'.repeat(16383));
    const started = performance.now();
    expect(decodeVariant(bytes).error).toBe(Error.InvalidData);
    expect(performance.now() - started).toBeLessThan(5000); // looping to 2^31 would take far longer
  });
});

describe('deep nesting', () => {
  const nested = (levels: number, open: string): Uint8Array => {
    const bytes = new Uint8Array(levels * open.length / 2 + 8);
    const unit = fromHex(open);
    for (let i = 0; i < levels; i++) bytes.set(unit, i * unit.length);
    bytes.set(fromHex(head(28) + u32(0)), levels * unit.length);
    return bytes;
  };

  it('stops 100000 nested Arrays at depth 1024 with ERR_OUT_OF_MEMORY, without a stack overflow', () => {
    expect(decodeVariant(nested(100_000, head(28) + u32(1))).error).toBe(Error.OutOfMemory);
  });

  it('accepts exactly 1024 levels below the top value, like Godot', () => {
    expect(decodeVariant(nested(1024, head(28) + u32(1))).error).toBe(Error.Ok);
    expect(decodeVariant(nested(1025, head(28) + u32(1))).error).toBe(Error.OutOfMemory);
  });

  it('counts Dictionary values, typed Arrays and object properties as levels too', () => {
    const dictionaryLevel = head(27) + u32(1) + head(0); // {null: <next>}
    expect(decodeVariant(nested(5000, dictionaryLevel)).error).toBe(Error.OutOfMemory);
    const typedLevel = head(28, 1 << 16) + u32(28) + u32(1); // Array[Array] with one element
    expect(decodeVariant(nested(5000, typedLevel)).error).toBe(Error.OutOfMemory);
    const objectLevel = head(24) + str('Node') + u32(1) + str('p');
    expect(decodeVariant(nested(5000, objectLevel), { allowObjects: true }).error).toBe(Error.OutOfMemory);
    expect(decodeVariant(nested(5000, head(28) + u32(1)), { format: 3 }).error).toBe(Error.InvalidData); // 28 is no G3 type
  });

  it('applies the same limit in Godot 3 format', () => {
    const bytes = nested(3000, head(19) + u32(1));
    bytes.set(fromHex(head(19) + u32(0)), 3000 * 8);
    expect(decodeVariant(bytes, { format: 3 }).error).toBe(Error.OutOfMemory);
  });
});

describe('padding', () => {
  it('requires string padding to be present (ERR_FILE_EOF) but ignores its content', () => {
    expectFailure(head(4) + u32(1) + '61', Error.FileEof);
    expect(decodeHex(head(4) + u32(1) + '61ffffff').value).toBe('a');
    expect(decodeHex(head(34) + u32(1) + u32(2) + '6100eeee').value).toEqual(['a']);
  });

  it('requires byte-array padding to be present (stricter than Godot, which only checks the count)', () => {
    expectFailure(head(29) + u32(1) + '01', Error.InvalidData);
    expect(decodeHex(head(29) + u32(1) + '01abcdef').value).toEqual(new Uint8Array([1]));
  });

  it('ignores uninitialised NodePath padding, as the Godot 3.2.3 engine sends it', () => {
    const value = decodeHex(head(15) + u32(0x80000001) + u32(0) + u32(0) + u32(1) + '61c0ffee', 3).value;
    expect(String(value)).toBe('a');
  });
});

describe('objects, types and text that must be refused', () => {
  it('refuses full objects without allowObjects, also deep inside containers', () => {
    const object = head(24) + str('Node') + u32(0);
    expectFailure(object, Error.Unauthorized);
    expectFailure(head(28) + u32(2) + head(0) + object, Error.Unauthorized);
    expectFailure(head(27) + u32(1) + head(4) + str('k') + object, Error.Unauthorized);
    expectFailure(head(17) + str('Node') + u32(0), Error.Unauthorized, 3);
    expect(decodeHex(object, 4, true).error).toBe(Error.Ok);
    expect(GD.BytesToVar(fromHex(object))).toBeNull();
  });

  it('refuses type ids past the table of each format', () => {
    expectFailure(head(39), Error.InvalidData);
    expectFailure(head(0xff), Error.InvalidData);
    expectFailure(head(27), Error.InvalidData, 3);
    expectFailure(head(28, 1 << 16) + u32(39) + u32(0), Error.InvalidData); // typed Array of type 39
    expectFailure(head(28, 1 << 16) + u32(0xffffffff) + u32(0), Error.InvalidData);
    expectFailure(head(27, 1 << 18) + u32(99) + u32(0), Error.InvalidData);
  });

  it('refuses a NodePath in the pre-3.0 string form', () => {
    expectFailure(head(22) + str('a/b'), Error.InvalidData);
  });

  it('refuses a container script type that is not a res:// path when objects are allowed', () => {
    expect(decodeHex(head(28, 3 << 16) + str('user://x.gd') + u32(0)).error).toBe(Error.Ok);
    expectFailure(head(28, 3 << 16) + str('user://x.gd') + u32(0), Error.InvalidData, 4, true);
  });

  it('refuses invalid UTF-8 anywhere a string is read', () => {
    const bad = u32(2) + 'c328' + '0000';
    for (const text of [
      head(4) + bad,
      head(21) + bad,
      head(22) + u32(0x80000001) + u32(0) + u32(0) + bad,
      head(34) + u32(1) + u32(3) + 'c32800' + '00',
      head(27) + u32(1) + head(4) + bad + head(0),
      head(26) + bad + '0000000000000000',
    ]) {
      expectFailure(text, Error.InvalidData);
    }
    expectFailure(head(4) + u32(3) + 'eda080' + '00', Error.InvalidData); // an encoded surrogate
    expectFailure(head(4) + u32(2) + 'c081' + '0000', Error.InvalidData); // overlong
    expect(decodeHex(head(4) + u32(3) + 'efbbbf' + '00').value).toBe('\ufeff'); // a BOM is text, kept
  });

  it('decodes text from shared memory', () => {
    const source = fromHex(head(4) + str('héllo ✓ and more than forty-eight bytes of text, to skip the short path'));
    const shared = new Uint8Array(new SharedArrayBuffer(source.length));
    shared.set(source);
    expect(decodeVariant(shared).value).toBe('héllo ✓ and more than forty-eight bytes of text, to skip the short path');
  });

  it('never throws for arguments that are not bytes', () => {
    for (const input of [null, undefined, 'abc', 42, [1, 2], new ArrayBuffer(8), new Uint16Array(4)]) {
      expect(decodeVariant(input as unknown as Uint8Array)).toEqual({ error: Error.InvalidParameter, value: null, length: 0 });
    }
    expect(() => GD.BytesToVar('abc' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('reports every failure as one of the documented errors', () => {
    for (const text of ['', '00', head(5), head(4) + u32(9), head(24) + str('N') + u32(0), head(28) + u32(1)]) {
      const { error } = decodeHex(text);
      expect(ERRORS.has(error)).toBe(true);
    }
  });
});

describe('GD', () => {
  it('round-trips with and without objects, in both formats', () => {
    const value = godot4Sample(true);
    const bytes = GD.VarToBytesWithObjects(value);
    expect(GD.BytesToVarWithObjects(bytes)).toStrictEqual(value);
    expect(GD.BytesToVar(bytes)).toBeNull();
    const godot3 = godot3Sample();
    expect(GD.BytesToVar(GD.VarToBytes(godot3, 3), 3)).toStrictEqual(godot3);
  });

  it('throws TypeError for a value with no Variant representation, naming where it is', () => {
    expect(() => GD.VarToBytes({ list: [1, Symbol('s')] })).toThrow(/value\.list\[1\]: a symbol/);
    expect(() => GD.VarToBytes(new Map([['k', new Date()]]))).toThrow(TypeError);
    expect(() => GD.VarToBytes(1, 5 as VariantFormat)).toThrow(TypeError);
  });

  it('returns an empty array for a value nested too deep, as var_to_bytes does', () => {
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(GD.VarToBytes(cycle)).toEqual(new Uint8Array(0));
  });

  it('decodes the int it encodes', () => {
    expect(GD.BytesToVar(GD.VarToBytes(7))).toBe(7);
    expect(GD.BytesToVar(fromHex(head(2) + i32(-3)))).toBe(-3);
  });
});
