import type { ActivityItem, EventType, SocietyEvent } from '../api/types/activity';

/**
 * One row of the live feed, whether it came from the stream or from /api/activity: the stream's event id and
 * the activity row's event_id are the same value, which is what lets a reconnect fill its gap without duplicates.
 */
export interface FeedItem {
  key: string;
  type: EventType;
  activityId: number | null;
  botId: number | null;
  botName: string | null;
  action: string | null;
  details: Record<string, unknown>;
  tokensUsed: number;
  model: string | null;
  /** Who made an operator's change ("operator", "key:ci") or "society" for what it did itself; null for a bot's own action. */
  actor: string | null;
  timestamp: string;
  /** Milliseconds since the epoch, parsed once for sorting. */
  time: number;
}

/** The live event type of each row that is not a bot's heartbeat: a reloaded row looks like the event it was. */
const typeOfAction: Record<string, EventType> = {
  heartbeat_failed: 'heartbeat_failed',
  usage_capped: 'usage_capped',
  memory_compressed: 'memory_compressed',
  pause: 'bot_paused',
  resume: 'bot_resumed',
  pace_changed: 'pace_changed',
  config_updated: 'config_updated',
  config_reset: 'config_updated',
  cost_cap_changed: 'config_updated',
  alert_rule_created: 'alert_rule_changed',
  alert_rule_updated: 'alert_rule_changed',
  alert_rule_deleted: 'alert_rule_changed',
  alert_fired: 'alert_fired',
};

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

export function fromActivity(item: ActivityItem): FeedItem {
  return {
    key: item.event_id,
    type: typeOfAction[item.action] ?? 'heartbeat_complete',
    activityId: item.id,
    botId: item.bot_id,
    botName: item.bot_name,
    action: item.action,
    details: item.details ?? {},
    tokensUsed: item.tokens_used,
    model: item.model,
    actor: item.actor ?? text(item.details?.actor),
    timestamp: item.timestamp,
    time: Date.parse(item.timestamp),
  };
}

export function fromEvent(event: SocietyEvent): FeedItem {
  const details = event.details ?? {};
  return {
    key: event.id,
    type: event.type,
    activityId: typeof details.activity_id === 'number' ? details.activity_id : null,
    botId: event.bot_id,
    botName: event.bot_name,
    action: event.action,
    details,
    tokensUsed: event.tokens_used ?? 0,
    model: typeof details.model === 'string' ? details.model : null,
    actor: text(details.actor),
    timestamp: event.timestamp,
    time: Date.parse(event.timestamp),
  };
}

/** Newest first; equal times keep a stable order by key so re-merging never reshuffles the list. */
export function compareFeed(a: FeedItem, b: FeedItem): number {
  return b.time - a.time || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0);
}

/**
 * Merges incoming items into a newest-first list, dropping any key already present (the stream and a poll can
 * both deliver one event), and keeps at most `max`. Returns the merged list and the items that were new.
 */
export function mergeFeed(current: FeedItem[], incoming: FeedItem[], max: number): { items: FeedItem[]; added: FeedItem[] } {
  const known = new Map(current.map((item) => [item.key, item] as const));
  const added: FeedItem[] = [];
  for (const item of incoming) {
    const existing = known.get(item.key);
    if (existing) {
      // The API row knows its activity id and model; a stream copy may not.
      if (existing.activityId === null && item.activityId !== null) known.set(item.key, { ...existing, activityId: item.activityId });
      continue;
    }
    known.set(item.key, item);
    added.push(item);
  }
  // Nothing changed: keep the same array so views that compare by identity skip a render.
  if (added.length === 0 && current.length <= max && [...known.values()].every((v, i) => v === current[i])) {
    return { items: current, added };
  }
  const items = [...known.values()].sort(compareFeed).slice(0, max);
  return { items, added: added.sort(compareFeed) };
}
