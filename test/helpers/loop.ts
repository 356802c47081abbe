/**
 * Poll-loop helpers for tests: Godot games poll every frame; tests poll on each event-loop turn
 * until a condition holds, with a hard time limit so a broken peer fails the test instead of
 * hanging it.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Pollable {
  Poll(): unknown;
}

export async function pollUntil(pollables: Pollable[], condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const p of pollables) p.Poll();
    if (condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(1);
  }
}

/** Polls for a while without expecting anything (to show that something does NOT happen). */
export async function pollFor(pollables: Pollable[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    for (const p of pollables) p.Poll();
    await sleep(1);
  }
}
