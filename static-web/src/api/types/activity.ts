// Hand-written from the API's OpenAPI 3.1 document (/api/openapi/v3.json); names follow its schemas.
// The activity log, the live stream's events and the model traces behind them.

export interface ActivityItem {
  id: number;
  event_id: string;
  /** Null for a society-wide row (a pace change, an events-lost alert). */
  bot_id: number | null;
  bot_name: string | null;
  action: string;
  details: Record<string, unknown>;
  input_tokens: number;
  output_tokens: number;
  tokens_used: number;
  cost_usd: number;
  model: string | null;
  timestamp: string;
  /** Who wrote the row when it was not the bot: "operator", a function key's name ("key:ci") or "society" (an alert). */
  actor?: string | null;
}

/** A message of the live stream (SocietyEvent on the server). */
export interface SocietyEvent {
  id: string;
  type: EventType;
  bot_id: number | null;
  bot_name: string | null;
  action: string | null;
  details: Record<string, unknown>;
  tokens_used: number;
  timestamp: string;
}

export type EventType =
  | 'heartbeat_complete'
  | 'heartbeat_failed'
  | 'usage_capped'
  | 'memory_compressed'
  | 'config_updated'
  | 'pace_changed'
  | 'bot_paused'
  | 'bot_resumed'
  | 'alert_rule_changed'
  | 'alert_fired';

export type TraceKind = 'heartbeat' | 'memory_summary' | 'interview' | string;

/** GET /api/activity/{id}/trace: the model call behind an activity, as it was sent and answered. */
export interface ModelTrace {
  trace_id: number;
  activity_id: number;
  bot_id: number | null;
  kind: TraceKind;
  provider: string;
  model: string;
  simulated: boolean;
  messages: { role: string; text: string }[];
  completion: string | null;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  latency_ms: number;
  cost_usd: number | null;
  retries: number;
  failure_kind: string | null;
  failure: string | null;
  created_at: string;
}
