/** Runs examples/multiplayer/server.mjs on a free port and reads what it prints. */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ExampleServer {
  port: number;
  /** Every line printed so far. */
  lines: string[];
  stop(): Promise<number | null>;
}

export async function startExampleServer(timeoutMs = 10_000): Promise<ExampleServer> {
  const child: ChildProcess = spawn(process.execPath, [join(root, 'examples', 'multiplayer', 'server.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the example server did not start: ${stderr}`)), timeoutMs);
    const check = setInterval(() => {
      const line = lines.find((l) => l.startsWith('listening on port '));
      if (line) {
        clearTimeout(timer);
        clearInterval(check);
        resolve(Number(line.slice('listening on port '.length)));
      }
    }, 10);
    void exited.then((code) => {
      clearTimeout(timer);
      clearInterval(check);
      reject(new Error(`the example server exited with ${code}: ${stderr}`));
    });
  });
  return {
    port,
    lines,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
