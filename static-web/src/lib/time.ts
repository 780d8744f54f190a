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
