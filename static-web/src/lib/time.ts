import { groupDigits } from './format';

// Dates and times are written out here rather than by Intl: the first Intl.DateTimeFormat of a page loads time zone
// data, which took one first load of the activity view 135 ms of main thread (unthrottled) in the middle of drawing
// its rows; Intl.RelativeTimeFormat costs the same kind of start-up. The dashboard writes one English format anyway,
// in UTC like the server's days, and now writes it the same in every browser (ICU versions disagree on "Sep"/"Sept").

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

type Unit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

const steps: [limitSeconds: number, unitSeconds: number, unit: Unit][] = [
  [60, 1, 'second'],
  [3600, 60, 'minute'],
  [86_400, 3600, 'hour'],
  [7 * 86_400, 86_400, 'day'],
  [30 * 86_400, 7 * 86_400, 'week'],
  [365 * 86_400, 30 * 86_400, 'month'],
  [Infinity, 365 * 86_400, 'year'],
];

/** What English says for one unit before or after now, as Intl.RelativeTimeFormat('en', { numeric: 'auto' }) does. */
const adjacent: Partial<Record<Unit, [before: string, after: string]>> = {
  day: ['yesterday', 'tomorrow'],
  week: ['last week', 'next week'],
  month: ['last month', 'next month'],
  year: ['last year', 'next year'],
};

/** "12 seconds ago", "in 3 hours", "yesterday", "last week": `value` units from now (never 0). */
function relativeUnits(value: number, unit: Unit): string {
  const named = adjacent[unit];
  if (named && Math.abs(value) === 1) return value < 0 ? named[0] : named[1];
  const count = Math.abs(value);
  const words = `${groupDigits(count)} ${unit}${count === 1 ? '' : 's'}`;
  return value < 0 ? `${words} ago` : `in ${words}`;
}

/** "just now", "12 seconds ago", "2 minutes ago", "in 3 hours": the coarsest unit that is at least 1. */
export function relativeTime(timestamp: string | number, now: number): string {
  const time = typeof timestamp === 'number' ? timestamp : Date.parse(timestamp);
  if (Number.isNaN(time)) return '';
  const seconds = Math.round((time - now) / 1000);
  const magnitude = Math.abs(seconds);
  if (magnitude < 10) return 'just now';
  for (const [limit, unit, name] of steps) {
    if (magnitude < limit) return relativeUnits(Math.trunc(seconds / unit), name);
  }
  return '';
}

/** For tooltips: the exact moment, in UTC like the server's days ("5 Dec 2026, 14:02:07 UTC"). */
export function absoluteTime(timestamp: string | number): string {
  const time = typeof timestamp === 'number' ? timestamp : Date.parse(timestamp);
  if (Number.isNaN(time)) return '';
  const d = new Date(time);
  return `${formatShortDay(time)} ${d.getUTCFullYear()}, ${formatClock(time)}:${two(d.getUTCSeconds())} UTC`;
}

/** "14:05": a time of day in UTC, as every time on the dashboard is. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** "3 Dec": a UTC day. */
export function formatShortDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** A UTC calendar day (yyyy-mm-dd) as uPlot's x value: seconds at midnight UTC. */
export function daySeconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

/** yyyy-mm-dd of a UTC day, `offsetDays` from `now`. */
export function utcDay(now: number, offsetDays = 0): string {
  return new Date(now + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

// Charts write dates one way everywhere: "3 Dec", and a time of day as "14:05", both UTC like the server's days.

/** "3 Dec": a chart's day, from uPlot's x (seconds). */
export function formatDay(seconds: number): string {
  return formatShortDay(seconds * 1000);
}

/** "3 Dec, 14:05 UTC": a moment on a chart, for its tooltip. */
export function formatDayTime(seconds: number): string {
  return `${formatShortDay(seconds * 1000)}, ${formatClock(seconds * 1000)} UTC`;
}

/**
 * Labels for a time axis in the charts' one date format: whole days as "3 Dec"; finer steps as "14:00", with the
 * day ("3 Dec 14:00") on the first tick and at each midnight ("4 Dec"), so no label reads like "12/4".
 */
export function timeAxisLabels(ticks: number[], step: number): string[] {
  if (step >= 86_400) return ticks.map(formatDay);
  return ticks.map((t, i) => {
    const midnight = t % 86_400 === 0;
    if (midnight) return formatDay(t);
    return i === 0 ? `${formatDay(t)} ${formatClock(t * 1000)}` : formatClock(t * 1000);
  });
}

/** Whether the UTC day starting at `daySecond` is still under way at `now` (ms): its figures are partial. */
export function isPartialDay(daySecond: number, now: number): boolean {
  const start = daySecond * 1000;
  return now >= start && now < start + 86_400_000;
}

/** The index of today's column in a chart's days (seconds at UTC midnight), or -1 when the range ends before today. */
export function partialDayIndex(days: readonly number[], now: number): number {
  for (let i = days.length - 1; i >= 0; i--) if (isPartialDay(days[i], now)) return i;
  return -1;
}

/** The UTC days a "last N days" range covers, today included: { from, to } as yyyy-mm-dd. */
export function lastDays(days: number, now: number): { from: string; to: string } {
  return { from: utcDay(now, -(days - 1)), to: utcDay(now) };
}
