import { describe, expect, it } from 'vitest';
import type { UsageDay } from '../api/types/stats';
import { usdAxisLabels, usdAxisMax } from './format';
import { assignColors, groupSeries, OTHERS_COLOR, PALETTE } from './palette';
import { reputationColumns, usageColumns } from './series';
import { formatDay, formatDayTime, isPartialDay, lastDays, partialDayIndex, timeAxisLabels } from './time';

/** WCAG relative luminance and contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

const CARD = '#161b24';

const usage = (day: string, bot: number, tokens: number, cost = 0): UsageDay => ({
  day, bot_id: bot, bot_name: `Bot ${bot}`, input_tokens: tokens, output_tokens: 0, total_tokens: tokens, estimated_cost_usd: cost, calls: 1,
  cached_input_tokens: 0, unpriced_calls: 0,
});

describe('the chart palette', () => {
  it('has 24 different colours, each readable on the dark card (at least 4.5:1), and a grey for "others"', () => {
    expect(PALETTE).toHaveLength(24);
    expect(new Set(PALETTE.map((c) => c.toLowerCase())).size).toBe(24);
    for (const color of PALETTE) expect(contrast(color, CARD), color).toBeGreaterThanOrEqual(4.5);
    expect(contrast(OTHERS_COLOR, CARD)).toBeGreaterThanOrEqual(3);
    expect(PALETTE).not.toContain(OTHERS_COLOR);
  });
  it('gives bots 1…24 a colour each, the same whichever of them a chart shows', () => {
    const all = assignColors(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(new Set(all.values()).size).toBe(24);
    const some = assignColors([3, 7, 20]);
    expect(some.get(7)).toBe(all.get(7));
    expect(some.get(20)).toBe(all.get(20));
  });
  it('never gives two shown bots the same colour, even when their ids are 24 apart', () => {
    const colors = assignColors([1, 25, 49, 2]);
    expect(new Set(colors.values()).size).toBe(4);
    expect(colors.get(1)).toBe(PALETTE[0]);
    expect(colors.get(2)).toBe(PALETTE[1]);
  });
});

describe('grouping beyond 24 series', () => {
  it('keeps every series when there are 24 or fewer', () => {
    const items = Array.from({ length: 24 }, (_, i) => ({ id: i + 1 }));
    expect(groupSeries(items, () => 1)).toEqual({ shown: items, others: [] });
  });
  it('keeps the 23 largest and groups the rest as "others"', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, total: i }));
    const { shown, others } = groupSeries(items, (i) => i.total);
    expect(shown).toHaveLength(23);
    expect(others.map((o) => o.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(shown.map((s) => s.id)).toEqual(Array.from({ length: 23 }, (_, i) => i + 8));
  });
  it('draws 30 bots as 23 lines and one "others" line, the average per bot of the rest', () => {
    const items = Array.from({ length: 30 }, (_, i) => usage('2026-12-06', i + 1, 1000 * (i + 1)));
    const { series, data } = usageColumns(items, '2026-12-01', '2026-12-06');
    expect(series).toHaveLength(24);
    expect(series.at(-1)).toMatchObject({ key: 'others', label: 'Others (7 bots), average', color: OTHERS_COLOR, members: 7 });
    expect(new Set(series.map((s) => s.color)).size).toBe(24);
    // x, cost, 23 bots, others
    expect(data).toHaveLength(26);
    expect(data.at(-1)!.at(-1)).toBe(4000); // bots 1–7: (1000 + … + 7000) / 7
    expect(data.at(-1)!.slice(0, 5)).toEqual([null, null, null, null, null]);
  });
  it('groups reputation beyond 24 bots into their average', () => {
    const list = Array.from({ length: 26 }, (_, i) => ({ bot_id: i + 1, bot_name: `B${i + 1}`, points: [{ timestamp: '2026-12-06T10:00:00Z', reputation_score: i }] }));
    const { series, data } = reputationColumns(list);
    expect(series).toHaveLength(24);
    expect(series.at(-1)!.label).toBe('Others (3 bots), average');
    expect(data.at(-1)).toEqual([1]); // scores 0, 1, 2
  });
});

describe('chart dates', () => {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 1000;
  it('writes a day one way everywhere: "3 Dec", never "12/3"', () => {
    expect(formatDay(day('2026-12-03'))).toBe('3 Dec');
    expect(formatDayTime(day('2026-12-03') + 14 * 3600 + 5 * 60)).toBe('3 Dec, 14:05 UTC');
    expect(timeAxisLabels([day('2026-12-03'), day('2026-12-04')], 86_400)).toEqual(['3 Dec', '4 Dec']);
  });
  it('labels finer ticks with the time, naming the day on the first tick and at midnight', () => {
    const t = day('2026-12-03') + 12 * 3600;
    expect(timeAxisLabels([t, t + 6 * 3600, t + 12 * 3600], 6 * 3600)).toEqual(['3 Dec 12:00', '18:00', '4 Dec']);
  });
  it('knows today is partial and yesterday is not', () => {
    const now = Date.parse('2026-12-06T15:30:00Z');
    expect(isPartialDay(day('2026-12-06'), now)).toBe(true);
    expect(isPartialDay(day('2026-12-05'), now)).toBe(false);
    expect(partialDayIndex([day('2026-12-04'), day('2026-12-05'), day('2026-12-06')], now)).toBe(2);
    expect(partialDayIndex([day('2026-12-04'), day('2026-12-05')], now)).toBe(-1);
  });
  it('turns "last 7 days" into the UTC days it covers, today included', () => {
    expect(lastDays(7, Date.parse('2026-12-06T01:00:00Z'))).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(lastDays(30, Date.parse('2026-12-06T23:59:00Z'))).toEqual({ from: '2026-11-07', to: '2026-12-06' });
  });
});

describe('the cost axis', () => {
  it('reads in cents: "$0.01 $0.02 $0.03", not "$0.00" three times', () => {
    expect(usdAxisLabels([0, 0.01, 0.02, 0.03], 0.01)).toEqual(['$0.00', '$0.01', '$0.02', '$0.03']);
    expect(usdAxisLabels([0, 0.005, 0.01], 0.005)).toEqual(['$0.000', '$0.005', '$0.010']);
    expect(usdAxisLabels([0, 0.5, 1], 0.5)).toEqual(['$0.00', '$0.50', '$1.00']);
    expect(usdAxisLabels([0, 10, 20], 10)).toEqual(['$0.00', '$10.00', '$20.00']);
  });
  it('fits the axis to the spend, five cents tall when nothing was spent (not a dollar)', () => {
    expect(usdAxisMax(0)).toBe(0.05);
    expect(usdAxisMax(0.03)).toBeCloseTo(0.0345);
    expect(usdAxisMax(2)).toBeCloseTo(2.3);
  });
});
