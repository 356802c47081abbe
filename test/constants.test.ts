// Constants from one source: the TypeScript copies are generated from the C++ headers
// (scripts/gen-constants.mjs), and a protocol rule changed in native/codec changes Node too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { native } from '../src/native/addon.js';
import * as generated from '../src/native/constants.js';
import { WebSocketPeer } from '../src/index.js';
import { OUTPUT, readHeaders, render } from '../scripts/gen-constants.mjs';
import { openPair } from './helpers/pair.js';
import { openRawClient } from './helpers/raw-client.js';
import { pollUntil } from './helpers/loop.js';

const { State } = WebSocketPeer;
const compiled = native.constants as Record<string, unknown>;
const MAX_CONTROL_PAYLOAD = compiled['gdws::MAX_CONTROL_PAYLOAD'] as number;
const MAX_CLOSE_REASON = compiled['gdws::MAX_CLOSE_REASON'] as number;

describe('constants from one source', () => {
  it('src/native/constants.ts is what the headers give (run `npm run build:ts` after editing a header)', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(render());
  });

  it('the header parser reads what the compiler compiled, name for name and value for value', () => {
    expect(readHeaders()).toEqual(compiled);
  });

  it("the generated names lists are the codec's own naming functions", () => {
    expect(generated.FAILURE_NAMES).toEqual(Object.keys(compiled['gdws::Failure'] as object));
    expect(generated.STATUS_NAMES).toEqual(Object.keys(compiled['gdws::Status'] as object));
    expect(generated.HANDSHAKE_RESULT_NAMES).toEqual(Object.keys(compiled['gdws::handshake::Result'] as object));
    expect(generated.HANDSHAKE_RESULT_NAMES.map((_, i) => native.resultName(i))).toEqual(generated.HANDSHAKE_RESULT_NAMES);
  });

  it('leaves no hand-written copy of a protocol number in the TypeScript that drives the codec', () => {
    const root = fileURLToPath(new URL('../src/', import.meta.url));
    const shared = [
      MAX_CONTROL_PAYLOAD, MAX_CLOSE_REASON, generated.DEFAULT_BUFFER_SIZE, generated.DEFAULT_MAX_QUEUED_PACKETS,
      generated.MAX_HEADER_SIZE, generated.CloseCode.NoStatus,
    ];
    for (const dir of ['websocket', 'native']) {
      for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith('.ts') && f !== 'constants.ts')) {
        const code = readFileSync(join(root, dir, file), 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '');
        for (const value of shared) expect(code, `${dir}/${file} spells out ${value}`).not.toMatch(new RegExp(`\\b${value}\\b`));
      }
    }
  });
});

// Changing MAX_CONTROL_PAYLOAD or MAX_CLOSE_REASON in codec.h is one line; these read the
// compiled value and show that WebSocketPeer follows it (the TypeScript has no limit of its own).
describe('a protocol rule is the codec\'s, in Node as in the engine', () => {
  it(`answers a ping of MAX_CONTROL_PAYLOAD (${MAX_CONTROL_PAYLOAD}) bytes and fails one byte more with 1002`, async () => {
    const ok = await openRawClient();
    try {
      const payload = Buffer.alloc(MAX_CONTROL_PAYLOAD, 0x61);
      ok.socket.write(Buffer.concat([Buffer.from([0x89, 0x80 | MAX_CONTROL_PAYLOAD, 0, 0, 0, 0]), payload]));
      await pollUntil([ok.server], () => ok.frames().length >= 2 + MAX_CONTROL_PAYLOAD);
      expect(ok.frames()).toEqual(Buffer.concat([Buffer.from([0x8a, MAX_CONTROL_PAYLOAD]), payload]));
      expect(ok.server.GetReadyState()).toBe(State.Open);
    } finally {
      ok.close();
    }
    const over = await openRawClient();
    try {
      const length = MAX_CONTROL_PAYLOAD + 1;
      const header = length < 126 ? Buffer.from([0x89, 0x80 | length]) : Buffer.from([0x89, 0xfe, length >> 8, length & 0xff]);
      over.socket.write(Buffer.concat([header, Buffer.alloc(4), Buffer.alloc(length)]));
      await pollUntil([over.server], () => over.server.GetReadyState() === State.Closed);
      expect(over.server.GetCloseCode()).toBe(1002);
    } finally {
      over.close();
    }
  });

  it(`cuts a close reason to MAX_CLOSE_REASON (${MAX_CLOSE_REASON}) bytes`, async () => {
    const p = await openPair();
    try {
      p.client.Close(4000, 'x'.repeat(MAX_CLOSE_REASON + 40));
      await pollUntil([p.client, p.server], () => p.server.GetReadyState() === State.Closed);
      expect(p.server.GetCloseReason()).toBe('x'.repeat(MAX_CLOSE_REASON));
    } finally {
      p.close();
    }
  });
});
