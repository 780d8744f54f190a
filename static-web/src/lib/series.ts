import type { ModelUsageDay, ProviderUsage, ReputationSeries, UsageDay } from '../api/types';
import { daySeconds } from './time';

export interface UsageChartData {
  /** Bots in id order, one series each. */
  bots: { id: number; name: string }[];
  /** x (UTC days in seconds), tokens per bot…, then the society's cost per day. */
  data: (number | null)[][];
}

/**
 * Columns for the usage chart: one x per UTC day from the first day with usage (or `from`) to `to` (days without
 * usage inside included, so the axis does not skip; a young society is not squeezed into the right edge), a
 * tokens series per bot (null where it had no row) and the day's total cost.
 */
export function usageColumns(items: UsageDay[], from: string, to: string): UsageChartData {
  const firstUsed = items.reduce((min, i) => (i.day < min ? i.day : min), to);
  const start = Math.max(daySeconds(from), Math.min(daySeconds(firstUsed), daySeconds(to) - 86_400));
  const days: string[] = [];
  for (let t = start; t <= daySeconds(to); t += 86_400) days.push(new Date(t * 1000).toISOString().slice(0, 10));
  const bots = [...new Map(items.map((i) => [i.bot_id, { id: i.bot_id, name: i.bot_name }] as const)).values()].sort((a, b) => a.id - b.id);
  const index = new Map(days.map((d, i) => [d, i] as const));
  const tokens = bots.map(() => days.map((): number | null => null));
  const cost = days.map(() => 0);
  const botIndex = new Map(bots.map((b, i) => [b.id, i] as const));
  for (const item of items) {
    const d = index.get(item.day);
    if (d === undefined) continue;
    tokens[botIndex.get(item.bot_id)!][d] = item.total_tokens;
    cost[d] += item.estimated_cost_usd;
  }
  return { bots, data: [days.map(daySeconds), ...tokens, cost] };
}

/**
 * What the usage chart's lines leave out, as sentences for beneath it: calls to models with no price (their cost is
 * not in the cost line) and input tokens served from a prompt cache (billed at the cached rate). Empty when neither.
 */
export function usageNotes(items: UsageDay[], formatInt: (n: number) => string): string[] {
  const unpriced = items.reduce((sum, i) => sum + i.unpriced_calls, 0);
  const cached = items.reduce((sum, i) => sum + i.cached_input_tokens, 0);
  const notes: string[] = [];
  if (unpriced > 0) {
    notes.push(`${formatInt(unpriced)} call${unpriced === 1 ? '' : 's'} in this range went to a model with no price in the table: their cost is unknown and not in the cost line.`);
  }
  if (cached > 0) notes.push(`${formatInt(cached)} input tokens came from a provider's prompt cache, billed at the cached rate.`);
  return notes;
}

/**
 * Columns for the reputation chart. Each bot's score holds until its next point, so every x (the union of all
 * points' times) gets each bot's latest score at or before it: a step chart where every row of the tooltip is
 * meaningful. Before a bot's first point it has no value (null).
 */
export function reputationColumns(series: ReputationSeries[]): { bots: { id: number; name: string }[]; data: (number | null)[][] } {
  const sorted = [...series].sort((a, b) => a.bot_id - b.bot_id);
  const xs = [...new Set(sorted.flatMap((s) => s.points.map((p) => Math.floor(Date.parse(p.timestamp) / 1000))))].sort((a, b) => a - b);
  const columns = sorted.map((s) => {
    const points = s.points
      .map((p) => [Math.floor(Date.parse(p.timestamp) / 1000), p.reputation_score] as const)
      .sort((a, b) => a[0] - b[0]);
    let j = -1;
    return xs.map((x) => {
      while (j + 1 < points.length && points[j + 1][0] <= x) j++;
      return j >= 0 ? points[j][1] : null;
    });
  });
  return { bots: sorted.map((s) => ({ id: s.bot_id, name: s.bot_name })), data: [xs, ...columns] };
}

export interface ModelCostData {
  /** One series per provider and model, in provider then model order. */
  models: { key: string; provider: string; model: string }[];
  /** x (UTC days in seconds), then the cost per model per day (null on days it had no calls). */
  data: (number | null)[][];
}

/**
 * Columns for the cost-by-model chart: one x per UTC day from the first day with a call (at least two days shown)
 * to `to`, one series per provider/model summing its kinds of call (heartbeats, memory summaries).
 */
export function modelCostColumns(rows: ModelUsageDay[], from: string, to: string): ModelCostData {
  const firstUsed = rows.reduce((min, r) => (r.day < min ? r.day : min), to);
  const start = Math.max(daySeconds(from), Math.min(daySeconds(firstUsed), daySeconds(to) - 86_400));
  const days: number[] = [];
  for (let t = start; t <= daySeconds(to); t += 86_400) days.push(t);
  const index = new Map(days.map((d, i) => [d, i] as const));
  const keyOf = (r: { provider: string; model: string }) => `${r.provider}/${r.model}`;
  const models = [...new Map(rows.map((r) => [keyOf(r), { key: keyOf(r), provider: r.provider, model: r.model }] as const)).values()]
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
  const position = new Map(models.map((m, i) => [m.key, i] as const));
  const cost = models.map(() => days.map((): number | null => null));
  for (const row of rows) {
    const d = index.get(daySeconds(row.day));
    if (d === undefined) continue;
    const series = cost[position.get(keyOf(row))!];
    series[d] = (series[d] ?? 0) + row.cost_usd;
  }
  return { models, data: [days, ...cost] };
}

export interface ProviderRow extends ProviderUsage {
  /** The models of the provider that had calls in the range. */
  models: string[];
  cost_usd: number;
}

/** The provider table: each provider's calls, failures and latency, with its models and cost over the range. */
export function providerRows(providers: ProviderUsage[], rows: ModelUsageDay[]): ProviderRow[] {
  return [...providers]
    .sort((a, b) => b.calls - a.calls || a.provider.localeCompare(b.provider))
    .map((p) => {
      const mine = rows.filter((r) => r.provider === p.provider);
      return {
        ...p,
        models: [...new Set(mine.map((r) => r.model))].sort(),
        cost_usd: p.cost_usd ?? mine.reduce((sum, r) => sum + r.cost_usd, 0),
      };
    });
}
