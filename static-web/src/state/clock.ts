import { signal, type ReadonlySignal } from '@preact/signals';

/**
 * One ticking "now" for every relative time on screen, so "2 minutes ago" moves without each row owning a timer.
 */
export function createClock(tickMs = 5_000) {
  const now = signal(Date.now());
  const timer = setInterval(() => {
    now.value = Date.now();
  }, tickMs);
  return {
    now: now as ReadonlySignal<number>,
    dispose: () => clearInterval(timer),
  };
}

export type Clock = ReturnType<typeof createClock>;
