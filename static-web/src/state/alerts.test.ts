import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertRule } from '../api/types/alerts';
import { createAlertsModel } from './alerts';
import { fromEvent, type FeedItem } from './feed';

function rule(id: number, firing: AlertRule['firing'] = []): AlertRule {
  return {
    alert_id: id, kind: 'heartbeat_failed', bot_id: 1, bot_name: 'Ada', count: 1, window_minutes: 10, percent: null, points: null,
    webhook_url: null, has_secret: false, created_at: '2026-12-06T13:00:00Z', updated_at: '2026-12-06T13:00:00Z', firing,
  };
}

/** A stream that hands its subscriber the items a test pushes. */
function fakeStream() {
  let listener: ((added: FeedItem[]) => void) | null = null;
  return {
    subscribe(l: (added: FeedItem[]) => void) {
      listener = l;
      return () => (listener = null);
    },
    onResync: () => () => {},
    push: (items: FeedItem[]) => listener?.(items),
  };
}

const fired = (alertId: number, botId: number, at: string) =>
  fromEvent({
    id: `fired-${alertId}-${at}`, type: 'alert_fired', bot_id: botId, bot_name: 'Ada', action: 'alert_fired', tokens_used: 0, timestamp: at,
    details: { actor: 'society', alert_id: alertId, kind: 'heartbeat_failed', message: 'Ada failed 1 heartbeat in 10 minutes', bot_id: botId, bot_name: 'Ada', fired_at: at },
  });

describe('the alerts model', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows what is firing on load, an alert heard live at once, and one banner per rule and bot', async () => {
    let rules = [rule(1, [{ bot_id: 1, bot_name: 'Ada', fired_at: '2026-12-06T14:00:00Z', message: 'firing since load', activity_id: 5 }]), rule(2)];
    const api = { alerts: vi.fn(async () => rules) };
    const stream = fakeStream();
    const model = createAlertsModel(api, stream, 100);
    await model.load();
    expect(model.active.value.map((a) => [a.alertId, a.message])).toEqual([[1, 'firing since load']]);

    stream.push([fired(2, 1, '2026-12-06T14:05:00Z')]);
    expect(model.active.value.map((a) => a.alertId)).toEqual([2, 1]);
    // The event asked for a reload; the API now reports rule 2 firing too, with the same firing: still one banner.
    rules = [rules[0], rule(2, [{ bot_id: 1, bot_name: 'Ada', fired_at: '2026-12-06T14:05:00Z', message: 'Ada failed 1 heartbeat in 10 minutes', activity_id: 9 }])];
    await vi.advanceTimersByTimeAsync(150);
    expect(api.alerts).toHaveBeenCalledTimes(2);
    expect(model.active.value.map((a) => a.alertId)).toEqual([2, 1]);
    model.dispose();
  });

  it('hides a dismissed alert until that rule fires again for the bot, and drops the alerts of a deleted rule', async () => {
    const api = { alerts: vi.fn(async () => [rule(1), rule(3)]) };
    const stream = fakeStream();
    const model = createAlertsModel(api, stream, 100);
    await model.load();
    stream.push([fired(1, 1, '2026-12-06T14:05:00Z'), fired(3, 1, '2026-12-06T14:06:00Z')]);
    model.dismiss(model.active.value.find((a) => a.alertId === 1)!);
    expect(model.active.value.map((a) => a.alertId)).toEqual([3]);
    stream.push([fired(1, 1, '2026-12-06T14:20:00Z')]);
    expect(model.active.value.map((a) => a.alertId)).toEqual([1, 3]);
    model.remove(3);
    expect(model.active.value.map((a) => a.alertId)).toEqual([1]);
    model.dispose();
  });
});
