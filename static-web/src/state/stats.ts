import type { Api } from '../api/client';
import { lastDays } from '../lib/time';

/** The ranges the Stats page offers, in days. */
export const RANGES = [7, 14, 30] as const;

/** The range in the address (?days=14), so a view of the charts can be linked; 7 days unless it names another. */
export function rangeDays(value: string | null | undefined): number {
  const days = Number(value);
  return (RANGES as readonly number[]).includes(days) ? days : 7;
}

export type DayRange = { from: string; to: string };

type StatsApi = Pick<Api, 'stats' | 'usage' | 'reputationHistory' | 'activity' | 'models'>;

/** The Stats page's requests for a range: the page and the first task send exactly these. */
function statsLoads(api: StatsApi) {
  const since = (range: DayRange) => `${range.from}T00:00:00Z`;
  return {
    stats: (_range: DayRange, _signal?: AbortSignal) => api.stats(),
    usage: (range: DayRange, signal?: AbortSignal) => api.usage(range, signal),
    // The reputation chart covers the same range; its limit is points per bot (the API shares them out among bots).
    reputation: (range: DayRange, signal?: AbortSignal) => api.reputationHistory({ since: since(range), limit: 500 }, signal),
    // The operator's actions since the range began, marked on the charts' time axes.
    audit: (range: DayRange, signal?: AbortSignal) => api.activity({ audit: true, since: since(range), limit: 200 }, signal),
    // Which providers are the offline simulator, so their models are labelled as simulated.
    models: (_range: DayRange, signal?: AbortSignal) => api.models(signal),
  };
}

type Loads = ReturnType<typeof statsLoads>;
export type StatsRequest = keyof Loads;
type Answer<K extends StatsRequest> = Awaited<ReturnType<Loads[K]>>;

/**
 * The Stats page's data, asked for in the page's first task when the page is the first one shown. The view's own
 * effects run only after its code has downloaded and it has painted once; on a slow phone network that put its five
 * requests half a second behind the page. A request started early is handed to the view once, for the same range;
 * every later load (a reload, another range) is a request of its own.
 */
export interface StatsModel {
  /** Sends the five requests for the last `days` days now. */
  prefetch(days: number, now?: number): void;
  /** The answer to one of the page's requests: the one already on its way if it was prefetched, else a new one. */
  request<K extends StatsRequest>(name: K, range: DayRange, signal?: AbortSignal): Promise<Answer<K>>;
}

export function createStatsModel(api: StatsApi): StatsModel {
  const loads = statsLoads(api);
  const started = new Map<string, Promise<unknown>>();
  const key = (name: StatsRequest, range: DayRange) => `${name} ${range.from} ${range.to}`;
  return {
    prefetch(days, now = Date.now()) {
      const range = lastDays(days, now);
      for (const name of Object.keys(loads) as StatsRequest[]) {
        const promise = loads[name](range);
        // A prefetched request the page never takes (it failed to load, the user left) must not log an unhandled
        // rejection; the page that takes it still sees the error.
        promise.catch(() => undefined);
        started.set(key(name, range), promise);
      }
    },
    request(name, range, signal) {
      const early = started.get(key(name, range));
      if (early) {
        started.delete(key(name, range));
        return early as Promise<Answer<typeof name>>;
      }
      return loads[name](range, signal) as Promise<Answer<typeof name>>;
    },
  };
}
