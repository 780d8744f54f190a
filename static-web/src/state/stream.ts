import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { ActivityQuery } from '../api/client';
import type { ActivityItem, SocietyEvent } from '../api/types/activity';
import type { Page } from '../api/types/common';
import { fromActivity, fromEvent, mergeFeed, type FeedItem } from './feed';

/** live: connected to the relay. reconnecting: the connection dropped or failed; polling meanwhile.
 *  polling: the server offers no live stream (negotiate 503); polling and asking again with backoff. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'polling';

export interface TransportHandlers {
  onEvent(event: SocietyEvent): void;
  /** Called once when an open connection ends without our asking. */
  onClose(reason: string): void;
}

export interface TransportConnection {
  close(): void;
}

/** How the owner reaches the relay; the browser uses Web PubSub, tests a fake. */
export interface StreamTransport {
  /** Resolves once connected; rejects when it cannot connect (a TransportUnavailableError if no stream is offered). */
  open(handlers: TransportHandlers): Promise<TransportConnection>;
}

/** The server says no live stream is configured: a steady state, not a network fault. */
export class TransportUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportUnavailableError';
  }
}

export interface StreamOptions {
  transport: StreamTransport;
  fetchActivity: (query: ActivityQuery) => Promise<Page<ActivityItem>>;
  /** Items kept in memory for the feed. */
  maxItems?: number;
  pollIntervalMs?: number;
  now?: () => number;
}

export const POLL_INTERVAL_MS = 10_000;
export const MAX_BACKOFF_MS = 30_000;
const PAGE = 100;
/** A gap longer than this many pages is not worth replaying row by row; the feed keeps the newest anyway. */
const MAX_GAP_PAGES = 5;
const SINCE_MARGIN_MS = 60_000;
/** Event ids remembered to drop a second delivery: the server's outbox may send an event again after a crash. */
const SEEN_EVENT_IDS = 5_000;

/** Delay before reconnect attempt n (0-based): 1, 2, 4, 8, 16, then 30 s for every later attempt. */
export function backoffDelay(attempt: number): number {
  return Math.min(1000 * 2 ** attempt, MAX_BACKOFF_MS);
}

export type StreamModel = ReturnType<typeof createStreamModel>;

/**
 * The one owner of the live stream. It connects through the transport, falls back to polling /api/activity every
 * 10 s while disconnected, retries with exponential backoff, and on reconnect fills the gap from the API so every
 * missed event appears exactly once. Views read its signals and subscribe to new items; none opens its own stream.
 */
