import type { AlertKind, AlertRule, AlertRuleRequest } from '../api/types/alerts';

export { ruleSummary, type RuleLike } from './alertText';

// The alert rules' vocabulary: which fields each kind asks for, the body a form sends, and a rule in one phrase. The
// Alerts page, the feed's sentences and the banner read it from here, so a kind is described the same everywhere.

export type AlertField = 'count' | 'window_minutes' | 'percent' | 'points';

export interface AlertKindInfo {
  kind: AlertKind;
  label: string;
  /** The numbers the condition needs, in the order the form shows them. */
  fields: AlertField[];
  /** Whether the rule can watch one bot (false: the society as a whole). */
  perBot: boolean;
  hint: string;
}

export const ALERT_KINDS: AlertKindInfo[] = [
  { kind: 'heartbeat_failed', label: 'Heartbeats fail', fields: ['count', 'window_minutes'], perBot: true, hint: 'Fires when a bot has this many failed heartbeats within the window.' },
  { kind: 'usage_capped', label: 'Bot reaches its daily cap', fields: [], perBot: true, hint: 'Fires when a bot reaches its daily token or cost cap and sleeps until midnight UTC.' },
  { kind: 'spend', label: 'Spend passes a share of the cap', fields: ['percent'], perBot: true, hint: 'Fires when a bot has spent this share of its daily token or cost cap.' },
  { kind: 'reputation_drop', label: 'Reputation drops', fields: ['points', 'window_minutes'], perBot: true, hint: 'Fires when a bot loses this many reputation points within the window.' },
  { kind: 'events_lost', label: 'Live events are lost', fields: [], perBot: false, hint: 'Fires when the live stream gives up on events after its retries.' },
];

export const FIELD_LABELS: Record<AlertField, string> = {
  count: 'Failed heartbeats',
  window_minutes: 'Within (minutes)',
  percent: 'Share of the daily cap (%)',
  points: 'Reputation points lost',
};

/** Values a new rule of each kind starts with, so the form is valid as it opens. */
const DEFAULTS: Record<AlertField, string> = { count: '3', window_minutes: '15', percent: '80', points: '10' };

export function kindInfo(kind: string): AlertKindInfo | undefined {
  return ALERT_KINDS.find((k) => k.kind === kind);
}

export const kindLabel = (kind: string) => kindInfo(kind)?.label ?? kind.replace(/_/g, ' ');

/** What the alert form edits: text as typed (a number field can be empty mid-edit), the bot as an id or "" for any. */
export interface AlertDraft {
  kind: string;
  botId: string;
  count: string;
  window_minutes: string;
  percent: string;
  points: string;
  webhookUrl: string;
  /** A new secret; empty keeps the current one when editing. */
  secret: string;
  /** Editing a rule that has a secret, the operator may remove it (sent as null). */
  clearSecret: boolean;
}

export function newDraft(kind: string = 'heartbeat_failed'): AlertDraft {
  return { kind, botId: '', ...DEFAULTS, webhookUrl: '', secret: '', clearSecret: false };
}

export function draftOf(rule: AlertRule): AlertDraft {
  const text = (n: number | null, field: AlertField) => (n === null || n === undefined ? DEFAULTS[field] : String(n));
  return {
    kind: rule.kind,
    botId: rule.bot_id === null ? '' : String(rule.bot_id),
    count: text(rule.count, 'count'),
    window_minutes: text(rule.window_minutes, 'window_minutes'),
    percent: text(rule.percent, 'percent'),
    points: text(rule.points, 'points'),
    webhookUrl: rule.webhook_url ?? '',
    secret: '',
    clearSecret: false,
  };
}

/** The fields the form shows for a kind: its numbers, a bot picker when it can watch one bot, and the webhook. */
export function visibleFields(kind: string): { numbers: AlertField[]; bot: boolean } {
  const info = kindInfo(kind);
  return { numbers: info?.fields ?? [], bot: info?.perBot ?? true };
}

function number(text: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}

/**
 * The body of a POST or PUT for a draft: only the fields its kind uses (a number typed for another kind before the
 * kind was changed is not sent), the bot only for kinds that watch one. `editing` leaves out an untouched secret, so
 * the server keeps the current one.
 */
export function requestOf(draft: AlertDraft, editing: boolean): AlertRuleRequest {
  const { numbers, bot } = visibleFields(draft.kind);
  const body: AlertRuleRequest = { kind: draft.kind };
  if (bot) body.bot_id = draft.botId === '' ? null : Number(draft.botId);
  for (const field of numbers) body[field] = number(draft[field]);
  body.webhook_url = draft.webhookUrl.trim() === '' ? null : draft.webhookUrl.trim();
  if (draft.secret !== '') body.secret = draft.secret;
  else if (editing && draft.clearSecret) body.secret = null;
  return body;
}

/**
 * What can be said before the server is asked: a required number that is empty or not a number. The server's
 * 400 has the full rules (ranges, the webhook's address); its messages are shown beside the same fields.
 */
export function draftErrors(draft: AlertDraft): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const field of visibleFields(draft.kind).numbers) {
    const value = number(draft[field]);
    if (value === null) errors[field] = ['is required for this kind of alert'];
    else if (Number.isNaN(value)) errors[field] = [`must be a number; got '${draft[field]}'`];
  }
  return errors;
}

/** Twice a bot's effective daily caps (tokens, and dollars to the cent): what the banner's "Raise cap" asks for. */
export function doubledCaps(usage: { daily_token_cap: number; daily_cost_cap_usd: number }) {
  return {
    daily_token_cap: Math.round(usage.daily_token_cap * 2),
    daily_cost_cap_usd: Math.round(usage.daily_cost_cap_usd * 2 * 100) / 100,
  };
}
