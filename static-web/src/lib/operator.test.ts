import { describe, expect, it } from 'vitest';
import type { ActivityItem, ModelTrace } from '../api/types/activity';
import { fromActivity, fromEvent } from '../state/feed';
import { describe as sentence, isOperatorRow, operatorSentence, toneFor } from './actions';
import { doubledCaps, draftErrors, draftOf, newDraft, requestOf, ruleSummary, visibleFields } from './alertRules';
import { dotOf, healthOf } from './health';
import { auditMarks } from './marks';
import { modelCostColumns, providerRows } from './series';
import { traceSummary } from './trace';

const now = Date.parse('2026-12-06T15:00:00Z');

function row(action: string, details: Record<string, unknown>, extra: Partial<ActivityItem> = {}): ActivityItem {
  return {
    id: 10, event_id: `e-${action}`, bot_id: 1, bot_name: 'Ada', action, details, input_tokens: 0, output_tokens: 0,
    tokens_used: 0, cost_usd: 0, model: null, timestamp: '2026-12-06T14:02:00Z', actor: 'operator', ...extra,
  };
}
const text = (item: ActivityItem) => sentence(fromActivity(item));

describe('feed sentences for the operator and the society', () => {
  it('names the actor and the bot of a pause and a resume', () => {
    expect(text(row('pause', { actor: 'operator', before: { status: 'active' }, after: { status: 'paused' } }))).toBe('operator paused Ada');
    expect(text(row('resume', { actor: 'key:ci', before: { status: 'paused' }, after: { status: 'active' } }, { actor: 'key:ci' }))).toBe('key:ci resumed Ada');
    // The society pauses a provider's bots when the provider refuses its key, and says why.
    const refused = row('pause', { actor: 'society', after: { status: 'paused', reason: 'anthropic refused the key' }, reason: 'anthropic refused the key' }, { actor: 'society' });
    expect(text(refused)).toBe('society paused Ada: anthropic refused the key');
  });

  it('names the pace a society-wide row changed from and to', () => {
    const pace = row('pace_changed', { actor: 'operator', before: { pace: 'normal' }, after: { pace: 'fast' }, from: 'normal', to: 'fast', pace: 'fast' }, { bot_id: null, bot_name: null });
    expect(text(pace)).toBe("operator changed the society's pace from normal to fast");
    // Only before and after: still both names.
    expect(text(row('pace_changed', { before: { pace: 'slow' }, after: { pace: 'paused' } }, { bot_id: null, bot_name: null }))).toBe("operator changed the society's pace from slow to paused");
    // A live event of an older server, with the pace only.
    const event = fromEvent({ id: 'p', type: 'pace_changed', bot_id: null, bot_name: null, action: 'set_pace', details: { pace: 'slow' }, tokens_used: 0, timestamp: '2026-12-06T14:02:00Z' });
    expect(sentence(event)).toBe("operator changed the society's pace to slow");
  });

  it('says which config values changed, from what to what', () => {
    const one = row('config_updated', {
      actor: 'operator', fields: ['behavior.skepticism'], version: 4,
      before: { behavior: { skepticism: 65, shyness: 20 } }, after: { behavior: { skepticism: 80, shyness: 20 } },
    });
    expect(text(one)).toBe("operator changed Ada's skepticism from 65 to 80");
    const two = row('config_updated', {
      fields: ['model.provider', 'model.model'],
      before: { model: { provider: 'offline', model: 'offline-simulator' } }, after: { model: { provider: 'ollama', model: 'llama3.2' } },
    });
    expect(text(two)).toBe("operator changed Ada's provider from offline to ollama and model from offline-simulator to llama3.2");
    const many = row('config_updated', { fields: ['personality.bio', 'personality.quirks', 'behavior.aggression', 'behavior.shyness'], before: {}, after: {} });
    expect(text(many)).toBe("operator changed 4 settings of Ada's config: bio, quirks, aggression, …");
    expect(text(row('config_reset', { fields: ['behavior.skepticism', 'model.temperature'], before: {}, after: {} }))).toBe("operator reset Ada's config to its YAML defaults (2 settings changed)");
  });

  it('says whether a cost cap was raised, lowered or set back to the default', () => {
    const caps = (tokens: number, tokenSource: string, cost: number, costSource: string) => ({
      daily_token_cap: { value: tokens, source: tokenSource }, daily_cost_cap_usd: { value: cost, source: costSource },
    });
    const raised = row('cost_cap_changed', { actor: 'key:ci', fields: ['daily_token_cap'], before: caps(50_000, 'custom', 1, 'default'), after: caps(80_000, 'custom', 1, 'default') }, { actor: 'key:ci' });
    expect(text(raised)).toBe("key:ci raised Ada's daily token cap from 50,000 to 80,000");
    const both = row('cost_cap_changed', { fields: ['daily_token_cap', 'daily_cost_cap_usd'], before: caps(80_000, 'custom', 2, 'custom'), after: caps(40_000, 'custom', 4, 'custom') });
    expect(text(both)).toBe("operator lowered Ada's daily token cap from 80,000 to 40,000 and raised its daily cost cap from $2.00 to $4.00");
    const reset = row('cost_cap_changed', { fields: ['daily_token_cap'], before: caps(123_456, 'custom', 1, 'default'), after: caps(100_000, 'default', 1, 'default') });
    expect(text(reset)).toBe("operator set Ada's daily token cap back to the default (100,000)");
    // Without the fields list, the values say what changed.
    expect(text(row('cost_cap_changed', { before: caps(100_000, 'default', 1, 'default'), after: caps(100_000, 'default', 2.5, 'custom') }))).toBe("operator raised Ada's daily cost cap from $1.00 to $2.50");
  });

  it('describes alert rules created, changed and deleted, and an alert that fired', () => {
    const rule = { alert_id: 3, kind: 'heartbeat_failed', bot_id: 1, bot_name: 'Ada', count: 3, window_minutes: 15 };
    expect(text(row('alert_rule_created', { before: null, after: rule }))).toBe('operator created an alert: Ada fails 3 heartbeats within 15 min');
    // The server keeps the rule with its bot's id only; the row names the bot.
    const kept = { alert_id: 3, kind: 'spend', bot_id: 2, percent: 80, webhook_url: null, has_secret: false };
    expect(text(row('alert_rule_created', { alert_id: 3, kind: 'spend', before: null, after: kept }, { bot_id: 2, bot_name: 'Bram' }))).toBe('operator created an alert: Bram spends 80% of its daily cap');
    expect(text(row('alert_rule_updated', { before: rule, after: { ...rule, count: 1 } }))).toBe('operator changed the alert “Ada fails 1 heartbeat within 15 min”');
    expect(text(row('alert_rule_deleted', { before: { ...rule, kind: 'events_lost', bot_id: null, bot_name: null }, after: null }, { bot_id: null, bot_name: null }))).toBe('operator deleted the alert “live events are lost”');
    const fired = row('alert_fired', { actor: 'society', alert_id: 3, kind: 'heartbeat_failed', message: 'Ada failed 3 heartbeats in 15 minutes', bot_id: 1, bot_name: 'Ada', fired_at: '2026-12-06T14:02:00Z' }, { actor: 'society' });
    expect(text(fired)).toBe('society fired an alert: Ada failed 3 heartbeats in 15 minutes');
    expect(toneFor(fromActivity(fired))).toBe('bad');
  });

  it('maps each new row to the live event type it was, and keeps the actor', () => {
    const types = {
      pause: 'bot_paused', resume: 'bot_resumed', pace_changed: 'pace_changed', config_updated: 'config_updated',
      config_reset: 'config_updated', cost_cap_changed: 'config_updated', alert_rule_created: 'alert_rule_changed',
      alert_rule_updated: 'alert_rule_changed', alert_rule_deleted: 'alert_rule_changed', alert_fired: 'alert_fired',
    };
    for (const [action, type] of Object.entries(types)) {
      const item = fromActivity(row(action, {}, { actor: 'key:ci' }));
      expect(item.type).toBe(type);
      expect(item.actor).toBe('key:ci');
      expect(isOperatorRow(item)).toBe(true);
    }
    // The live copy of a row has the same key and reads its actor from the details.
    const event = fromEvent({ id: 'e-pause', type: 'bot_paused', bot_id: 1, bot_name: 'Ada', action: 'pause', details: { actor: 'operator' }, tokens_used: 0, timestamp: '2026-12-06T14:02:00Z' });
    expect(event.actor).toBe('operator');
    expect(sentence(event)).toBe('operator paused Ada');
    // A bot's own row is not the operator's, and keeps its subject.
    const own = fromActivity(row('search', { query: 'raft' }, { actor: null }));
    expect(isOperatorRow(own)).toBe(false);
    expect(operatorSentence(own)).toBeNull();
    expect(sentence(own)).toBe('searched for “raft”');
  });
});