export function createStreamModel(options: StreamOptions) {
  const maxItems = options.maxItems ?? 300;
  const pollInterval = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  const now = options.now ?? (() => Date.now());

  const status = signal<ConnectionStatus>('connecting');
  const items = signal<FeedItem[]>([]);
  const loaded = signal(false);
  const loadError = signal<string | null>(null);
  const nextRetryAt = signal<number | null>(null);
  const lastError = signal<string | null>(null);
  const lastPollAt = signal<number | null>(null);
  const failures = signal(0);
  // Each catch-up after a gap (a poll while disconnected, a recovery) counts here, so views reload what they show:
  // the rows of the gap arrive in the feed, but a view's own data (a pace, a config) is read again to be sure.
  const resyncs = signal(0);

  const listeners = new Set<(added: FeedItem[]) => void>();
  // The ids of the newest events heard live, oldest first: a repeat is dropped even after it left the feed's window.
  const seenEventIds = new Set<string>();
  let connection: TransportConnection | null = null;
  let generation = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let pollTimer: ReturnType<typeof setInterval> | null = null;
  let catchingUp: Promise<void> | null = null;
  let catchUpAgain = false;
  // Whether the next catch-up follows a gap (a drop, a poll while disconnected), which makes it a resync.
  let pendingResync = false;
  let dropSinceLive = false;
  let disposed = false;
  let started = false;

  /** Merges items into the feed; listeners hear of the new ones, except for the first snapshot (nothing happened). */
  function add(incoming: FeedItem[], notify = true) {
    if (incoming.length === 0) return;
    const merged = mergeFeed(items.value, incoming, maxItems);
    items.value = merged.items;
    if (notify && merged.added.length > 0) for (const listener of listeners) listener(merged.added);
  }

  /** Reads what the API has that we have not seen: everything since our newest item, page by page. */
  async function fetchMissing() {
    const newest = items.value[0];
    if (!newest) {
      const page = await options.fetchActivity({ limit: 50 });
      add(page.items.map(fromActivity), false);
      return;
    }
    // Rows are stamped when their heartbeat ran, not when they committed, so one can land slightly older than the
    // newest item we hold; reading a minute back costs a few duplicates, which the merge drops.
    const since = new Date(newest.time - SINCE_MARGIN_MS).toISOString();
    for (let pageIndex = 0; pageIndex < MAX_GAP_PAGES; pageIndex++) {
      const page = await options.fetchActivity({ since, limit: PAGE, offset: pageIndex * PAGE });
      add(page.items.map(fromActivity));
      if (page.items.length < PAGE || (pageIndex + 1) * PAGE >= page.total) break;
    }
  }

  /** One catch-up at a time; a request during one runs again after it, so nothing is skipped. */
  function catchUp(afterGap = false): Promise<void> {
    pendingResync ||= afterGap;
    if (catchingUp) {
      catchUpAgain = true;
      return catchingUp;
    }
    catchingUp = (async () => {
      do {
        catchUpAgain = false;
        try {
          const resync = pendingResync;
          pendingResync = false;
          await fetchMissing();
          loaded.value = true;
          loadError.value = null;
          if (resync) resyncs.value = resyncs.value + 1;
        } catch (error) {
          loadError.value = (error as Error).message;
        }
      } while (catchUpAgain && !disposed);
    })().finally(() => {
      catchingUp = null;
    });
    return catchingUp;
  }

  function startPolling() {
    if (pollTimer !== null || disposed) return;
    pollTimer = setInterval(() => {
      lastPollAt.value = now();
      void catchUp(true);
    }, pollInterval);
  }

  function stopPolling() {
    if (pollTimer !== null) clearInterval(pollTimer);
    pollTimer = null;
  }

  function scheduleRetry() {
    if (disposed) return;
    // The n-th retry since the last success waits backoffDelay(n): 1, 2, 4 … 30 s.
    const delay = backoffDelay(failures.value);
    failures.value = failures.value + 1;
    nextRetryAt.value = now() + delay;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, delay);
  }

  function dropped(reason: string, unavailable: boolean) {
    connection = null;
    dropSinceLive = true;
    lastError.value = reason;
    status.value = unavailable ? 'polling' : 'reconnecting';
    startPolling();
    scheduleRetry();
  }

  async function connect() {
    if (disposed) return;
    const mine = ++generation;
    nextRetryAt.value = null;
    try {
      const opened = await options.transport.open({
        onEvent(event) {
          if (mine !== generation || disposed || seenEventIds.has(event.id)) return;
          seenEventIds.add(event.id);
          if (seenEventIds.size > SEEN_EVENT_IDS) seenEventIds.delete(seenEventIds.values().next().value!);
          add([fromEvent(event)]);
        },
        onClose(reason) {
          if (mine !== generation || disposed) return;
          generation++;
          // A fresh drop starts the backoff again at 1 s.
          failures.value = 0;
          dropped(reason, false);
          // Poll at once so the feed is not stale for the first interval.
          lastPollAt.value = now();
          void catchUp(true);
        },
      });
      if (mine !== generation || disposed) {
        opened.close();
        return;
      }
      connection = opened;
      failures.value = 0;
      lastError.value = null;
      status.value = 'live';
      stopPolling();
      // Whatever happened while we were away arrives once: the merge drops what the stream already delivered.
      const afterGap = dropSinceLive;
      dropSinceLive = false;
      await catchUp(afterGap);
    } catch (error) {
      if (mine !== generation || disposed) return;
      const unavailable = error instanceof TransportUnavailableError;
      dropped((error as Error).message, unavailable);
    }
  }

  return {
    status: status as ReadonlySignal<ConnectionStatus>,
    items: items as ReadonlySignal<FeedItem[]>,
    loaded: loaded as ReadonlySignal<boolean>,
    loadError: loadError as ReadonlySignal<string | null>,
    nextRetryAt: nextRetryAt as ReadonlySignal<number | null>,
    lastError: lastError as ReadonlySignal<string | null>,
    lastPollAt: lastPollAt as ReadonlySignal<number | null>,
    /** Catch-ups after a gap (polls, recoveries): a view reloads on each, for what it may have missed. */
    resyncs: resyncs as ReadonlySignal<number>,
    /** Calls `listener` after each catch-up that follows a gap (not for the one already counted); returns the unsubscribe. */
    onResync(listener: () => void): () => void {
      const seen = resyncs.peek();
      return resyncs.subscribe((count) => {
        if (count !== seen) listener();
      });
    },
    /** Retries scheduled since the stream was last live. */
    failures: failures as ReadonlySignal<number>,
    polling: computed(() => status.value === 'reconnecting' || status.value === 'polling'),

    /** Loads the newest activity and opens the stream. */
    start() {
      if (started || disposed) return;
      started = true;
      void catchUp();
      void connect();
    },

    /** Reads what the API has that the feed lacks, now (an error state's "Try again"). */
    refresh(): Promise<void> {
      return catchUp();
    },

    /** Skips the wait and tries the stream now (the badge's "retry" button). */
    retryNow() {
      if (disposed || status.peek() === 'live' || status.peek() === 'connecting') return;
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      void connect();
    },

    /** Called with the items that were new to the feed, newest first. */
    subscribe(listener: (added: FeedItem[]) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    dispose() {
      disposed = true;
      generation++;
      if (retryTimer !== null) clearTimeout(retryTimer);
      stopPolling();
      connection?.close();
      connection = null;
      listeners.clear();
    },
  };
}
