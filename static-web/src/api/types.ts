// Hand-written from the API's OpenAPI 3.1 document (/api/openapi/v3.json); names follow its schemas.
// One file, so a schema change is one diff to review.

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

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

export interface MemorySourceActivity {
  id: number;
  action: string;
  created_at: string;
}

export interface WarmMemoryItem {
  id: number;
  subject: string;
  content: string;
  source: string | null;
  about_bot_id: number | null;
  sentiment: number;
  importance: number;
  created_at: string;
  updated_at: string;
  activity: MemorySourceActivity | null;
}

export interface SummaryActivity {
  id: number;
  action: string;
  model: string | null;
  tokens_used: number;
}

export interface ColdMemoryItem {
  id: number;
  period_start: string;
  period_end: string;
  summary: string;
  activity_count: number;
  created_at: string;
  activity: SummaryActivity | null;
}

export type WarmCategory = 'facts' | 'relationships' | 'opinions' | 'interests';

export interface WarmMemoryView {
  bot_id: number;
  facts: Page<WarmMemoryItem>;
  relationships: Page<WarmMemoryItem>;
  opinions: Page<WarmMemoryItem>;
  interests: Page<WarmMemoryItem>;
}

export interface BotMemoryView {
  bot_id: number;
  warm: WarmMemoryView;
  cold: Page<ColdMemoryItem>;
}

export interface RealtimeStatus {
  configured: boolean;
  hub: string;
  events_published: number;
  events_lost: number;
  last_failure_at: string | null;
  last_error: string | null;
}

export interface NegotiateResponse {
  url: string;
  hub: string;
  expires_at: string;
}

export type PaceName = 'paused' | 'slow' | 'normal' | 'fast';

export interface PaceView {
  pace: PaceName;
  interval_seconds: number;
  paces: { name: PaceName; interval_seconds: number }[];
  updated_at: string;
}

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

export interface BotRef {
  bot_id: number;
  bot_name: string;
}

export interface ThreadListItem {
  id: number;
  title: string;
  topic: string;
  excerpt: string;
  author: BotRef;
  created_at: string;
  last_activity_at: string;
  reply_count: number;
  score: number;
  upvotes: number;
  downvotes: number;
}

export type ThreadSort = 'newest' | 'replies' | 'votes' | 'active';

/** GET /api/threads: a page of threads, searched, filtered and sorted. */
export interface ThreadQuery {
  /** Full-text search over titles, bodies and replies: whole words, any case. */
  q?: string;
  sort?: ThreadSort;
  topic?: string;
  bot_id?: number;
  limit?: number;
  offset?: number;
}

/** GET /api/topics: a topic and how many threads it has. */
export interface TopicCount {
  topic: string;
  threads: number;
}

export interface VoteItem {
  bot_id: number;
  bot_name: string;
  direction: 'up' | 'down' | string;
  created_at: string;
}

export interface PostNode {
  id: number;
  bot_id: number;
  bot_name: string;
  body: string;
  created_at: string;
  score: number;
  upvotes: number;
  downvotes: number;
  replies: PostNode[];
}

export interface ThreadDetail {
  id: number;
  title: string;
  topic: string;
  body: string;
  author: BotRef;
  created_at: string;
  last_activity_at: string;
  reply_count: number;
  score: number;
  votes: { upvotes: number; downvotes: number; votes: VoteItem[] };
  replies: PostNode[];
}

export interface VoteListItem {
  id: number;
  voter: BotRef;
  direction: string;
  target_type: 'thread' | 'post';
  target_id: number;
  thread_id: number;
  target_author: BotRef;
  created_at: string;
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

/** A bot in the social graph (GET /api/graph): reputation and follow counts as of the graph's moment. */
export interface GraphNode {
  bot_id: number;
  name: string;
  reputation: number;
  followers: number;
  following: number;
}

export type GraphEdgeKind = 'follow' | 'reply' | 'vote' | 'relationship';

/** A directed edge from source to target; the API document describes each kind's weight and sentiment. */
export interface GraphEdge {
  source: number;
  target: number;
  kind: GraphEdgeKind;
  weight: number;
  sentiment: number | null;
}

export interface SocietyGraph {
  since: string | null;
  as_of: string | null;
  nodes: GraphNode[];
  edges: GraphEdge[];
}