describe('alert form rules', () => {
  it('shows the numbers each kind needs, and a bot only for kinds that watch one', () => {
    expect(visibleFields('heartbeat_failed')).toEqual({ numbers: ['count', 'window_minutes'], bot: true });
    expect(visibleFields('usage_capped')).toEqual({ numbers: [], bot: true });
    expect(visibleFields('spend')).toEqual({ numbers: ['percent'], bot: true });
    expect(visibleFields('reputation_drop')).toEqual({ numbers: ['points', 'window_minutes'], bot: true });
    expect(visibleFields('events_lost')).toEqual({ numbers: [], bot: false });
  });

  it('sends only the fields of the chosen kind', () => {
    const draft = { ...newDraft('heartbeat_failed'), botId: '2', count: '1', window_minutes: '10', percent: '50' };
    expect(requestOf(draft, false)).toEqual({ kind: 'heartbeat_failed', bot_id: 2, count: 1, window_minutes: 10, webhook_url: null });
    expect(requestOf({ ...draft, kind: 'spend' }, false)).toEqual({ kind: 'spend', bot_id: 2, percent: 50, webhook_url: null });
    expect(requestOf({ ...draft, kind: 'events_lost', webhookUrl: ' https://hooks.example.com/x ' }, false)).toEqual({ kind: 'events_lost', webhook_url: 'https://hooks.example.com/x' });
    expect(requestOf({ ...draft, botId: '' }, false).bot_id).toBeNull();
  });

  it('keeps the current secret unless a new one is typed or removal is asked for', () => {
    const draft = newDraft('usage_capped');
    expect('secret' in requestOf(draft, true)).toBe(false);
    expect('secret' in requestOf(draft, false)).toBe(false);
    expect(requestOf({ ...draft, secret: 's3cret' }, true).secret).toBe('s3cret');
    expect(requestOf({ ...draft, clearSecret: true }, true).secret).toBeNull();
  });

  it('marks a required number that is empty or not a number, and nothing a kind does not ask for', () => {
    expect(draftErrors({ ...newDraft('heartbeat_failed'), count: '', window_minutes: 'ten' })).toEqual({
      count: ['is required for this kind of alert'],
      window_minutes: ["must be a number; got 'ten'"],
    });
    expect(draftErrors({ ...newDraft('usage_capped'), count: '' })).toEqual({});
  });

  it('edits a rule from what the API returned', () => {
    const draft = draftOf({
      alert_id: 4, kind: 'spend', bot_id: null, bot_name: null, count: null, window_minutes: null, percent: 75, points: null,
      webhook_url: 'https://hooks.example.com/a', has_secret: true, created_at: '', updated_at: '', firing: [],
    });
    expect(draft).toMatchObject({ kind: 'spend', botId: '', percent: '75', webhookUrl: 'https://hooks.example.com/a', secret: '' });
    expect(ruleSummary({ kind: 'spend', bot_id: null, percent: 75 })).toBe('any bot spends 75% of its daily cap');
    expect(ruleSummary({ kind: 'reputation_drop', bot_name: 'Bram', points: 1, window_minutes: 60 })).toBe('Bram loses 1 reputation point within 60 min');
  });

  it('doubles the caps the banner raises, the cost to the cent', () => {
    expect(doubledCaps({ daily_token_cap: 100_000, daily_cost_cap_usd: 1.005 })).toEqual({ daily_token_cap: 200_000, daily_cost_cap_usd: 2.01 });
  });
});

