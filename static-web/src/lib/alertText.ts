// A rule in words, for the feed's sentences (first bundle); the form's vocabulary is in alertRules.ts (Alerts page).

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The fields of a rule a phrase needs; rows and events carry them as loosely typed JSON. */
export interface RuleLike {
  kind?: unknown;
  bot_id?: unknown;
  bot_name?: unknown;
  count?: unknown;
  window_minutes?: unknown;
  percent?: unknown;
  points?: unknown;
}

/** A rule in one phrase: "Ada fails 3 heartbeats within 15 min", "any bot reaches its daily cap". */
export function ruleSummary(rule: RuleLike): string {
  const n = (value: unknown) => (typeof value === 'number' ? value : Number(value));
  const who = typeof rule.bot_name === 'string' && rule.bot_name ? rule.bot_name : typeof rule.bot_id === 'number' ? `bot ${rule.bot_id}` : 'any bot';
  switch (rule.kind) {
    case 'heartbeat_failed':
      return `${who} fails ${plural(n(rule.count), 'heartbeat')} within ${n(rule.window_minutes)} min`;
    case 'usage_capped':
      return `${who} reaches its daily cap`;
    case 'spend':
      return `${who} spends ${n(rule.percent)}% of its daily cap`;
    case 'reputation_drop':
      return `${who} loses ${plural(n(rule.points), 'reputation point')} within ${n(rule.window_minutes)} min`;
    case 'events_lost':
      return 'live events are lost';
    default:
      return typeof rule.kind === 'string' ? `${rule.kind.replace(/_/g, ' ')} (${who})` : 'an alert rule';
  }
}
