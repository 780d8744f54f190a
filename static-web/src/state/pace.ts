import { signal, type ReadonlySignal } from '@preact/signals';
import type { Api } from '../api/client';
import type { PaceName, PaceView } from '../api/types/live';
import type { StreamModel } from './stream';

/** The society's pace for the header control: loaded once, changed by the operator, kept current by pace_changed events. */
export function createPaceModel(api: Pick<Api, 'pace' | 'setPace'>, stream: Pick<StreamModel, 'subscribe' | 'onResync'>) {
  const pace = signal<PaceView | null>(null);
  const saving = signal(false);
  const error = signal<string | null>(null);

  // A failed load leaves the control disabled (the connection badge says why); only a failed change is an error
  // the operator needs to read.
  async function load() {
    try {
      pace.value = await api.pace();
    } catch {
      // Loaded again on the next pace_changed event or visit.
    }
  }

  const unsubscribe = stream.subscribe((added) => {
    // Also when the first load failed: any event means the API is answering again.
    if (pace.peek() === null || added.some((item) => item.type === 'pace_changed')) void load();
  });
  // A pace_changed event missed during a gap is in no activity row: after each catch-up, read the pace again.
  const unsubscribeResyncs = stream.onResync(() => void load());

  return {
    pace: pace as ReadonlySignal<PaceView | null>,
    saving: saving as ReadonlySignal<boolean>,
    error: error as ReadonlySignal<string | null>,
    load,
    async set(name: PaceName) {
      saving.value = true;
      try {
        pace.value = await api.setPace(name);
        error.value = null;
      } catch (e) {
        error.value = (e as Error).message;
      } finally {
        saving.value = false;
      }
    },
    dispose() {
      unsubscribe();
      unsubscribeResyncs();
    },
  };
}

export type PaceModel = ReturnType<typeof createPaceModel>;