describe('bot health', () => {
  const bot = { status: 'active', status_reason: null, health: 'healthy', failure_kind: null, failing_since: null, failed_heartbeats: 0 };
  it('never shows a failing or unreachable bot as a green active', () => {
    const failing = healthOf({ ...bot, health: 'failing', failure_kind: 'network', failing_since: '2026-12-06T14:02:30Z', failed_heartbeats: 3 }, now);
    expect(failing).toMatchObject({ label: 'failing since 14:02 · network', tone: 'bad' });
    expect(failing.detail).toMatch(/^3 heartbeats in a row failed since 6 Dec 2026/);
    expect(healthOf({ ...bot, health: 'unreachable' }, now)).toMatchObject({ label: 'unreachable', tone: 'bad' });
    expect(dotOf({ ...bot, health: 'unreachable' })).toBe('unreachable');
    // An earlier day says which.
    expect(healthOf({ ...bot, health: 'failing', failing_since: '2026-12-05T23:10:00Z' }, now).label).toBe('failing since 5 Dec, 23:10');
  });
  it('keeps the status display otherwise', () => {
    expect(healthOf(bot, now)).toMatchObject({ label: 'active', tone: 'good' });
    expect(healthOf({ ...bot, status: 'paused', health: 'paused' }, now)).toMatchObject({ label: 'paused', tone: '' });
    expect(healthOf({ ...bot, status: 'capped', health: 'capped' }, now)).toMatchObject({ label: 'capped', tone: 'warn' });
    // A server without health: the status stands.
    expect(healthOf({ status: 'capped', status_reason: null }, now)).toMatchObject({ label: 'capped', tone: 'warn' });
    expect(dotOf(bot)).toBe('active');
  });
});

