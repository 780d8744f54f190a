import type { ActivityItem } from '../api/types/activity';
import { fromActivity } from '../state/feed';
import { describe } from './actions';
import { formatClock, formatShortDay } from './time';

export interface TimeMark {
  /** Seconds, the charts' x unit. */
  x: number;
  label: string;
}


/**
 * The operator's actions as marks on a time axis, one line of text each ("14:02 operator paused Ada"). On a chart of
 * days (`perDay`), the actions of a UTC day share one mark at that day's x, its title listing them oldest first.
 */
export function auditMarks(items: ActivityItem[], perDay: boolean): TimeMark[] {
  const byX = new Map<number, { time: number; text: string }[]>();
  for (const item of items) {
    const time = Date.parse(item.timestamp);
    if (Number.isNaN(time)) continue;
    const seconds = Math.floor(time / 1000);
    const x = perDay ? seconds - (seconds % 86_400) : seconds;
    const list = byX.get(x) ?? [];
    list.push({ time, text: `${formatClock(time)} ${describe(fromActivity(item))}` });
    byX.set(x, list);
  }
  return [...byX.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([x, list]) => {
      const lines = list.sort((a, b) => a.time - b.time).map((l) => l.text);
      const head = perDay ? `${formatShortDay(x * 1000)}, UTC:\n` : '';
      return { x, label: `${head}${lines.join('\n')}` };
    });
}
