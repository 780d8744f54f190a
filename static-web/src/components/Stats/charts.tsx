import { useMemo } from 'preact/hooks';
import uPlot from 'uplot';
import type { ModelUsageDay, ReputationSeries, UsageDay } from '../../api/types/stats';
import { formatCompact, formatInt, formatScore, formatUsd, modelLabel, usdAxisLabels, usdAxisMax } from '../../lib/format';
import { modelCostColumns, reputationColumns, usageColumns } from '../../lib/series';
import { daySeconds, formatDay, formatDayTime, partialDayIndex, timeAxisLabels } from '../../lib/time';
import { axisStyle, Chart, type ChartMark } from '../Chart';
import styles from './Stats.module.css';

// The charts of the Stats page, also drawn for one bot on its profile: days on x in one format ("3 Dec"), the range
// the picker chose as the axis, today's column marked as partial, cost on its own axis in cents.

const HALF_DAY = 43_200;

/** uPlot lays time ticks out in the browser's zone unless told; the charts' days are UTC, like the server's. */
const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');

/** x over whole days: half a day of margin each side, so the first and last day (bars, today's band) are whole. */
const dayScale: uPlot.Scale = { time: true, range: (_u, min, max) => [min - HALF_DAY, max + HALF_DAY] };
const dayAxis: uPlot.Axis = {
  ...axisStyle,
  space: 46,
  incrs: [86_400, 2 * 86_400, 7 * 86_400],
  values: (_u, ticks, _axis, _space, step) => timeAxisLabels(ticks, step),
};
const costAxis: uPlot.Axis = {
  ...axisStyle,
  scale: 'usd',
  side: 1,
  label: 'Cost',
  labelSize: 18,
  labelFont: axisStyle.font,
  grid: { show: false },
  values: (_u, ticks, _axis, _space, step) => usdAxisLabels(ticks, step),
  size: 66,
};

/**
 * Tokens per bot per day (lines, a colour per bot, "others" beyond 24) over the society's cost per day (bars on their
 * own axis, in cents). `costLabel` names whose cost it is.
 */
export function UsageChart({ items, from, to, marks, costLabel = 'Cost (all bots)', height = 320, label, legendHeight }: {
  items: UsageDay[];
  from: string;
  to: string;
  marks?: ChartMark[];
  costLabel?: string;
  height?: number;
  label?: string;
  legendHeight?: number;
}) {
  const columns = useMemo(() => usageColumns(items, from, to), [items, from, to]);
  const names = columns.series.map((s) => `${s.key}:${s.label}`).join('|');
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      tzDate: utc,
      scales: {
        x: dayScale,
        // From zero: a day's tokens are an amount, and an axis cut at 90K makes a 10% change look like a doubling.
        tokens: { range: (_u, _min, max) => [0, Math.max(1000, Math.ceil((max * 1.15) / 1000) * 1000)] },
        usd: { range: (_u, _min, max) => [0, usdAxisMax(max)] },
      },
      axes: [
        dayAxis,
        { ...axisStyle, scale: 'tokens', label: 'Tokens', labelSize: 18, labelFont: axisStyle.font, values: (_u, ticks) => ticks.map((t) => formatCompact(t)), size: 52 },
        costAxis,
      ],
      series: [
        { label: 'Day', value: (_u, v) => (v == null ? '' : formatDay(v)) },
        {
          label: costLabel,
          scale: 'usd',
          stroke: 'rgba(232,236,243,0.55)',
          fill: 'rgba(232,236,243,0.10)',
          width: 1,
          paths: uPlot.paths.bars!({ size: [0.5, 40], align: 0 }),
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : formatUsd(v)),
        },
        ...columns.series.map((s) => ({
          label: s.label,
          scale: 'tokens',
          stroke: s.color,
          spanGaps: true,
          width: s.members ? 2.5 : 2,
          dash: s.members ? [2, 3] : undefined,
          points: { show: true, size: 6 },
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : `${formatInt(v)} tokens`),
        })),
      ],
    }),
    // The chart is rebuilt only when the set of series changes; new numbers go through setData.
    [names, costLabel],
  );
  const partial = partialDayIndex(columns.data[0] as number[], Date.now());
  return (
    <Chart
      options={options}
      data={columns.data as uPlot.AlignedData}
      height={height}
      label={label ?? "Tokens per bot per day, with the society's cost per day"}
      marks={marks}
      partialIndex={partial}
      legendHeight={legendHeight}
    />
  );
}

