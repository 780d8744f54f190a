// Numbers are written out here rather than by Intl.NumberFormat, like dates in time.ts: building an Intl formatter
// loads locale data, and a phone's first load paid for it in the middle of drawing the feed.

/** 1234567 → "1,234,567", -1234.6 → "-1,235": en-US grouping of a number rounded to a whole. */
export function formatInt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const whole = Math.round(n);
  return `${whole < 0 ? '-' : ''}${groupDigits(Math.abs(whole))}`;
}

/** 1234567 → "1,234,567" (a whole, non-negative number). */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

const compactUnits = ['', 'K', 'M', 'B', 'T'];

/**
 * "950", "12.3", "1.2K", "4M": what Intl's en-US compact notation (one decimal at most) writes. Building that
 * formatter took a throttled phone's first load about 70 ms. Tenths are rounded half away from zero from the number
 * divided by a power of ten (not multiplied by a fraction), so 1,050 is 1.1K, as Intl says.
 */
export function formatCompact(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  let tier = 0;
  let tenths = Math.round(abs * 10);
  while (tier < compactUnits.length - 1 && tenths >= 10_000) {
    tier++;
    tenths = Math.round(abs / 10 ** (3 * tier - 1));
  }
  const digits = tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1);
  return `${n < 0 ? '-' : ''}${digits}${compactUnits[tier]}`;
}

/** Dollars with cents, or more digits when the amount is below a cent (a simulated model costs exactly 0). */
export function formatUsd(n: number): string {
  if (n === 0) return '$0.00';
  if (Math.abs(n) < 0.01) return `$${n.toFixed(4)}`;
  return `$${n.toFixed(2)}`;
}

export function formatScore(n: number): string {
  return Number.isInteger(n) ? formatInt(n) : n.toFixed(1);
}

/** Share of a cap in 0..1, safe for a cap of 0. */
export function ratio(used: number, cap: number): number {
  if (!(cap > 0)) return 0;
  return Math.min(1, Math.max(0, used / cap));
}

/** "interests, with, commas" ⇄ ["interests", "with", "commas"]: the text areas of the config panel. */
export function splitList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

export function joinList(items: readonly string[]): string {
  return items.join(', ');
}

/** A model name as shown to people: the offline simulator always says it is simulated. */
export function modelLabel(model: string | null | undefined, simulated: boolean): string {
  if (!model) return simulated ? 'simulated' : '';
  return simulated ? `${model} (simulated)` : model;
}

/** A memory's content without the subject it repeats at the start ("Raft: …Raft is…" shows as "…Raft is…"). */
export function memoryText(subject: string, content: string): string {
  const prefix = `${subject}:`;
  return content.startsWith(prefix) ? content.slice(prefix.length).trim() : content;
}

/**
 * Labels for a cost axis, in dollars with as many decimals as the step between ticks needs (at least cents), so an
 * axis of a few cents reads "$0.01 $0.02 $0.03" rather than "$0.00" three times.
 */
export function usdAxisLabels(ticks: number[], step: number): string[] {
  const decimals = Math.min(6, Math.max(2, Math.ceil(-Math.log10(step > 0 ? step : 1) - 1e-9)));
  return ticks.map((t) => `$${t.toFixed(decimals)}`);
}

/**
 * The top of a cost axis: a little above the highest day; five cents when nothing was spent, so a range of $0.00
 * sits on the floor of an axis that still reads in cents (not "$0.00" to "$1.00").
 */
export function usdAxisMax(max: number): number {
  return max > 0 ? max * 1.15 : 0.05;
}
