import { describe, expect, it } from 'vitest';
import { ApiError, withQuery } from '../api/client';
import type { PersonalityConfig } from '../api/types/bots';
import { fromActivity, fromEvent, mergeFeed } from '../state/feed';
import { describe as describeItem } from './actions';
import { hueOf, initials } from './avatar';
import { configPatch, patchFields, showValue, valueAt } from './configDiff';
import { formatUsd, memoryText, modelLabel, ratio, splitList } from './format';
import { reputationColumns, usageColumns, usageNotes } from './series';
import { relativeTime } from './time';

const now = Date.parse('2026-11-27T12:00:00Z');

describe('relativeTime', () => {
  it('reads like a person would say it', () => {
    expect(relativeTime(now - 3_000, now)).toBe('just now');
    expect(relativeTime(now - 42_000, now)).toBe('42 seconds ago');
    expect(relativeTime(now - 120_000, now)).toBe('2 minutes ago');
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe('3 hours ago');
    expect(relativeTime(now - 86_400_000, now)).toBe('yesterday');
    expect(relativeTime(now + 90_000, now)).toBe('in 1 minute');
    expect(relativeTime('not a date', now)).toBe('');
  });
});

describe('format', () => {
  it('shows a simulated model as simulated', () => {
    expect(modelLabel('offline-simulator', true)).toBe('offline-simulator (simulated)');
    expect(modelLabel('claude-sonnet-4-5', false)).toBe('claude-sonnet-4-5');
  });
  it('splits the config panel lists on commas and new lines', () => {
    expect(splitList(' chess, astronomy ,\n poetry,, ')).toEqual(['chess', 'astronomy', 'poetry']);
  });
  it('keeps cents and sub-cent costs readable', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(1.5)).toBe('$1.50');
  });
  it('bounds a usage ratio', () => {
    expect(ratio(50, 100)).toBe(0.5);
    expect(ratio(150, 100)).toBe(1);
    expect(ratio(5, 0)).toBe(0);
  });
  it('drops the subject a memory repeats', () => {
    expect(memoryText('Raft', 'Raft: leaders are elected')).toBe('leaders are elected');
    expect(memoryText('Bram', 'I replied to Bram')).toBe('I replied to Bram');
  });
});

describe('avatar', () => {
  it('gives a bot the same colour every time and two-letter initials', () => {
    expect(hueOf('Ada')).toBe(hueOf('Ada'));
    expect(hueOf('Ada')).not.toBe(hueOf('Bram'));
    expect(initials('Ada')).toBe('AD');
    expect(initials('Grace Hopper')).toBe('GH');
  });
});

describe('ApiError', () => {
  it('finds a field’s messages, including list entries under it', () => {
    const error = new ApiError(400, 'bad', {
      'personality.interests[1]': ['must be 1 to 200 characters'],
      'model.max_tokens': ['is 5; it must be between 16 and 8192'],
    });
    expect(error.errorsFor('personality.interests')).toEqual(['must be 1 to 200 characters']);
    expect(error.errorsFor('model.max_tokens')).toEqual(['is 5; it must be between 16 and 8192']);
    expect(error.errorsFor('model.temperature')).toEqual([]);
  });
  it('builds query strings without empty values', () => {
    expect(withQuery('/api/activity', { bot: 2, action: '', since: undefined, limit: 10 })).toBe('/api/activity?bot=2&limit=10');
  });
});

const config: PersonalityConfig = {
  personality: { bio: 'b', traits: ['x'], communication_style: 'witty', interests: ['a', 'b'], quirks: ['q'], catchphrase: null },
  behavior: { creativity_level: 50, leadership_tendency: 50, skepticism: 50, aggression: 10, shyness: 10, engagement_style: 'active' },
  model: { provider: 'offline', model: 'offline-simulator', temperature: 0.5, max_tokens: 400 },
};

describe('configPatch', () => {
  it('sends only what changed', () => {
    const draft = structuredClone(config);
    draft.behavior.skepticism = 80;
    draft.personality.interests = ['a', 'b', 'c'];
    const patch = configPatch(config, draft);
    expect(patch).toEqual({ behavior: { skepticism: 80 }, personality: { interests: ['a', 'b', 'c'] } });
    expect(patchFields(patch)).toEqual(['personality.interests', 'behavior.skepticism']);
    expect(configPatch(config, structuredClone(config))).toEqual({});
  });
  it('reads history values by their dotted field names', () => {
    expect(valueAt(config, 'behavior.skepticism')).toBe(50);
    expect(valueAt(config, 'model.nope')).toBeUndefined();
    expect(showValue(['a', 'b'])).toBe('a, b');
    expect(showValue(null)).toBe('none');
    expect(showValue({ value: 50000, source: 'custom' })).toBe('50000 (custom)');
    expect(showValue({ value: 1, source: 'default' })).toBe('1 (default)');
  });
});

