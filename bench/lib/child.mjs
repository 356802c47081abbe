// Child processes of the benchmark: forked with an IPC channel, asked to do one thing at a time
// (request → reply), each request bounded by a timeout, all of them killed when the run ends.
import { fork } from 'node:child_process';

const children = new Set();

export class Child {
  constructor(file, args = [], { execArgv = [] } = {}) {
    this.process = fork(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
    this.nextId = 1;
    this.waiting = new Map();
    this.exited = false;
    children.add(this);
    this.process.on('message', (message) => {
      const entry = this.waiting.get(message.id);
      if (!entry) return;
      this.waiting.delete(message.id);
      clearTimeout(entry.timer);
      if (message.error) entry.reject(new Error(`${file}: ${message.error}`));
      else entry.resolve(message.result);
    });
    this.process.on('exit', (code, signal) => {
      this.exited = true;
      children.delete(this);
      for (const entry of this.waiting.values()) {
        clearTimeout(entry.timer);
        entry.reject(new Error(`${file} exited (${signal ?? code}) during a request`));
      }
      this.waiting.clear();
    });
  }

  /** Sends one request and waits for its reply, at most timeoutMs. */
  request(command, params = {}, timeoutMs = 60_000) {
    if (this.exited) return Promise.reject(new Error('child has exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${command} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      this.process.send({ id, command, params });
    });
  }

  /** Ends the child: politely over IPC, then by signal if it lingers. */
  async stop() {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.disconnect?.();
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }
}

export async function stopAllChildren() {
  await Promise.all([...children].map((child) => child.stop()));
}

process.on('exit', () => {
  for (const child of children) child.process.kill('SIGKILL');
});

/**
 * The child side: runs `handlers[command](params)` for each request and replies with its result.
 * The child exits when its parent goes away, so no benchmark process outlives a run.
 */
export function serveRequests(handlers) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', async ({ id, command, params }) => {
    try {
      const handler = handlers[command];
      if (!handler) throw new Error(`unknown command ${command}`);
      const result = await handler(params);
      process.send({ id, result });
    } catch (error) {
      process.send({ id, error: error?.stack ?? String(error) });
    }
  });
}
