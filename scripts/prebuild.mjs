// `npm run prebuild`: compiles the addon for this platform and architecture (Release, Node-API 8,
// so one binary serves every supported Node version) and puts it where the package's loader looks
// for it: prebuilds/<platform>-<arch>[-musl]/gdws.node. `npm pack` ships that folder; the release
// workflow (.github/workflows/prebuild.yml) runs this on every platform it builds for and packs
// their folders together. Ends by loading the copy in a fresh process.
// (npm also runs this before `npm run build`, as build's "pre" script: prebuilds/ then follows build/.)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const loader = require(join(root, 'src', 'native', 'load-addon.cjs'));

execFileSync(process.execPath, [require.resolve('cmake-js/bin/cmake-js'), 'compile', '--config', 'Release'], { cwd: root, stdio: 'inherit' });

const tag = loader.prebuildTag();
// Multi-config generators (Visual Studio, Xcode) may add a Release/ of their own.
const built = [join(root, 'build', 'Release', 'gdws.node'), join(root, 'build', 'Release', 'Release', 'gdws.node')].find((file) => existsSync(file));
if (!built) throw new Error('prebuild: cmake-js built no build/Release/gdws.node');
const target = join(root, 'prebuilds', tag, 'gdws.node');
mkdirSync(dirname(target), { recursive: true });
copyFileSync(built, target);

// The copy must load on its own and answer: a broken binary never reaches a tarball.
const check = `const a = require(${JSON.stringify(target)}); if (a.computeAccept('dGhlIHNhbXBsZSBub25jZQ==') !== 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=') process.exit(1);`;
execFileSync(process.execPath, ['-e', check], { stdio: 'inherit' });
console.log(`prebuild: ${relative(root, target)} (${statSync(target).size} bytes, Node-API 8)`);
