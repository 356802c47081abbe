/**
 * The activity signal behind PollLoop. The package's objects report here when a Poll() could
 * now make progress — data, end or an error on a socket, room in a socket that was backed up, a
 * connection waiting in a TcpServer, a DNS answer, a TCP connect or a TLS handshake done,
 * packets taken while input waited for room — and when a Poll() will be due at a known time
 * (handshake, heartbeat and pong timeouts, connect timeouts). Nothing here changes a state:
 * running loops only schedule their poll function. With no loop running every call returns at
 * once, so objects polled by the user's own timer pay nothing.
 * @internal
 */
import { performance } from 'node:perf_hooks';

/** What a running PollLoop gives the hub. */
export interface ActivityListener {
  /** Something happened: run the poll function soon (coalesced). */
  wake(): void;
}

const listeners = new Set<ActivityListener>();
/** One timer for the earliest requested poll time (performance.now() milliseconds). */
let timer: NodeJS.Timeout | null = null;
let timerAt = Infinity;

/** Whether any PollLoop runs (objects may skip work that only a loop needs). */
export function activityWatched(): boolean {
  return listeners.size > 0;
}

/** Something happened that a Poll() can act on: every running loop runs its poll function soon. */
export function activity(): void {
  if (listeners.size === 0) return;
  for (const listener of listeners) listener.wake();
}

/**
 * A Poll() is due at `time` (performance.now() milliseconds). Only the earliest request is kept:
 * the poll it causes makes every object ask again for its own next time, which is why a loop's
 * poll function must poll every object it uses.
 */
export function activityAt(time: number): void {
  if (listeners.size === 0 || time >= timerAt) return;
  if (timer) clearTimeout(timer);
  timerAt = time;
  // +1 ms: Node may fire a timer up to a millisecond early; a deadline must have passed when it runs.
  timer = setTimeout(timerFired, Math.max(0, Math.ceil(time - performance.now())) + 1);
  // Sockets and servers keep the process alive; a deadline alone does not.
  timer.unref();
}

function timerFired(): void {
  timer = null;
  timerAt = Infinity;
  activity();
}

/** @internal PollLoop.Start/Stop. */
export function addActivityListener(listener: ActivityListener): void {
  listeners.add(listener);
}

export function removeActivityListener(listener: ActivityListener): void {
  listeners.delete(listener);
  if (listeners.size === 0 && timer) {
    clearTimeout(timer);
    timer = null;
    timerAt = Infinity;
  }
}
