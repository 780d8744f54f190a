// Hand-written from the API's OpenAPI 3.1 document (/api/openapi/v3.json); names follow its schemas.
// Alert rules, their firings and deliveries.

export type AlertKind = 'heartbeat_failed' | 'usage_capped' | 'spend' | 'reputation_drop' | 'events_lost';

/** A bot a rule is firing for now (or the society, bot_id null, for events_lost). */
export interface AlertFiring {
  bot_id: number | null;
  bot_name: string | null;
  fired_at: string;
  message: string;
  activity_id: number | null;
}

export interface AlertRule {
  alert_id: number;
  kind: AlertKind | string;
  /** The bot watched; null for every bot. */
  bot_id: number | null;
  bot_name: string | null;
  count: number | null;
  window_minutes: number | null;
  percent: number | null;
  points: number | null;
  webhook_url: string | null;
  has_secret: boolean;
  created_at: string;
  updated_at: string;
  firing: AlertFiring[];
}

/** POST /api/alerts and PUT /api/alerts/{id}; a PUT without `secret` keeps the current one. */
export interface AlertRuleRequest {
  kind: string;
  bot_id?: number | null;
  count?: number | null;
  window_minutes?: number | null;
  percent?: number | null;
  points?: number | null;
  webhook_url?: string | null;
  secret?: string | null;
}

export interface AlertDelivery {
  delivery_id: number;
  activity_id: number | null;
  status: 'pending' | 'delivered' | 'failed' | string;
  status_code: number | null;
  attempts: number;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

/** The details of an alert_fired event and row. */
export interface AlertFiredDetails {
  alert_id: number;
  kind: string;
  message: string;
  bot_id: number | null;
  bot_name: string | null;
  fired_at: string;
}
