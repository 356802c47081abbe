// binding.gyp is the node-gyp twin of CMakeLists.txt: build the addon with node-gyp in a scratch
// copy of the sources and check it is the same addon (same exports, same codec behaviour).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { native } from '../src/native/addon.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'gdws-gyp-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('node-gyp build (binding.gyp)', () => {
  it('builds the same addon as cmake-js', () => {
    for (const path of ['binding.gyp', 'package.json', 'native', 'scripts']) cpSync(join(root, path), join(scratch, path), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    // The same script as `npm run build:gyp` (it uses the running Node's headers: no download).
    execFileSync(process.execPath, [join(scratch, 'scripts', 'build-gyp.mjs')], { cwd: scratch, stdio: 'pipe', timeout: 240_000 });
    const gyp = require(join(scratch, 'build', 'Release', 'gdws.node')) as typeof native;
    expect(Object.keys(gyp).sort()).toEqual(Object.keys(native).sort());
    expect(gyp.computeAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(gyp.parseUrl('WSS://Example.COM:8443/a?b#c')).toEqual(native.parseUrl('WSS://Example.COM:8443/a?b#c'));
  }, 300_000);
});
