import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CodecSession } from '../src/websocket/codec-session.js';
import { CodecStatus, native, Opcode } from '../src/native/addon.js';

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('native addon', () => {
  const none = { message() {}, ping() {}, pong() {} };

  it('parses the RFC 6455 §5.7 masked "Hello" as a server', () => {
    const codec = new CodecSession({ role: 'server' });
    const frame = Buffer.from(hex('81 85 37fa213d 7f9f4d5158'));
    const got: [Uint8Array, boolean][] = [];
    expect(codec.receive([frame], 10, 1000, 0, { ...none, message: (d, t) => got.push([d, t]) })).toBe(frame.length);
    expect(got).toHaveLength(1);
    expect(got[0]![1]).toBe(true);
    expect(new TextDecoder().decode(got[0]![0])).toBe('Hello');
  });

  it('masks client frames with the given key, most significant byte first', () => {
    const codec = new CodecSession({ role: 'client', maskKeys: [0x37fa213d] });
    expect(codec.queue(Opcode.Text, new TextEncoder().encode('Hello'))).toBe(CodecStatus.Ok);
    expect(toHex(codec.takeOutput()!)).toBe('818537fa213d7f9f4d5158');
  });

  it('feeds a list of chunks in one call and keeps the message room across them', () => {
    const codec = new CodecSession({ role: 'client', maskKeys: [1] });
    const one = hex('8101 61');
    let count = 0;
    const consumed = codec.receive([Buffer.from(one), Buffer.from(one), Buffer.from(one)], 2, Number.MAX_SAFE_INTEGER, 0, { ...none, message: () => { count++; } });
    expect(consumed).toBe(6);
    expect(count).toBe(2);
  });

  it('reports a protocol failure and queues close 1002 for a reserved bit', () => {
    const codec = new CodecSession({ role: 'client', maskKeys: [0] });
    codec.receive([Buffer.from(hex('c1 01 61'))], 10, 1000, 0, none);
    expect(codec.closeStatus()).toMatchObject({ failure: 'RESERVED_BITS', failureCloseCode: 1002 });
    expect(codec.takeOutput()![0]).toBe(0x88);
  });

  it('answers a call with a wrong argument or a foreign handle with a TypeError, never a crash', () => {
    const session = native.Session;
    const handle = session.create(1, 100, 10, 100);
    const bad = [
      () => session.queue({} as never, 1, new Uint8Array(1)),
      () => session.queue(handle, 1, 'text' as never),
      () => session.receive(handle, [new Uint8Array(1)], 1, 1, 0, new Uint8Array(10) as never, []),
      () => session.receive(handle, ['x'] as never, 1, 1, 0, new Float64Array(10), []),
      () => session.receive(handle, null, 1, 1, 0, new Float64Array(2), []),
      () => session.receive(handle, null, 1, 1, 0, new Float64Array(10), {} as never),
      () => session.queueAlone(handle, 2, 'text' as never),
      () => session.closeStatus(undefined as never),
      () => session.create(0, 1, 1, 1),
      () => session.queueClose(handle, 1000, null as never),
    ];
    for (const call of bad) expect(call).toThrow(TypeError);
    expect(session.queue(handle, 2, new Uint8Array(3))).toBe(CodecStatus.Ok);
  });

  it('computes the RFC 6455 accept key', () => {
    expect(native.computeAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('loads in several worker threads at once, each with its own state', async () => {
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const addon = require(workerData.path);
      const handle = addon.Session.create(1, 65535, 4096, 65535);
      const meta = new Float64Array(64);
      addon.Session.receive(handle, [Buffer.from('818537fa213d7f9f4d5158', 'hex')], 100, 1e9, 0, meta, []);
      parentPort.postMessage(meta[0]);
    `;
    const path = new URL('../build/Release/gdws.node', import.meta.url).pathname;
    const run = () => new Promise<number>((resolve, reject) => {
      const w = new Worker(source, { eval: true, workerData: { path } });
      w.once('message', resolve);
      w.once('error', reject);
    });
    expect(await Promise.all([run(), run(), run()])).toEqual([11, 11, 11]);
  });
});

describe('addon loading', () => {
  it('fails at import with one message that says how to build the addon', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdws-noaddon-'));
    try {
      mkdirSync(join(dir, 'dist', 'esm', 'native'), { recursive: true });
      copyFileSync(new URL('../src/native/load-addon.cjs', import.meta.url), join(dir, 'dist', 'esm', 'native', 'load-addon.cjs'));
      const load = createRequire(import.meta.url)(join(dir, 'dist', 'esm', 'native', 'load-addon.cjs')) as () => unknown;
      expect(() => load()).toThrow(/native addon could not be loaded[\s\S]*npm run build:native/);
      // A broken file is reported with its own error, not as "not built".
      mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
      writeFileSync(join(dir, 'build', 'Release', 'gdws.node'), 'not a shared object');
      expect(() => load()).toThrow(/gdws\.node: .*(invalid ELF|too short|not a|ELF)/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('build files', () => {
  it('list the same codec and glue sources in CMake and binding.gyp', () => {
    const root = new URL('..', import.meta.url);
    const codecCmake = readFileSync(new URL('native/codec/CMakeLists.txt', root), 'utf8');
    const topCmake = readFileSync(new URL('CMakeLists.txt', root), 'utf8');
    const gyp = JSON.parse(readFileSync(new URL('binding.gyp', root), 'utf8'));
    const cmakeList = (text: string, name: string, prefix: string) =>
      text.match(new RegExp(`set\\(${name}([^)]*)\\)`))![1]!.split(/\s+/).filter(Boolean).map((f) => prefix + f).sort();
    expect(gyp.variables.codec_sources.slice().sort()).toEqual(cmakeList(codecCmake, 'GDWS_CODEC_SOURCES', 'native/codec/'));
    expect(gyp.variables.node_sources.slice().sort()).toEqual(cmakeList(topCmake, 'GDWS_NODE_SOURCES', ''));
  });

  it('keep native/codec free of anything but the C++ standard library', () => {
    const root = new URL('../native/codec/', import.meta.url);
    const files = [...readdirSync(new URL('src/', root)).map((f) => `src/${f}`), ...readdirSync(new URL('include/gdws/', root)).map((f) => `include/gdws/${f}`)];
    const allowed = /^(algorithm|array|cstddef|cstdint|cstring|cstdio|climits|limits|string|string_view|vector|utility|type_traits|memory|deque|initializer_list|iterator|cctype|new)$/;
    for (const file of files) {
      const text = readFileSync(new URL(file, root), 'utf8');
      for (const m of text.matchAll(/#include\s*([<"])([^>"]+)[>"]/g)) {
        if (m[1] === '"') continue; // the codec's own headers
        expect(m[2], `${file} includes <${m[2]}>`).toMatch(allowed);
      }
    }
  });
});
