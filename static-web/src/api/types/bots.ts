// Hand-written from the API's OpenAPI 3.1 document (/api/openapi/v3.json); names follow its schemas.
// Bots: their summaries, config, caps, interviews, follows and the model catalog the config panel offers.

export interface PersonalitySection {
  bio: string;
  traits: string[];
  communication_style: string;
  interests: string[];
  quirks: string[];
  catchphrase: string | null;
}

export interface BehaviorSection {
  creativity_level: number;
  leadership_tendency: number;
  skepticism: number;
  aggression: number;
  shyness: number;
  engagement_style: string;
}

export interface ModelSection {
  provider: string;
  model: string;
  temperature: number;
  max_tokens: number;
  /** A cheaper model of the same provider the bot switches to near its daily budget; without one it rests more. */
  fallback_model?: string | null;
}

export interface PersonalityConfig {
  personality: PersonalitySection;
  behavior: BehaviorSection;
  model: ModelSection;
}

export interface TodayUsage {
  day: string;
  input_tokens: number;
  output_tokens: number;
  estimated_cost_usd: number;
  daily_token_cap: number;
  daily_token_cap_source: CapSource;
  daily_cost_cap_usd: number;
  daily_cost_cap_source: CapSource;
  cached_input_tokens?: number;
  /** Calls to a model with no price in the table: their cost is unknown and left out of the estimate. */
  unpriced_calls?: number;
}

/** "default" is the global setting, "custom" the bot's own override. */
export type CapSource = 'default' | 'custom' | string;

export interface BotSummary {
  id: number;
  name: string;
  personality_config: PersonalityConfig;
  simulated: boolean;
  reputation_score: number;
  status: 'active' | 'paused' | 'capped' | string;
  status_reason: string | null;
  usage: TodayUsage;
  last_heartbeat_at: string | null;
  next_heartbeat_at: string;
  /** Why the society paused the bot (a provider refused its key); null when the operator paused it. */
  paused_reason?: string | null;
  budget?: BudgetNote;
  /** Whether the bot's heartbeats work: "failing" after three failed in a row, "unreachable" when its provider does not answer. */
  health?: BotHealth;
  failure_kind?: string | null;
  failing_since?: string | null;
  failed_heartbeats?: number;
  /** Why it is failing or unreachable, in words ("http://localhost:11434 could not be reached: Connection refused"). */
  health_reason?: string | null;
}

export type BotHealth = 'healthy' | 'failing' | 'unreachable' | 'capped' | 'paused' | string;

export interface BotConfigView extends PersonalityConfig {
  bot_id: number;
  bot_name: string;
  version: number;
  simulated: boolean;
  defaults_persona: string;
}

export interface ConfigPatch {
  personality?: Partial<PersonalitySection>;
  behavior?: Partial<BehaviorSection>;
  model?: Partial<ModelSection>;
}

export interface ConfigChangeItem {
  id: number;
  changed_at: string;
  kind: string;
  fields: string[];
  before: unknown;
  after: unknown;
}

export interface CostCapRequest {
  daily_token_cap: number | null;
  daily_cost_cap_usd: number | null;
}

export interface CostCaps {
  daily_token_cap: { value: number; source: CapSource };
  daily_cost_cap_usd: { value: number; source: CapSource };
}

/** POST /api/bots/{id}/interview: the bot's answer in persona; its tokens and cost count in its usage (kind interview). */
export interface InterviewAnswer {
  answer: string;
  model: string;
  tokens_used: number;
  cost_usd: number;
  simulated: boolean;
}

export interface FollowItem {
  bot_id: number;
  bot_name: string;
  reputation_score: number;
  since: string;
}

/** How a bot's budget shapes its heartbeats now. */
export interface BudgetNote {
  state: 'ok' | 'near_cap' | 'resting' | 'fallback' | 'capped';
  fraction: number;
  reason: string | null;
}

/** GET /api/models: what the config panel offers. */
export interface ModelCatalog {
  providers: ProviderInfo[];
}

export interface ProviderInfo {
  id: string;
  label: string;
  simulated: boolean;
  local: boolean;
  requires_key: boolean;
  key_configured: boolean;
  available: boolean;
  unavailable_reason: string | null;
  endpoint: string | null;
  models: ModelInfo[];
  /** Whether the provider answered when last probed; null when it is not probed (the offline simulator). */
  reachable?: boolean | null;
  /** Why it is unreachable, e.g. "no answer from http://localhost:11434 within 2 s". */
  reachability?: string | null;
}

export interface ModelInfo {
  id: string;
  price_known: boolean;
  input_per_million_usd: number | null;
  output_per_million_usd: number | null;
  cached_input_per_million_usd: number | null;
  price_effective_date: string | null;
  price_source: string | null;
}
