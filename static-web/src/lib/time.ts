const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const steps: [limitSeconds: number, unitSeconds: number, unit: Intl.RelativeTimeFormatUnit][] = [
  [60, 1, 'second'],
  [3600, 60, 'minute'],
  [86_400, 3600, 'hour'],
  [7 * 86_400, 86_400, 'day'],
  [30 * 86_400, 7 * 86_400, 'week'],
  [365 * 86_400, 30 * 86_400, 'month'],
  [Infinity, 365 * 86_400, 'year'],
];

/** "just now", "12 seconds ago", "2 minutes ago", "in 3 hours": the coarsest unit that is at least 1. */
export function relativeTime(timestamp: string | number, now: number): string {
  const time = typeof timestamp === 'number' ? timestamp : Date.parse(timestamp);
  if (Number.isNaN(time)) return '';
  const seconds = Math.round((time - now) / 1000);
  const magnitude = Math.abs(seconds);
  if (magnitude < 10) return 'just now';
  for (const [limit, unit, name] of steps) {
    if (magnitude < limit) return relative.format(Math.trunc(seconds / unit), name);
  }
  return '';
}

const absoluteFormat = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC',
});

/** For tooltips: the exact moment, in UTC like the server's days. */
export function absoluteTime(timestamp: string | number): string {
  const time = typeof timestamp === 'number' ? timestamp : Date.parse(timestamp);
  return Number.isNaN(time) ? '' : `${absoluteFormat.format(time)} UTC`;
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
const chartDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const chartClock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });

/** "3 Dec": a chart's day, from uPlot's x (seconds). */
export function formatDay(seconds: number): string {
  return chartDay.format(seconds * 1000);
}

/** "3 Dec, 14:05 UTC": a moment on a chart, for its tooltip. */
export function formatDayTime(seconds: number): string {
  return `${chartDay.format(seconds * 1000)}, ${chartClock.format(seconds * 1000)} UTC`;
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
    return i === 0 ? `${formatDay(t)} ${chartClock.format(t * 1000)}` : chartClock.format(t * 1000);
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
