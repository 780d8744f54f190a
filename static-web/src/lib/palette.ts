/**
 * Chart colours: 24 that stay apart from each other and from the dark card behind them, then a grey "others".
 *
 * Picked once (and kept fixed, so a bot keeps its colour from one visit to the next) from an OKLCH grid: every colour
 * has at least 4.5:1 contrast against the card (#161b24), and each next one is the farthest, in OKLab, from those
 * already taken, so the first eight (a small society) are the most distinct. Neither the cost bars' near-white nor
 * the grey of "others" is among them.
 */
export const PALETTE = [
  '#7974e8', '#88d828', '#fe5828', '#43d0f9', '#fa92f1', '#199e6e', '#fac692', '#b79420',
  '#98ffc0', '#b36f84', '#ef54af', '#a8a2e1', '#81bb8d', '#f0ec52', '#de9589', '#2ba4dc',
  '#c369f4', '#4ab400', '#feb9db', '#c6c458', '#21df9b', '#f68c11', '#c16e2f', '#52ecde',
] as const;

/** The series that sums (or averages) the bots beyond the palette. */
export const OTHERS_COLOR = '#8a94a6';

/** How many series a chart shows one by one; beyond it, the rest are grouped as "others". */
export const MAX_SERIES = PALETTE.length;

/**
 * A colour per id: each id takes the palette entry of its id ((id - 1) mod 24) when that is free, else the next free
 * one, ids taken in ascending order. So with up to 24 bots numbered 1…24 every bot has the same colour in every chart,
 * and with more, the ones shown never share a colour.
 */
export function assignColors(ids: readonly number[]): Map<number, string> {
  const taken = new Set<number>();
  const colors = new Map<number, string>();
  for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
    if (taken.size >= PALETTE.length) {
      colors.set(id, OTHERS_COLOR);
      continue;
    }
    let slot = (((id - 1) % PALETTE.length) + PALETTE.length) % PALETTE.length;
    while (taken.has(slot)) slot = (slot + 1) % PALETTE.length;
    taken.add(slot);
    colors.set(id, PALETTE[slot]);
  }
  return colors;
}

export interface SeriesGroup<T> {
  /** Shown one by one, in their original order. */
  shown: T[];
  /** Grouped as one "others" series; empty when everything fits. */
  others: T[];
}

/**
 * Up to `max` series one by one; beyond that the `max - 1` largest by `weight` (ties to the lower id) keep a series of
 * their own and the rest become one "others" series, so a chart of 40 bots still has 24 lines a person can tell apart.
 */
export function groupSeries<T extends { id: number }>(items: readonly T[], weight: (item: T) => number, max = MAX_SERIES): SeriesGroup<T> {
  if (items.length <= max) return { shown: [...items], others: [] };
  const ranked = [...items].sort((a, b) => weight(b) - weight(a) || a.id - b.id);
  const keep = new Set(ranked.slice(0, max - 1).map((i) => i.id));
  return { shown: items.filter((i) => keep.has(i.id)), others: items.filter((i) => !keep.has(i.id)) };
}

/** "Others (17 bots)": the label of the grouped series. */
export function othersLabel(count: number, what = 'bots'): string {
  return `Others (${count} ${what})`;
}
