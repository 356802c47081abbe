// What the numbers were measured on: CPU model, cores, memory, Node and the peers' versions.
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() || 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    ws: require('ws/package.json').version,
    bufferutil: require('bufferutil/package.json').version,
  };
}

/** The 1-minute load average: the machine is shared, and busy neighbours move every number. */
export function loadAverage() {
  return os.loadavg()[0].toFixed(1);
}

/**
 * ws loads bufferutil on its own when it can be resolved. Check that it really did (and that the
 * native build loaded, not bufferutil's JavaScript fallback), so the comparison is against ws at
 * its best.
 */
export function checkWsUsesBufferutil() {
  if (process.env.WS_NO_BUFFER_UTIL) return 'no: WS_NO_BUFFER_UTIL is set';
  const bufferUtil = require('bufferutil');
  if (!String(bufferUtil.mask).includes('[native code]')) return 'no: bufferutil fell back to JavaScript';
  // ws's package exports hide lib/, so reach the module by its path (it is the same module instance).
  const wsBufferUtil = require(join(dirname(require.resolve('ws/package.json')), 'lib', 'buffer-util.js'));
  if (!String(wsBufferUtil.mask).includes('bufferUtil.mask')) return 'no: ws did not pick up bufferutil';
  return 'yes';
}
