import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Api } from '../api/client';
import type { BotSummary } from '../api/types/bots';
import type { StreamModel } from './stream';

/**
 * The society's bots, shared by the sidebar filters, the cards and every bot picker. Events that change a bot
 * (an action, a pause, a cap, a config change) trigger one debounced reload rather than a request per event.
 */
export function createBotsModel(api: Pick<Api, 'bots'>, stream: Pick<StreamModel, 'subscribe'>, debounceMs = 1_500) {
  const bots = signal<BotSummary[]>([]);
  const loaded = signal(false);
  const error = signal<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function load() {
    try {
      bots.value = (await api.bots()).items;
      loaded.value = true;
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  const unsubscribe = stream.subscribe((added) => {
    // A pace change or an alert rule's edit changes no bot.
    if (added.every((item) => item.type === 'pace_changed' || item.type === 'alert_rule_changed')) return;
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      void load();
    }, debounceMs);
  });

  return {
    bots: bots as ReadonlySignal<BotSummary[]>,
    loaded: loaded as ReadonlySignal<boolean>,
    error: error as ReadonlySignal<string | null>,
    byId: computed(() => new Map(bots.value.map((bot) => [bot.id, bot] as const))),
    load,
    /** Puts a bot the API just returned in place, so a pause shows before the next reload. */
    replace(bot: BotSummary) {
      bots.value = bots.value.map((b) => (b.id === bot.id ? bot : b));
    },
    dispose() {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    },
  };
}

export type BotsModel = ReturnType<typeof createBotsModel>;