describe('feed', () => {
  const row = {
    id: 7, event_id: 'e7', bot_id: 1, bot_name: 'Ada', action: 'usage_capped', details: {}, input_tokens: 0,
    output_tokens: 0, tokens_used: 0, cost_usd: 0, model: null, timestamp: '2026-11-27T11:00:00Z',
  };
  it('maps activity rows and events to one shape keyed by the event id', () => {
    expect(fromActivity(row)).toMatchObject({ key: 'e7', type: 'usage_capped', activityId: 7 });
    const event = fromEvent({ id: 'e7', type: 'usage_capped', bot_id: 1, bot_name: 'Ada', action: 'usage_capped', details: {}, tokens_used: 0, timestamp: row.timestamp });
    expect(event.key).toBe('e7');
  });
  it('merges newest first without duplicates and reports only what is new', () => {
    const a = fromActivity({ ...row, id: 1, event_id: 'a', timestamp: '2026-11-27T10:00:00Z' });
    const b = fromActivity({ ...row, id: 2, event_id: 'b', timestamp: '2026-11-27T10:01:00Z' });
    const c = fromActivity({ ...row, id: 3, event_id: 'c', timestamp: '2026-11-27T10:02:00Z' });
    const first = mergeFeed([], [a, b], 10);
    const second = mergeFeed(first.items, [b, c, a], 10);
    expect(second.items.map((i) => i.key)).toEqual(['c', 'b', 'a']);
    expect(second.added.map((i) => i.key)).toEqual(['c']);
    expect(mergeFeed(second.items, [], 2).items.map((i) => i.key)).toEqual(['c', 'b']);
  });
  it('describes an action in a sentence', () => {
    const item = fromActivity({ ...row, action: 'search', details: { query: 'raft' } });
    expect(describeItem(item)).toBe('searched for “raft”');
  });
});

describe('chart columns', () => {
  it('lays usage out per day with a gap where a bot had no row, and sums cost', () => {
    const day = (d: string, bot: number, tokens: number, cost: number) => ({
      day: d, bot_id: bot, bot_name: `B${bot}`, input_tokens: tokens, output_tokens: 0, total_tokens: tokens, estimated_cost_usd: cost, calls: 1,
      cached_input_tokens: 0, unpriced_calls: 0,
    });
    const { series, data } = usageColumns([day('2026-11-25', 2, 100, 0.1), day('2026-11-27', 1, 50, 0.2), day('2026-11-27', 2, 70, 0.3)], '2026-11-25', '2026-11-27');
    expect(series.map((b) => b.key)).toEqual(['1', '2']);
    expect(data[0]).toEqual([1795564800, 1795651200, 1795737600]);
    expect(data[1].map((v) => (v === null ? null : Number(v.toFixed(2))))).toEqual([0.1, null, 0.5]);
    expect(data[2]).toEqual([null, null, 50]);
    expect(data[3]).toEqual([100, null, 70]);
  });
  it('spans the whole chosen range, so the range picker sets the axis', () => {
    const row = { day: '2026-11-27', bot_id: 1, bot_name: 'A', input_tokens: 1, output_tokens: 0, total_tokens: 1, estimated_cost_usd: 0, calls: 1, cached_input_tokens: 0, unpriced_calls: 0 };
    expect(usageColumns([row], '2026-11-21', '2026-11-27').data[0].length).toBe(7);
    expect(usageColumns([row], '2026-10-29', '2026-11-27').data[0].length).toBe(30);
    expect(usageColumns([], '2026-11-14', '2026-11-27').data[0]).toHaveLength(14);
  });
  it('says what the usage lines leave out: unpriced calls and cached input, summed over the range', () => {
    const row = { day: '2026-11-27', bot_id: 1, bot_name: 'A', input_tokens: 900, output_tokens: 0, total_tokens: 900, estimated_cost_usd: 0, calls: 3, cached_input_tokens: 0, unpriced_calls: 0 };
    expect(usageNotes([row], String)).toEqual([]);
    const notes = usageNotes([{ ...row, unpriced_calls: 1 }, { ...row, bot_id: 2, unpriced_calls: 2, cached_input_tokens: 1200 }], String);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/^3 calls in this range went to a model with no price/);
    expect(notes[1]).toMatch(/^1200 input tokens came from a provider's prompt cache/);
    expect(usageNotes([{ ...row, unpriced_calls: 1 }], String)[0]).toMatch(/^1 call in this range/);
  });

  it('holds each bot’s reputation until its next point', () => {
    const { data } = reputationColumns([
      { bot_id: 1, bot_name: 'A', points: [{ timestamp: '2026-11-27T00:00:00Z', reputation_score: 10 }, { timestamp: '2026-11-27T02:00:00Z', reputation_score: 12 }] },
      { bot_id: 2, bot_name: 'B', points: [{ timestamp: '2026-11-27T01:00:00Z', reputation_score: 20 }] },
    ]);
    expect(data[1]).toEqual([10, 10, 12]);
    expect(data[2]).toEqual([null, 20, 20]);
  });
});
