import type { FeedItem } from '../state/feed';
import { ruleSummary, type RuleLike } from './alertText';
import { cappedSentence } from './capText';
import { showValue, valueAt } from './configDiff';
import { formatInt, formatUsd } from './format';

export type IconName =
  | 'thread' | 'reply' | 'vote' | 'follow' | 'search' | 'rest' | 'capped' | 'failed' | 'memory'
  | 'config' | 'pace' | 'pause' | 'resume' | 'activity' | 'bots' | 'stats' | 'threads' | 'up' | 'down' | 'alert'
  | 'graph' | 'replay';

/** What bots do (and what happens to their heartbeats), in the order the filter offers them. */
export const BOT_ACTIONS = [
  'create_thread', 'reply', 'vote', 'follow', 'search', 'rest', 'heartbeat_failed', 'usage_capped', 'memory_compressed',
] as const;

/** What the operator does and what the society says by itself (alerts): the audit trail's rows. */
export const OPERATOR_ACTIONS = [
  'pause', 'resume', 'pace_changed', 'config_updated', 'config_reset', 'cost_cap_changed',
  'alert_rule_created', 'alert_rule_updated', 'alert_rule_deleted', 'alert_fired',
] as const;

/** The actions /api/activity filters by. */
export const ACTIONS = [...BOT_ACTIONS, ...OPERATOR_ACTIONS] as const;

const actionLabels: Record<string, string> = {
  create_thread: 'New thread',
  reply: 'Reply',
  vote: 'Vote',
  follow: 'Follow',
  search: 'Search',
  rest: 'Rest',
  heartbeat_failed: 'Failed heartbeat',
  usage_capped: 'Reached cap',
  memory_compressed: 'Memory compressed',
  pause: 'Bot paused',
  resume: 'Bot resumed',
  pace_changed: 'Pace changed',
  config_updated: 'Config changed',
  config_reset: 'Config reset',
  cost_cap_changed: 'Cost cap changed',
  alert_rule_created: 'Alert rule created',
  alert_rule_updated: 'Alert rule changed',
  alert_rule_deleted: 'Alert rule deleted',
  alert_fired: 'Alert fired',
};

export const actionLabel = (action: string) => actionLabels[action] ?? action.replace(/_/g, ' ');

const iconOfAction: Record<string, IconName> = {
  create_thread: 'thread', reply: 'reply', vote: 'vote', follow: 'follow', search: 'search', rest: 'rest',
  heartbeat_failed: 'failed', usage_capped: 'capped', memory_compressed: 'memory',
  pause: 'pause', resume: 'resume', pace_changed: 'pace', config_updated: 'config', config_reset: 'config',
  cost_cap_changed: 'capped', alert_rule_created: 'alert', alert_rule_updated: 'alert', alert_rule_deleted: 'alert',
  alert_fired: 'alert',
};

const iconOfType: Record<string, IconName> = {
  config_updated: 'config', pace_changed: 'pace', bot_paused: 'pause', bot_resumed: 'resume',
  heartbeat_failed: 'failed', usage_capped: 'capped', memory_compressed: 'memory',
  alert_rule_changed: 'alert', alert_fired: 'alert',
};

const CONTROL_TYPES = ['config_updated', 'pace_changed', 'bot_paused', 'bot_resumed', 'alert_rule_changed'];

export function iconFor(item: Pick<FeedItem, 'type' | 'action' | 'details'>): IconName {
  if (item.action === 'vote') return item.details.direction === 'down' ? 'down' : 'up';
  return (item.action && iconOfAction[item.action]) || iconOfType[item.type] || 'activity';
}

/** The tone a row is drawn in: what went wrong stands out, what the operator did reads as a control. */
export function toneFor(item: Pick<FeedItem, 'type' | 'action' | 'details'>): 'good' | 'bad' | 'warn' | 'control' | 'neutral' {
  if (item.type === 'heartbeat_failed' || item.type === 'alert_fired') return 'bad';
  if (item.type === 'usage_capped') return 'warn';
  if (CONTROL_TYPES.includes(item.type)) return 'control';
  if (item.action === 'vote') return item.details.direction === 'down' ? 'bad' : 'good';
  return 'neutral';
}

const str = (value: unknown) => (typeof value === 'string' ? value : value == null ? '' : String(value));
const obj = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Whether a row is the society's rather than a bot's own: an operator's change or an alert. */
export function isOperatorRow(item: Pick<FeedItem, 'type' | 'action' | 'actor'>): boolean {
  if (item.actor) return true;
  if (item.action && (OPERATOR_ACTIONS as readonly string[]).includes(item.action)) return true;
  return [...CONTROL_TYPES, 'alert_fired'].includes(item.type);
}

/** "behavior.skepticism" as people say it: "skepticism"; "model.max_tokens": "max tokens". */
function fieldLabel(path: string): string {
  const last = path.split('.').pop() ?? path;
  if (path === 'model.model') return 'model';
  return last.replace(/\[\d+\]$/, '').replace(/_/g, ' ');
}

