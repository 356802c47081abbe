/**
 * PollLoop (extension): runs your poll function — your `_process()`, which calls Poll() on the
 * peers, servers and streams it uses — when one of this package's objects has something for it,
 * and never otherwise: data, room or an error on a socket, a connection waiting in a TcpServer,
 * a DNS, connect or TLS step done, a handshake, heartbeat, pong or connect timeout due. An idle
 * process sleeps; a message that arrives is handled in the same event-loop turn. Godot's rule
 * holds: states and packets change only inside Poll(), which only your function calls.
 */
import { addActivityListener, removeActivityListener, type ActivityListener } from './activity.js';
import { describe } from './arguments.js';
import { registerGodotClass } from './godot-object.js';

export class PollLoop implements ActivityListener, Disposable {
  private active = true;
  private scheduled = false;
  private running = false;
  private again = false;
  private runs = 0;

  private constructor(private readonly poll: () => void) {}

  /**
   * Starts a loop that runs `poll` once at once (on the next event-loop turn) and then whenever
   * there is activity. `poll` must poll every object of this package that it uses: a timeout of
   * one object is only noticed by that object's Poll(). Several loops may run; each wakes for
   * every object's activity. The loop keeps nothing alive: sockets and servers do, so a process
   * whose connections are all closed ends.
   */
  static Start(poll: () => void): PollLoop {
    if (typeof poll !== 'function') throw new TypeError(`PollLoop.Start: expected a function, got ${describe(poll)}`);
    const loop = new PollLoop(poll);
    addActivityListener(loop);
    loop.wake();
    return loop;
  }

  /** Stops the loop: `poll` is not called again (a run in progress finishes). */
  Stop(): void {
    if (!this.active) return;
    this.active = false;
    removeActivityListener(this);
  }

  /** Whether the loop has not been stopped. */
  IsRunning(): boolean {
    return this.active;
  }

  /** How many times `poll` has run. */
  GetRunCount(): number {
    return this.runs;
  }

  /**
   * Runs `poll` soon even without activity of this package's objects: after your own code (an
   * HTTP handler, a game timer) changed something that `poll` must see.
   */
  Wake(): void {
    this.wake();
  }

  [Symbol.dispose](): void {
    this.Stop();
  }

  /** @internal The hub's signal: coalesced into one run per event-loop turn. */
  wake(): void {
    if (!this.active) return;
    if (this.running) {
      this.again = true; // activity while `poll` runs (a connection accepted, packets taken): once more after it
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(runLoop, this);
  }

  /** @internal */
  run(): void {
    this.scheduled = false;
    if (!this.active) return;
    this.running = true;
    this.again = false;
    try {
      this.runs++;
      this.poll();
    } finally {
      this.running = false;
      if (this.again) this.wake();
    }
  }
}

function runLoop(loop: PollLoop): void {
  loop.run();
}

registerGodotClass(PollLoop as unknown as new () => object, {
  name: 'PollLoop',
  methods: { stop: 'Stop', is_running: 'IsRunning', get_run_count: 'GetRunCount', wake: 'Wake' },
});