/** Beneath a usage chart whose cost is $0.00 throughout: why the cost bars are empty. */
export function CostNote({ items }: { items: UsageDay[] }) {
  const total = items.reduce((sum, i) => sum + i.estimated_cost_usd, 0);
  if (items.length === 0 || total > 0) return null;
  const unpriced = items.some((i) => i.unpriced_calls > 0);
  return (
    <p class={`dim ${styles.note}`} data-testid="cost-note">
      Cost was $0.00 on every day of this range{unpriced ? '' : ': every call went to a model that costs nothing (the offline simulator or a local model)'}.
    </p>
  );
}

/** Cost per provider and model per day, each in its own colour, on an axis in cents. */
export function ModelCostChart({ rows, from, to, marks, simulated, height = 260, legendHeight }: { rows: ModelUsageDay[]; from: string; to: string; marks?: ChartMark[]; simulated: Set<string>; height?: number; legendHeight?: number }) {
  const columns = useMemo(() => modelCostColumns(rows, from, to), [rows, from, to]);
  const names = columns.models.map((m) => m.key).join('|') + [...simulated].join(',');
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      tzDate: utc,
      scales: { x: dayScale, usd: { range: (_u, _min, max) => [0, usdAxisMax(max)] } },
      axes: [dayAxis, { ...costAxis, side: 3, grid: axisStyle.grid }],
      series: [
        { label: 'Day', value: (_u, v) => (v == null ? '' : formatDay(v)) },
        ...columns.models.map((m) => ({
          label: `${modelLabel(m.model, simulated.has(m.provider))} · ${m.provider}`,
          scale: 'usd',
          stroke: m.color,
          spanGaps: true,
          width: 2,
          points: { show: true, size: 6 },
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : formatUsd(v)),
        })),
      ],
    }),
    [names],
  );
  const partial = partialDayIndex(columns.data[0] as number[], Date.now());
  return <Chart options={options} data={columns.data as uPlot.AlignedData} height={height} label="Cost per provider and model per day" marks={marks} partialIndex={partial} legendHeight={legendHeight} />;
}

/**
 * Every bot's reputation as steps (a score holds until a vote, reply or follow changes it), from the start of the
 * range to now, a colour per bot and "others" (their average) beyond 24.
 */
export function ReputationChart({ series, from, until, marks, height = 320, label, legendHeight }: {
  series: ReputationSeries[];
  from: string;
  /** Where the axis ends, in seconds: now unless a replay says otherwise. */
  until?: number;
  marks?: ChartMark[];
  height?: number;
  label?: string;
  legendHeight?: number;
}) {
  const columns = useMemo(() => reputationColumns(series), [series]);
  const names = columns.series.map((s) => `${s.key}:${s.label}`).join('|');
  const start = daySeconds(from);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      tzDate: utc,
      // The axis is the chosen range up to now: a score holds until it changes, and an action after the last change is marked.
      scales: { x: { time: true, range: (_u, min, max) => [Math.min(start, min), Math.max(max, until ?? Math.floor(Date.now() / 1000))] } },
      axes: [
        { ...axisStyle, space: 56, values: (_u, ticks, _axis, _space, step) => timeAxisLabels(ticks, step) },
        { ...axisStyle, label: 'Reputation', labelSize: 18, labelFont: axisStyle.font, size: 48, values: (_u, ticks) => ticks.map(formatScore) },
      ],
      series: [
        { label: 'Time', value: (_u, v) => (v == null ? '' : formatDayTime(v)) },
        ...columns.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.members ? [2, 3] : undefined,
          points: { show: false },
          paths: uPlot.paths.stepped!({ align: 1 }),
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : formatScore(v)),
        })),
      ],
    }),
    [names, start, until],
  );
  return <Chart options={options} data={columns.data as uPlot.AlignedData} height={height} label={label ?? 'Reputation of every bot over time'} marks={marks} legendHeight={legendHeight} />;
}
