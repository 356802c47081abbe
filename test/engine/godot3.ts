/**
 * Runs the real Godot 3 engine (Debian's godot3-server, headless) on the scripts in godot3/,
 * with the GDNative library built by scripts/test-engine.mjs. Each run gets a fresh project
 * folder: project files, the .gdnlib/.gdns, the library in bin/, and the shared traces.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
export const GODOT = process.env.GODOT3_BIN ?? 'godot3-server';

export interface GodotRun {
  /** Every stdout line that parsed as a JSON object, in order. */
  events: Record<string, unknown>[];
  /** "EXIT 0", "EXIT 1 <reason>", or "" when the script never got there (parse error, crash). */
  exitLine: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A throwaway Godot project with the extension and the traces; remove() when done. */
export function makeProject(): { dir: string; remove: () => void } {
  const library = process.env.GDWS_GODOT3_LIB;
  if (!library) throw new Error('GDWS_GODOT3_LIB is not set: run the engine tests with `npm run test:engine`');
  const dir = mkdtempSync(join(tmpdir(), 'gdws-godot3-'));
  cpSync(join(HERE, 'godot3'), dir, { recursive: true });
  for (const file of ['gdws.gdnlib', 'web_socket_codec.gdns']) {
    cpSync(join(ROOT, 'native', 'godot', 'gdnative3', file), join(dir, file));
  }
  mkdirSync(join(dir, 'bin'));
  cpSync(library, join(dir, 'bin', 'libgdws.so'));
  mkdirSync(join(dir, 'traces'));
  for (const file of readdirSync(join(ROOT, 'test', 'traces')).filter((f) => f.endsWith('.json'))) {
    cpSync(join(ROOT, 'test', 'traces', file), join(dir, 'traces', file));
  }
  mkdirSync(join(dir, '.xdg'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs `godot3-server --path <project> -s <script>`, killed after timeoutMs. onEvent sees each
 * JSON line as it arrives (e.g. to wait for "listening").
 */
export function runGodot(
  project: string,
  script: string,
  env: Record<string, string>,
  timeoutMs: number,
  onEvent?: (event: Record<string, unknown>) => void,
): Promise<GodotRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(GODOT, ['--path', project, '-s', script], {
      // LANG=en: this build warns about the C locale; XDG_DATA_HOME keeps user:// out of $HOME.
      env: { ...process.env, LANG: 'en', XDG_DATA_HOME: join(project, '.xdg'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const events: Record<string, unknown>[] = [];
    let exitLine = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      partial += text;
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('EXIT ')) exitLine = line.trim();
        if (!line.startsWith('{')) continue;
        const event = JSON.parse(line) as Record<string, unknown>;
        events.push(event);
        onEvent?.(event);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${GODOT} could not be started (${error.message}); install it with apt-get install godot3-server`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ events, exitLine, code, stdout, stderr });
    });
  });
}

/** GDScript errors do not change the exit code; they only show on stderr. */
export function scriptErrors(run: GodotRun): string[] {
  return run.stderr.split('\n').filter((line) => /SCRIPT ERROR|Parse Error|^ERROR:/.test(line));
}