/** A config value short enough for one line of the feed. */
function shortValue(value: unknown): string {
  const text = showValue(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function configText(d: Record<string, unknown>, who: string): string {
  const fields = Array.isArray(d.fields) ? d.fields.filter((f): f is string => typeof f === 'string') : [];
  if (fields.length === 0) return `changed ${who}'s config`;
  if (fields.length <= 2) {
    const parts = fields.map((f) => `${fieldLabel(f)} from ${shortValue(valueAt(d.before, f))} to ${shortValue(valueAt(d.after, f))}`);
    return `changed ${who}'s ${parts.join(' and ')}`;
  }
  const named = fields.slice(0, 3).map(fieldLabel).join(', ');
  return `changed ${fields.length} settings of ${who}'s config: ${named}${fields.length > 3 ? ', …' : ''}`;
}

const CAPS = [
  ['daily_token_cap', 'daily token cap', formatInt],
  ['daily_cost_cap_usd', 'daily cost cap', formatUsd],
] as const;

function capText(d: Record<string, unknown>, who: string): string {
  const named = Array.isArray(d.fields) ? d.fields.map(String) : null;
  const parts: string[] = [];
  for (const [key, label, format] of CAPS) {
    const before = obj(obj(d.before)[key]);
    const after = obj(obj(d.after)[key]);
    const from = typeof before.value === 'number' ? before.value : null;
    const to = typeof after.value === 'number' ? after.value : null;
    const changed = named ? named.includes(key) : from !== to || before.source !== after.source;
    if (!changed || to === null) continue;
    const whose = parts.length === 0 ? `${who}'s` : 'its';
    if (after.source === 'default' && before.source !== 'default') parts.push(`set ${whose} ${label} back to the default (${format(to)})`);
    else if (from === null || from === to) parts.push(`set ${whose} ${label} to ${format(to)}`);
    else parts.push(`${to > from ? 'raised' : 'lowered'} ${whose} ${label} from ${format(from)} to ${format(to)}`);
  }
  return parts.length > 0 ? parts.join(' and ') : `changed ${who}'s cost caps`;
}

/**
 * An operator's change or an alert as a sentence in two parts: who did it (the actor: "operator", "key:ci",
 * "society") and what, naming the bot it touched. Null for a bot's own row.
 */
export function operatorSentence(item: FeedItem): { actor: string; text: string } | null {
  if (!isOperatorRow(item)) return null;
  const d = item.details;
  const who = item.botName ?? (str(d.bot_name) || (item.botId !== null ? `bot ${item.botId}` : 'a bot'));
  const actor = item.actor ?? (item.type === 'alert_fired' ? 'society' : 'operator');
  const action = item.action ?? '';
  const reason = str(obj(d.after).reason ?? d.reason);
  let text: string;
  if (action === 'pause' || (!action && item.type === 'bot_paused')) text = `paused ${who}${reason ? `: ${reason}` : ''}`;
  else if (action === 'resume' || (!action && item.type === 'bot_resumed')) text = `resumed ${who}`;
  else if (action === 'pace_changed' || item.type === 'pace_changed') {
    const from = str(d.from ?? obj(d.before).pace);
    const to = str(d.to ?? obj(d.after).pace ?? d.pace);
    text = from && to ? `changed the society's pace from ${from} to ${to}` : `changed the society's pace to ${to || 'a new pace'}`;
  } else if (action === 'config_reset') {
    const fields = Array.isArray(d.fields) ? d.fields.length : 0;
    text = `reset ${who}'s config to its YAML defaults${fields ? ` (${fields} setting${fields === 1 ? '' : 's'} changed)` : ''}`;
  } else if (action === 'cost_cap_changed') text = capText(d, who);
  else if (action === 'config_updated' || item.type === 'config_updated') text = configText(d, who);
  else if (action.startsWith('alert_rule_')) {
    // The rule as the row keeps it names its bot by id; the row itself has the bot's name.
    const kept = obj(action === 'alert_rule_deleted' ? d.before : d.after);
    const rule: RuleLike = { kind: d.kind, ...kept, bot_name: kept.bot_name ?? item.botName };
    const summary = ruleSummary(rule);
    text = action === 'alert_rule_created' ? `created an alert: ${summary}` : action === 'alert_rule_deleted' ? `deleted the alert “${summary}”` : `changed the alert “${summary}”`;
  }
  else if (action === 'alert_fired' || item.type === 'alert_fired') text = `fired an alert: ${str(d.message) || ruleSummary(d as RuleLike)}`;
  else text = action ? actionLabel(action).toLowerCase() : item.type.replace(/_/g, ' ');
  return { actor, text };
}

/** One sentence for a feed row, from the fields each action's details carry (an operator's row starts with its actor). */
export function describe(item: FeedItem): string {
  const d = item.details;
  const operator = operatorSentence(item);
  if (operator) return `${operator.actor} ${operator.text}`;
  switch (item.type) {
    case 'usage_capped':
      return cappedSentence(d);
    case 'heartbeat_failed':
      return `heartbeat failed: ${str(d.reason ?? d.error) || 'unknown reason'}`;
    case 'memory_compressed':
      return d.activity_count ? `compressed ${str(d.activity_count)} activities into a summary` : 'compressed older activity into a summary';
  }
  switch (item.action) {
    case 'create_thread':
      return `started “${str(d.title)}”${d.topic ? ` in ${str(d.topic)}` : ''}`;
    case 'reply':
      return d.thread_title ? `replied in “${str(d.thread_title)}”` : 'replied';
    case 'vote': {
      const dir = d.direction === 'down' ? 'downvoted' : 'upvoted';
      const whose = d.target_bot_name ? `${str(d.target_bot_name)}’s ${str(d.target_type) || 'post'}` : str(d.target_type) || 'a post';
      return `${dir} ${whose}`;
    }
    case 'follow':
      return `followed ${str(d.target_bot_name ?? d.followed_bot_name) || 'a bot'}`;
    case 'search':
      return `searched for “${str(d.query)}”`;
    case 'rest':
      return str(d.reason) || 'rested';
  }
  return item.action ? actionLabel(item.action) : item.type.replace(/_/g, ' ');
}

/** Where a row leads: the thread it touched, if any. */
export function threadOf(item: FeedItem): number | null {
  const id = item.details.thread_id;
  return typeof id === 'number' ? id : null;
}
