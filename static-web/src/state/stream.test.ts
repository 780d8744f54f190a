import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActivityQuery } from '../api/client';
import type { ActivityItem, SocietyEvent } from '../api/types/activity';
import type { Page } from '../api/types/common';
import {
  backoffDelay, createStreamModel, TransportUnavailableError,
  type StreamTransport, type TransportHandlers,
} from './stream';

/** A society's activity log as the API serves it: newest first, `since` inclusive, limit/offset paging. */
class FakeActivityApi {
  rows: ActivityItem[] = [];
  calls: ActivityQuery[] = [];
  private next = 1;

  add(at: number, action = 'reply'): ActivityItem {
    const id = this.next++;
    const row: ActivityItem = {
      id, event_id: `evt-${id}`, bot_id: 1, bot_name: 'Ada', action, details: {}, input_tokens: 10,
      output_tokens: 2, tokens_used: 12, cost_usd: 0, model: 'offline-simulator', timestamp: new Date(at).toISOString(),
    };
    this.rows.push(row);
    return row;
  }

  fetch = async (q: ActivityQuery): Promise<Page<ActivityItem>> => {
    this.calls.push(q);
    const since = q.since ? Date.parse(q.since) : -Infinity;
    const matching = this.rows.filter((r) => Date.parse(r.timestamp) >= since).sort((a, b) => b.id - a.id);
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 50;
    return { items: matching.slice(offset, offset + limit), total: matching.length, limit, offset };
  };
}

/** The event a heartbeat publishes for an activity row: same id as the row's event_id. */
function eventOf(row: ActivityItem): SocietyEvent {
  return {
    id: row.event_id, type: 'heartbeat_complete', bot_id: row.bot_id, bot_name: row.bot_name, action: row.action,
    details: {}, tokens_used: row.tokens_used, timestamp: row.timestamp,
  };
}

/** A relay we can switch on and off, and whose connections we can drop. */
class FakeTransport implements StreamTransport {
  attempts: number[] = [];
  up = false;
  unavailable = false;
  current: TransportHandlers | null = null;
  closedByOwner = 0;

  async open(handlers: TransportHandlers) {
    this.attempts.push(Date.now());
    if (this.unavailable) throw new TransportUnavailableError('No live stream is configured.');
    if (!this.up) throw new Error('connection refused');
    this.current = handlers;
    return { close: () => { this.closedByOwner++; } };
  }

  send(event: SocietyEvent) {
    this.current?.onEvent(event);
  }

  drop() {
    const handlers = this.current;
    this.current = null;
    this.up = false;
    handlers?.onClose('network');
  }
}

const T0 = Date.parse('2026-11-27T12:00:00Z');

