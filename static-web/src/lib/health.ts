import type { BotSummary } from '../api/types/bots';
import { absoluteTime, formatClock, formatShortDay } from './time';

export type HealthTone = 'good' | 'bad' | 'warn' | '';

export interface HealthView {
  /** healthy, failing, unreachable, capped or paused (the status when the server says nothing of health). */
  state: string;
  /** What the badge says: "active", "failing since 14:02 · network", "unreachable". */
  label: string;
  tone: HealthTone;
  /** The longer story, for a tooltip and the profile. */
  detail: string | null;
}


/** "14:02" today (UTC, like every time on the dashboard), "5 Dec, 14:02" on an earlier day. */
export function sinceLabel(timestamp: string, now: number): string {
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) return '';
  const sameDay = new Date(time).toISOString().slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return sameDay ? formatClock(time) : `${formatShortDay(time)}, ${formatClock(time)}`;
}

type HealthFields = Pick<BotSummary, 'status' | 'status_reason' | 'health' | 'failure_kind' | 'failing_since' | 'failed_heartbeats' | 'health_reason'>;

/**
 * How a bot is doing, for its badge: a bot whose heartbeats fail or whose provider does not answer is never shown
 * as a green "active", whatever its status says. Without health from the server, the status stands.
 */
export function healthOf(bot: HealthFields, now: number): HealthView {
  const state = bot.health ?? (bot.status === 'active' ? 'healthy' : bot.status);
  const since = bot.failing_since ? sinceLabel(bot.failing_since, now) : '';
  const failed = bot.failed_heartbeats ?? 0;
  const story = [
    failed > 0 ? `${failed} heartbeat${failed === 1 ? '' : 's'} in a row failed` : null,
    bot.failing_since ? `since ${absoluteTime(bot.failing_since)}` : null,
    bot.failure_kind ? `(${bot.failure_kind})` : null,
  ].filter(Boolean).join(' ');
  switch (state) {
    case 'failing':
      return {
        state,
        label: `failing${since ? ` since ${since}` : ''}${bot.failure_kind ? ` · ${bot.failure_kind}` : ''}`,
        tone: 'bad',
        detail: `${story || 'Its heartbeats fail'}.`,
      };
    case 'unreachable':
      return {
        state,
        label: 'unreachable',
        tone: 'bad',
        detail: `Its model provider does not answer${bot.health_reason || story ? `: ${bot.health_reason || story}` : ''}.`,
      };
    case 'capped':
      return { state, label: 'capped', tone: 'warn', detail: bot.status_reason };
    case 'paused':
      return { state, label: 'paused', tone: '', detail: bot.status_reason };
    case 'healthy':
      // Healthy and acting: the status as before ("active"), green.
      return { state, label: bot.status, tone: bot.status === 'active' ? 'good' : bot.status === 'capped' ? 'warn' : '', detail: bot.status_reason };
    default:
      return { state, label: state, tone: '', detail: bot.status_reason };
  }
}

/** The dot on a bot's avatar: its health when that is bad, else its status. */
export function dotOf(bot: HealthFields): string {
  return bot.health === 'failing' || bot.health === 'unreachable' ? bot.health : bot.status;
}
