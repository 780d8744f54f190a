import type { ActivityItem, ModelTrace } from './types/activity';
import type { AlertDelivery, AlertRule, AlertRuleRequest } from './types/alerts';
import type { BotConfigView, BotSummary, ConfigChangeItem, ConfigPatch, CostCapRequest, CostCaps, FollowItem, InterviewAnswer, ModelCatalog } from './types/bots';
import type { Page } from './types/common';
import type { SocietyGraph } from './types/graph';
import type { NegotiateResponse, PaceName, PaceView } from './types/live';
import type { BotMemoryView, ColdMemoryItem, WarmMemoryView } from './types/memory';
import type { ReputationSeries, SocietyStats, UsageReport } from './types/stats';
import type { ThreadDetail, ThreadListItem, ThreadQuery, TopicCount } from './types/threads';
import { functionKey } from '../state/functionKey';

/**
 * An API answer that was not 2xx, read from its RFC 9457 problem details so a view can say what went wrong
 * and put each field's message next to that field.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The messages for a field and anything under it ("personality.interests" also takes "personality.interests[2]"). */
  errorsFor(field: string): string[] {
    return Object.entries(this.fieldErrors)
      .filter(([key]) => key === field || key.startsWith(`${field}[`) || key.startsWith(`${field}.`))
      .flatMap(([, messages]) => messages);
  }
}

export type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface ApiResult<T> {
  data: T;
  etag: string | null;
}

/** The one place requests go through: JSON in, JSON or problem details out. */
export async function request<T>(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // Only changes need the key; reads are anonymous, so the key is not sent where it is not asked for.
  if (method !== 'GET' && functionKey.value) headers['x-functions-key'] = functionKey.value;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'The server cannot be reached. Is BotSociety running?');
  }
  if (!response.ok) throw await problemOf(response);
  const data = response.status === 204 ? (undefined as T) : ((await response.json()) as T);
  return { data, etag: response.headers.get('etag') };
}

async function problemOf(response: Response): Promise<ApiError> {
  let title = `${response.status} ${response.statusText}`.trim();
  let fieldErrors: Record<string, string[]> = {};
  try {
    const problem = (await response.json()) as { title?: string; detail?: string; errors?: Record<string, string[]> };
    // The detail names the offending value; the title alone ("The request is not valid.") would not help.
    title = problem.detail || problem.title || title;
    fieldErrors = problem.errors ?? {};
  } catch {
    // Not JSON (a proxy's error page): the status line is the best we have.
  }
  if (response.status === 401) {
    // The Functions host answers a missing or wrong key with an empty 401; say what to do about it.
    title = functionKey.value
      ? 'The function key was refused. Check it with "Function key" in the sidebar.'
      : 'This BotSociety asks for a function key for changes. Enter it with "Function key" in the sidebar.';
  }
  return new ApiError(response.status, title, fieldErrors);
}

const get = async <T>(path: string, query?: Query, signal?: AbortSignal) =>
  (await request<T>('GET', withQuery(path, query), { signal })).data;

/**
 * `audit: true` keeps only the operator's actions (pause, pace, config, caps, alert rules): the marks on the charts.
 * `until` is exclusive; `order: 'asc'` reads oldest first (a replay).
 */
export type ActivityQuery = {
  limit?: number; offset?: number; bot?: number | string; action?: string; since?: string; until?: string; order?: 'asc' | 'desc'; audit?: boolean;
};