describe('backoffDelay', () => {
  it('doubles from 1 s and stays at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(backoffDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});

describe('the stream owner', () => {
  let api: FakeActivityApi;
  let transport: FakeTransport;

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    api = new FakeActivityApi();
    transport = new FakeTransport();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  function start() {
    const stream = createStreamModel({ transport, fetchActivity: api.fetch });
    stream.start();
    return stream;
  }

  it('retries a relay that is not offered after 1, 2, 4, 8, 16, 30, 30 s and says it is polling', async () => {
    transport.unavailable = true;
    const stream = start();
    await vi.advanceTimersByTimeAsync(0);
    expect(stream.status.value).toBe('polling');

    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000 + 16000 + 30000 + 30000);
    const gaps = transport.attempts.slice(1).map((t, i) => t - transport.attempts[i]);
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(stream.status.value).toBe('polling');
    stream.dispose();
  });

  it('polls /api/activity every 10 s while disconnected and shows what it finds', async () => {
    transport.unavailable = true;
    api.add(T0 - 5000);
    const stream = start();
    const heard: string[] = [];
    stream.subscribe((added) => heard.push(...added.map((i) => i.key)));
    await vi.advanceTimersByTimeAsync(0);
    expect(stream.items.value.map((i) => i.key)).toEqual(['evt-1']);

    const before = api.calls.length;
    api.add(T0 + 3000, 'vote');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.calls.length).toBe(before + 1);
    expect(stream.items.value.map((i) => i.key)).toEqual(['evt-2', 'evt-1']);
    // The first snapshot is history, not news; what the poll found is.
    expect(heard).toEqual(['evt-2']);

    await vi.advanceTimersByTimeAsync(30_000);
    expect(api.calls.length).toBe(before + 4);
    stream.dispose();
  });

  it('stops polling once the stream is live', async () => {
    transport.up = true;
    const stream = start();
    await vi.advanceTimersByTimeAsync(0);
    expect(stream.status.value).toBe('live');
    const calls = api.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.calls.length).toBe(calls);
    stream.dispose();
  });

  it('after a drop shows reconnecting, polls, and on recovery shows every missed event exactly once', async () => {
    transport.up = true;
    const stream = start();
    const heard: string[] = [];
    stream.subscribe((added) => heard.push(...added.map((i) => i.key)));
    await vi.advanceTimersByTimeAsync(0);

    const a = api.add(T0 + 1000);
    transport.send(eventOf(a));
    expect(stream.items.value.map((i) => i.key)).toEqual(['evt-1']);

    transport.drop();
    expect(stream.status.value).toBe('reconnecting');

    // While down: the relay misses b and c; the poll picks up b; c happens after the last poll.
    const b = api.add(T0 + 2000);
    await vi.advanceTimersByTimeAsync(500);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(stream.items.value.map((i) => i.key)).toContain(b.event_id);
    const c = api.add(T0 + 12_000);

    // The relay comes back; its replay repeats b, and d arrives live.
    transport.up = true;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(stream.status.value).toBe('live');
    transport.send(eventOf(b));
    const d = api.add(T0 + 45_000);
    transport.send(eventOf(d));
    await vi.advanceTimersByTimeAsync(0);

    const keys = stream.items.value.map((i) => i.key);
    expect(keys).toEqual([d, c, b, a].map((r) => r.event_id));
    expect([...heard].sort()).toEqual([a, b, c, d].map((r) => r.event_id).sort());

    // Live again: no more polling.
    const calls = api.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.calls.length).toBe(calls);
    stream.dispose();
  });

  it('counts a resync after each catch-up that followed a gap, never for the first load', async () => {
    transport.up = true;
    const stream = start();
    await vi.advanceTimersByTimeAsync(0);
    expect(stream.status.value).toBe('live');
    expect(stream.resyncs.value).toBe(0);

    // The drop's immediate poll and one 10 s poll, then the recovery's catch-up: three chances to have missed
    // an operator's change that no activity row records.
    transport.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(stream.resyncs.value).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(stream.resyncs.value).toBe(2);
    transport.up = true;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(stream.status.value).toBe('live');
    const recovered = stream.resyncs.value;
    expect(recovered).toBeGreaterThanOrEqual(3);

    // Live and quiet: no more resyncs.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stream.resyncs.value).toBe(recovered);
    stream.dispose();
  });

  it('starts the backoff at 1 s again after every drop', async () => {
    transport.up = true;
    const stream = start();
    await vi.advanceTimersByTimeAsync(0);
    transport.drop();
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
    transport.up = true;
    await vi.advanceTimersByTimeAsync(8000);
    expect(stream.status.value).toBe('live');

    const before = transport.attempts.length;
    transport.drop();
    await vi.advanceTimersByTimeAsync(999);
    expect(transport.attempts.length).toBe(before);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.attempts.length).toBe(before + 1);
    stream.dispose();
  });

  it('fills a long gap page by page', async () => {
    transport.up = true;
    api.add(T0 - 1000);
    const stream = start();
    await vi.advanceTimersByTimeAsync(0);
    transport.drop();
    for (let i = 0; i < 250; i++) api.add(T0 + 1000 + i);
    transport.up = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(stream.status.value).toBe('live');
    expect(stream.items.value.length).toBe(251);
    expect(new Set(stream.items.value.map((i) => i.key)).size).toBe(251);
    stream.dispose();
  });

  it('fills in a missed row stamped a little before the newest event it holds', async () => {
    transport.up = true;
    const stream = start();
    await vi.advanceTimersByTimeAsync(0);
    const late = api.add(T0 + 10_000);
    transport.send(eventOf(late));
    transport.drop();
    // Written after `late` was delivered, but stamped when its heartbeat started, 5 s earlier.
    const early = api.add(T0 + 5_000);
    transport.up = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(stream.items.value.map((i) => i.key)).toEqual([late.event_id, early.event_id]);
    stream.dispose();
  });

  it('ignores events from a connection it has given up', async () => {
    transport.up = true;
    const stream = start();
    await vi.advanceTimersByTimeAsync(0);
    const old = transport.current!;
    transport.drop();
    old.onEvent(eventOf(api.add(T0 + 500)));
    expect(stream.items.value).toEqual([]);
    stream.dispose();
  });

  it('drops an event delivered again, even after it left the feed', async () => {
    transport.up = true;
    const stream = createStreamModel({ transport, fetchActivity: api.fetch, maxItems: 2 });
    stream.start();
    await vi.advanceTimersByTimeAsync(0);
    const heard: string[] = [];
    stream.subscribe((added) => heard.push(...added.map((i) => i.key)));

    const first = eventOf(api.add(T0 + 100));
    transport.send(first);
    transport.send(first);
    transport.send(eventOf(api.add(T0 + 200)));
    transport.send(eventOf(api.add(T0 + 300)));
    // The first event is out of the two-item feed now; the outbox sending it once more must not bring it back.
    transport.send(first);

    expect(heard).toEqual(['evt-1', 'evt-2', 'evt-3']);
    expect(stream.items.value.map((i) => i.key)).toEqual(['evt-3', 'evt-2']);
    stream.dispose();
  });

  it('stops every timer when disposed', async () => {
    transport.unavailable = true;
    const stream = start();
    await vi.advanceTimersByTimeAsync(0);
    stream.dispose();
    const attempts = transport.attempts.length;
    const calls = api.calls.length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(transport.attempts.length).toBe(attempts);
    expect(api.calls.length).toBe(calls);
  });

  it('retries at once when asked', async () => {
    transport.unavailable = true;
    const stream = start();
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
    transport.unavailable = false;
    transport.up = true;
    stream.retryNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(stream.status.value).toBe('live');
    stream.dispose();
  });
});
