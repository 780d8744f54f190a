import type { ModelUsageDay, ProviderUsage, ReputationSeries, UsageDay } from '../api/types/stats';
import { assignColors, groupSeries, MAX_SERIES, OTHERS_COLOR, othersLabel, PALETTE } from './palette';
import { daySeconds } from './time';

/** One line of a chart: a bot, a model, or the group of what did not get a line of its own. */
export interface ChartSeries {
  /** Stable across reloads: the bot's id, the provider/model, or "others". */
  key: string;
  label: string;
  color: string;
  /** How many bots (or models) an "others" series stands for; absent for a single one. */
  members?: number;
}

export interface UsageChartData {
  /** One series per bot shown, in id order, then "others" when there are more bots than colours. */
  series: ChartSeries[];
  /** x (every UTC day from `from` to `to`, in seconds), the cost per day (drawn first, as bars under the lines), then tokens per series. */
  data: (number | null)[][];
}

/** Every UTC day from `from` to `to` (yyyy-mm-dd, both included), as uPlot's x values. */
export function dayRange(from: string, to: string): number[] {
  const days: number[] = [];
  for (let t = daySeconds(from); t <= daySeconds(to); t += 86_400) days.push(t);
  return days;
}

/**
 * Columns for the usage chart: one x per UTC day of the chosen range (days before the society began or without usage
 * included, so the range picker sets the axis), the day's total cost, and a tokens series per bot (null where it had
 * no row). Beyond `max` bots the largest by tokens over the range keep a line each and the rest are one "others"
 * line, their average per bot.
 */
export function usageColumns(items: UsageDay[], from: string, to: string, max = MAX_SERIES): UsageChartData {
  const days = dayRange(from, to);
  const index = new Map(days.map((d, i) => [d, i] as const));
  const bots = [...new Map(items.map((i) => [i.bot_id, { id: i.bot_id, name: i.bot_name, total: 0 }])).values()].sort((a, b) => a.id - b.id);
  const byId = new Map(bots.map((b) => [b.id, b] as const));
  for (const item of items) byId.get(item.bot_id)!.total += item.total_tokens;
  const { shown, others } = groupSeries(bots, (b) => b.total, max);
  const colors = assignColors(shown.map((b) => b.id));
  const column = new Map<number, number>(shown.map((b, i) => [b.id, i] as const));
  const othersColumn = shown.length;
  const tokens = [...shown, ...(others.length > 0 ? [null] : [])].map(() => days.map((): number | null => null));
  // A day without a row has no bar; a day of free calls has one at $0.00.
  const cost = days.map((): number | null => null);
  // "Others" is the average of the grouped bots that had usage that day: a line per bot's worth, on the same scale as
  // the rest (their sum would dwarf every bot and squeeze the chart flat).
  const othersWithRow = days.map(() => 0);
  for (const item of items) {
    const d = index.get(daySeconds(item.day));
    if (d === undefined) continue;
    const c = column.get(item.bot_id) ?? othersColumn;
    tokens[c][d] = (tokens[c][d] ?? 0) + item.total_tokens;
    if (c === othersColumn) othersWithRow[d]++;
    cost[d] = (cost[d] ?? 0) + item.estimated_cost_usd;
  }
  if (others.length > 0) tokens[othersColumn] = tokens[othersColumn].map((v, d) => (v === null ? null : v / othersWithRow[d]));
  const series: ChartSeries[] = shown.map((b) => ({ key: String(b.id), label: b.name, color: colors.get(b.id)! }));
  if (others.length > 0) series.push({ key: 'others', label: `${othersLabel(others.length)}, average`, color: OTHERS_COLOR, members: others.length });
  return { series, data: [days, cost, ...tokens] };
}

/**
 * What the usage chart's lines leave out, as sentences for beneath it: calls to models with no price (their cost is
 * not in the cost bars) and input tokens served from a prompt cache (billed at the cached rate). Empty when neither.
 */
export function usageNotes(items: UsageDay[], formatInt: (n: number) => string): string[] {
  const unpriced = items.reduce((sum, i) => sum + i.unpriced_calls, 0);
  const cached = items.reduce((sum, i) => sum + i.cached_input_tokens, 0);
  const notes: string[] = [];
  if (unpriced > 0) {
    notes.push(`${formatInt(unpriced)} call${unpriced === 1 ? '' : 's'} in this range went to a model with no price in the table: their cost is unknown and not in the cost bars.`);
  }
  if (cached > 0) notes.push(`${formatInt(cached)} input tokens came from a provider's prompt cache, billed at the cached rate.`);
  return notes;
}

/**
 * Columns for the reputation chart. Each bot's score holds until its next point, so every x (the union of all
 * points' times) gets each bot's latest score at or before it: a step chart where every row of the tooltip is
 * meaningful. Before a bot's first point it has no value (null). Beyond `max` bots the highest by latest score keep a
 * line each and the rest are one "others" line, their average.
 */
export function reputationColumns(list: ReputationSeries[], max = MAX_SERIES): { series: ChartSeries[]; data: (number | null)[][] } {
  const sorted = [...list].sort((a, b) => a.bot_id - b.bot_id);
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
  const bots = sorted.map((s, i) => ({ id: s.bot_id, name: s.bot_name, latest: columns[i].at(-1) ?? 0, column: columns[i] }));
  const { shown, others } = groupSeries(bots, (b) => b.latest, max);
  const colors = assignColors(shown.map((b) => b.id));
  const series: ChartSeries[] = shown.map((b) => ({ key: String(b.id), label: b.name, color: colors.get(b.id)! }));
  const data: (number | null)[][] = [xs, ...shown.map((b) => b.column)];
  if (others.length > 0) {
    series.push({ key: 'others', label: `${othersLabel(others.length)}, average`, color: OTHERS_COLOR, members: others.length });
    data.push(xs.map((_, i) => {
      const values = others.map((b) => b.column[i]).filter((v): v is number => v !== null);
      return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    }));
  }
  return { series, data };
}

export interface ModelCostData {
  /** One series per provider and model, in provider then model order. */
  models: { key: string; provider: string; model: string; color: string }[];
  /** x (UTC days in seconds), then the cost per model per day (null on days it had no calls). */
  data: (number | null)[][];
}

/**
 * Columns for the cost-by-model chart: one x per UTC day of the chosen range, one series per provider/model summing
 * its kinds of call (heartbeats, memory summaries), each with its colour from the chart palette.
 */
export function modelCostColumns(rows: ModelUsageDay[], from: string, to: string): ModelCostData {
  const days = dayRange(from, to);
  const index = new Map(days.map((d, i) => [d, i] as const));
  const keyOf = (r: { provider: string; model: string }) => `${r.provider}/${r.model}`;
  const models = [...new Map(rows.map((r) => [keyOf(r), { key: keyOf(r), provider: r.provider, model: r.model }] as const)).values()]
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model))
    .map((m, i) => ({ ...m, color: i < PALETTE.length ? PALETTE[i] : OTHERS_COLOR }));
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
