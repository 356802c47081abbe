// Builds native/codec with its C++ tests in build/codec-tests and runs them with ctest.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = join(root, 'build', 'codec-tests');
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root });

run('cmake', ['-S', join(root, 'native', 'codec'), '-B', build, '-DGDWS_BUILD_TESTS=ON', '-DCMAKE_BUILD_TYPE=Debug']);
run('cmake', ['--build', build, '--parallel']);
run('ctest', ['--test-dir', build, '--output-on-failure', '--verbose', '--parallel', '2']);
