// Hand-written from the API's OpenAPI 3.1 document (/api/openapi/v3.json); names follow its schemas.
// The Stats page: the society's totals, usage and cost per day and model, reputation over time.
import type { TraceKind } from './activity';

export interface SocietyTotals {
  bots: number;
  active_bots: number;
  paused_bots: number;
  threads: number;
  posts: number;
  votes: number;
  follows: number;
  activities: number;
  today: string;
  tokens_today: number;
  cost_today_usd: number;
}

export interface BotActionCounts {
  bot_id: number;
  bot_name: string;
  total: number;
  counts: Record<string, number>;
}

export interface SocietyStats {
  totals: SocietyTotals;
  actions_per_bot: BotActionCounts[];
}

export interface ReputationSeries {
  bot_id: number;
  bot_name: string;
  points: { timestamp: string; reputation_score: number }[];
}

export interface UsageDay {
  day: string;
  bot_id: number;
  bot_name: string;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  estimated_cost_usd: number;
  calls: number;
  /** The part of the input read from a provider's prompt cache, billed at the cached rate. */
  cached_input_tokens: number;
  /** Calls to a model with no price in the table: their cost is unknown and not in estimated_cost_usd. */
  unpriced_calls: number;
}

export interface UsageReport {
  from: string;
  to: string;
  items: UsageDay[];
  /** Calls, tokens and cost per UTC day, provider, model and kind of call. */
  by_model?: ModelUsageDay[];
  /** Per provider over the range: calls, failures and latency percentiles. */
  providers?: ProviderUsage[];
}

export interface ModelUsageDay {
  day: string;
  provider: string;
  model: string;
  kind: TraceKind;
  calls: number;
  failures: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export interface ProviderUsage {
  provider: string;
  calls: number;
  failures: number;
  failure_rate: number;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  latency_samples: number;
  cost_usd?: number;
}
