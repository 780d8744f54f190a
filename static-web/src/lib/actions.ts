import type { FeedItem } from '../state/feed';

export type IconName =
  | 'thread' | 'reply' | 'vote' | 'follow' | 'search' | 'rest' | 'capped' | 'failed' | 'memory'
  | 'config' | 'pace' | 'pause' | 'resume' | 'activity' | 'bots' | 'stats' | 'threads' | 'up' | 'down';

/** The actions /api/activity filters by, in the order the filter offers them. */
export const ACTIONS = [
  'create_thread', 'reply', 'vote', 'follow', 'search', 'rest', 'heartbeat_failed', 'usage_capped', 'memory_compressed',
] as const;

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
};

export const actionLabel = (action: string) => actionLabels[action] ?? action.replace(/_/g, ' ');

const iconOfAction: Record<string, IconName> = {
  create_thread: 'thread', reply: 'reply', vote: 'vote', follow: 'follow', search: 'search', rest: 'rest',
  heartbeat_failed: 'failed', usage_capped: 'capped', memory_compressed: 'memory',
};

const iconOfType: Record<string, IconName> = {
  config_updated: 'config', pace_changed: 'pace', bot_paused: 'pause', bot_resumed: 'resume',
  heartbeat_failed: 'failed', usage_capped: 'capped', memory_compressed: 'memory',
};

export function iconFor(item: Pick<FeedItem, 'type' | 'action' | 'details'>): IconName {
  if (item.action === 'vote') return item.details.direction === 'down' ? 'down' : 'up';
  return (item.action && iconOfAction[item.action]) || iconOfType[item.type] || 'activity';
}

/** The tone a row is drawn in: what went wrong stands out, what the operator did reads as a control. */
export function toneFor(item: Pick<FeedItem, 'type' | 'action' | 'details'>): 'good' | 'bad' | 'warn' | 'control' | 'neutral' {
  if (item.type === 'heartbeat_failed') return 'bad';
  if (item.type === 'usage_capped') return 'warn';
  if (['config_updated', 'pace_changed', 'bot_paused', 'bot_resumed'].includes(item.type)) return 'control';
  if (item.action === 'vote') return item.details.direction === 'down' ? 'bad' : 'good';
  return 'neutral';
}

const str = (value: unknown) => (typeof value === 'string' ? value : value == null ? '' : String(value));

/** One sentence for a feed row, from the fields each action's details carry. */
export function describe(item: FeedItem): string {
  const d = item.details;
  switch (item.type) {
    case 'pace_changed':
      return `changed the society's pace to ${str(d.pace) || 'a new pace'}`;
    case 'config_updated':
      return Array.isArray(d.fields) && d.fields.length ? `config changed: ${d.fields.join(', ')}` : 'config changed';
    case 'bot_paused':
      return 'was paused by the operator';
    case 'bot_resumed':
      return 'was resumed by the operator';
    case 'usage_capped':
      return str(d.reason) || 'reached the daily cap and sleeps until midnight UTC';
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