describe('operator marks on the charts', () => {
  const pause = row('pause', { actor: 'operator' }, { timestamp: '2026-12-06T14:02:00Z' });
  const pace = row('pace_changed', { from: 'normal', to: 'fast' }, { bot_id: null, bot_name: null, timestamp: '2026-12-06T09:30:00Z', event_id: 'p' });
  const earlier = row('resume', {}, { timestamp: '2026-12-05T08:00:00Z', event_id: 'r' });
  it('puts one mark per action at its time', () => {
    const marks = auditMarks([pause, pace, earlier], false);
    expect(marks.map((m) => m.x)).toEqual([Date.parse('2026-12-05T08:00:00Z') / 1000, Date.parse('2026-12-06T09:30:00Z') / 1000, Date.parse('2026-12-06T14:02:00Z') / 1000]);
    expect(marks[2].label).toBe('14:02 operator paused Ada');
  });
  it('gathers a day’s actions into one mark at that day on a chart of days', () => {
    const marks = auditMarks([pause, pace, earlier], true);
    expect(marks.map((m) => m.x)).toEqual([Date.parse('2026-12-05T00:00:00Z') / 1000, Date.parse('2026-12-06T00:00:00Z') / 1000]);
    expect(marks[1].label).toBe("6 Dec, UTC:\n09:30 operator changed the society's pace from normal to fast\n14:02 operator paused Ada");
  });
});

describe('cost by model', () => {
  const usage = (day: string, provider: string, model: string, kind: string, cost: number) => ({
    day, provider, model, kind, calls: 2, failures: 0, input_tokens: 10, output_tokens: 5, cost_usd: cost,
  });
  it('sums the kinds of call per provider and model per day over the whole range, with gaps on days without calls', () => {
    const { models, data } = modelCostColumns([
      usage('2026-12-05', 'openai', 'gpt-4o-mini', 'heartbeat', 0.25),
      usage('2026-12-06', 'openai', 'gpt-4o-mini', 'heartbeat', 0.5),
      usage('2026-12-06', 'openai', 'gpt-4o-mini', 'memory_summary', 0.25),
      usage('2026-12-06', 'anthropic', 'claude-haiku-4-5', 'heartbeat', 1),
    ], '2026-11-30', '2026-12-06');
    expect(models.map((m) => m.key)).toEqual(['anthropic/claude-haiku-4-5', 'openai/gpt-4o-mini']);
    expect(data[0]).toHaveLength(7);
    expect(data[0].slice(-2)).toEqual([Date.parse('2026-12-05T00:00:00Z') / 1000, Date.parse('2026-12-06T00:00:00Z') / 1000]);
    expect(data[1].slice(-2)).toEqual([null, 1]);
    expect(data[2]).toEqual([null, null, null, null, null, 0.25, 0.75]);
  });
  it('lists providers by calls, with their models and cost', () => {
    const rows = providerRows(
      [
        { provider: 'offline', calls: 5, failures: 0, failure_rate: 0, latency_p50_ms: 1, latency_p95_ms: 2, latency_samples: 5 },
        { provider: 'ollama', calls: 9, failures: 9, failure_rate: 1, latency_p50_ms: null, latency_p95_ms: null, latency_samples: 0 },
      ],
      [usage('2026-12-06', 'offline', 'offline-simulator', 'heartbeat', 0), usage('2026-12-06', 'ollama', 'llama3.2', 'heartbeat', 0)],
    );
    expect(rows.map((r) => [r.provider, r.models, r.cost_usd])).toEqual([['ollama', ['llama3.2'], 0], ['offline', ['offline-simulator'], 0]]);
  });
});

describe('trace summary', () => {
  const trace: ModelTrace = {
    trace_id: 1, activity_id: 2, bot_id: 1, kind: 'heartbeat', provider: 'offline', model: 'offline-simulator', simulated: true,
    messages: [{ role: 'system', text: 'You are Ada.' }], completion: '{"action":"rest"}', input_tokens: 1234, output_tokens: 56,
    cached_input_tokens: 0, latency_ms: 2400, cost_usd: 0, retries: 1, failure_kind: null, failure: null, created_at: '2026-12-06T14:02:00Z',
  };
  it('reads model (marked simulated), provider, tokens, latency, cost, retries and the outcome', () => {
    expect(traceSummary(trace)).toEqual(['offline-simulator (simulated)', 'offline', '1,234 in / 56 out / 0 cached tokens', '2.40 s', '$0.00', '1 retry', 'succeeded']);
    expect(traceSummary({ ...trace, simulated: false, latency_ms: 830, cost_usd: null, retries: 0, failure_kind: 'network', failure: 'connection refused' }).slice(3))
      .toEqual(['830 ms', 'cost unknown (no price)', '0 retries', 'failed (network)']);
    expect(traceSummary({ ...trace, latency_ms: 0.46 })[3]).toBe('0.5 ms');
  });
});