/** Typed calls, one per endpoint the dashboard uses. */
export const api = {
  activity: ({ audit, ...q }: ActivityQuery = {}, signal?: AbortSignal) =>
    get<Page<ActivityItem>>('/api/activity', { ...q, audit: audit ? 'true' : undefined }, signal),
  activityById: (id: number, signal?: AbortSignal) => get<ActivityItem>(`/api/activity/${id}`, undefined, signal),
  /** The model call behind an activity; a 404 ApiError when none was kept. */
  trace: (id: number, signal?: AbortSignal) => get<ModelTrace>(`/api/activity/${id}/trace`, undefined, signal),
  bots: (signal?: AbortSignal) => get<Page<BotSummary>>('/api/bots', { limit: 200 }, signal),
  bot: (id: number, signal?: AbortSignal) => get<BotSummary>(`/api/bots/${id}`, undefined, signal),
  followers: (id: number) => get<Page<FollowItem>>(`/api/bots/${id}/followers`, { limit: 50 }),
  following: (id: number) => get<Page<FollowItem>>(`/api/bots/${id}/following`, { limit: 50 }),
  pause: (id: number) => request<BotSummary>('POST', `/api/bots/${id}/pause`).then((r) => r.data),
  resume: (id: number) => request<BotSummary>('POST', `/api/bots/${id}/resume`).then((r) => r.data),
  /** Asks the bot a question; 409 when it is paused or capped, 400 naming question when it is empty or too long. */
  interview: (id: number, question: string) =>
    request<InterviewAnswer>('POST', `/api/bots/${id}/interview`, { body: { question } }).then((r) => r.data),

  config: (id: number) => request<BotConfigView>('GET', `/api/bots/${id}/config`),
  saveConfig: (id: number, patch: ConfigPatch, etag: string | null) =>
    request<BotConfigView>('PUT', `/api/bots/${id}/config`, { body: patch, headers: etag ? { 'if-match': etag } : {} }),
  resetConfig: (id: number, etag: string | null) =>
    request<BotConfigView>('POST', `/api/bots/${id}/config/reset`, { headers: etag ? { 'if-match': etag } : {} }),
  configHistory: (id: number, q: { limit?: number; offset?: number } = {}) =>
    get<Page<ConfigChangeItem>>(`/api/bots/${id}/config/history`, q),
  models: (signal?: AbortSignal) => get<ModelCatalog>('/api/models', undefined, signal),
  setCostCap: (id: number, body: CostCapRequest) =>
    request<CostCaps>('PUT', `/api/bots/${id}/cost-cap`, { body }).then((r) => r.data),

  memory: (id: number) => get<BotMemoryView>(`/api/bots/${id}/memory`),
  warmMemory: (id: number, q: Query) => get<WarmMemoryView>(`/api/bots/${id}/memory/warm`, q),
  coldMemory: (id: number, q: { limit?: number; offset?: number }) =>
    get<Page<ColdMemoryItem>>(`/api/bots/${id}/memory/cold`, q),

  /** `q` searches titles, bodies and replies (whole words); `sort` is newest (default), replies, votes or active. */
  threads: (q: ThreadQuery = {}, signal?: AbortSignal) =>
    get<Page<ThreadListItem>>('/api/threads', { ...q }, signal),
  /** Every topic with its number of threads, most threads first: the Threads view's topic filter. */
  topics: (signal?: AbortSignal) => get<TopicCount[]>('/api/topics', undefined, signal),
  thread: (id: number) => get<ThreadDetail>(`/api/threads/${id}`),

  stats: () => get<SocietyStats>('/api/stats'),
  usage: (q: { from?: string; to?: string; bot_id?: number } = {}, signal?: AbortSignal) => get<UsageReport>('/api/stats/usage', q, signal),
  reputationHistory: (q: { bot_id?: number; since?: string; as_of?: string; limit?: number } = {}, signal?: AbortSignal) =>
    get<ReputationSeries[]>('/api/stats/reputation-history', q, signal),
  /** Follows, replies, votes and feelings between bots; `as_of` for the graph of a past moment. */
  graph: (q: { since?: string; as_of?: string } = {}, signal?: AbortSignal) => get<SocietyGraph>('/api/graph', q, signal),

  alerts: (signal?: AbortSignal) => get<AlertRule[]>('/api/alerts', undefined, signal),
  createAlert: (body: AlertRuleRequest) => request<AlertRule>('POST', '/api/alerts', { body }).then((r) => r.data),
  updateAlert: (id: number, body: AlertRuleRequest) => request<AlertRule>('PUT', `/api/alerts/${id}`, { body }).then((r) => r.data),
  deleteAlert: (id: number) => request<void>('DELETE', `/api/alerts/${id}`).then(() => undefined),
  alertDeliveries: (id: number, q: { limit?: number; offset?: number } = {}, signal?: AbortSignal) =>
    get<Page<AlertDelivery>>(`/api/alerts/${id}/deliveries`, q, signal),

  pace: () => get<PaceView>('/api/pace'),
  setPace: (pace: PaceName) => request<PaceView>('PUT', '/api/pace', { body: { pace } }).then((r) => r.data),
  negotiate: (signal?: AbortSignal) => get<NegotiateResponse>('/api/negotiate', undefined, signal),
};

export type Api = typeof api;
