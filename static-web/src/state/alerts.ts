import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Api } from '../api/client';
import type { AlertRule } from '../api/types/alerts';
import type { FeedItem } from './feed';
import type { StreamModel } from './stream';

/** One alert on the banner: a rule firing for a bot (or for the society, botId null). */
export interface ActiveAlert {
  /** The rule and the bot: one banner per pair, the newest firing shown. */
  key: string;
  alertId: number;
  kind: string;
  botId: number | null;
  botName: string | null;
  message: string;
  firedAt: string;
  activityId: number | null;
}

const STORAGE_KEY = 'botsociety.dismissedAlerts';
const KEEP_DISMISSED = 200;

const keyOf = (alertId: number, botId: number | null) => `${alertId}:${botId ?? 0}`;
/** A dismissal is for one firing: the same rule firing again for the same bot later shows again. */
const dismissalOf = (alert: Pick<ActiveAlert, 'key' | 'firedAt'>) => `${alert.key}@${alert.firedAt}`;

/** The firings the API reports for each rule, as banner alerts. */
export function firingAlerts(rules: AlertRule[]): ActiveAlert[] {
  return rules.flatMap((rule) =>
    rule.firing.map((f) => ({
      key: keyOf(rule.alert_id, f.bot_id),
      alertId: rule.alert_id,
      kind: rule.kind,
      botId: f.bot_id,
      botName: f.bot_name,
      message: f.message,
      firedAt: f.fired_at,
      activityId: f.activity_id,
    })),
  );
}

/** An alert_fired item of the stream (or a reloaded row) as a banner alert; null when its details lack the rule. */
export function alertOfItem(item: FeedItem): ActiveAlert | null {
  const d = item.details;
  const alertId = typeof d.alert_id === 'number' ? d.alert_id : null;
  if (alertId === null) return null;
  const botId = typeof d.bot_id === 'number' ? d.bot_id : item.botId;
  return {
    key: keyOf(alertId, botId),
    alertId,
    kind: typeof d.kind === 'string' ? d.kind : 'alert',
    botId,
    botName: typeof d.bot_name === 'string' ? d.bot_name : item.botName,
    message: typeof d.message === 'string' && d.message ? d.message : 'An alert fired.',
    firedAt: typeof d.fired_at === 'string' ? d.fired_at : item.timestamp,
    activityId: item.activityId,
  };
}

/**
 * Merges what the API says is firing with what was heard live, one alert per rule and bot (the newer firing wins),
 * drops the dismissed ones and those of rules that no longer exist, newest first.
 */
export function mergeAlerts(firing: ActiveAlert[], live: ActiveAlert[], ruleIds: Set<number> | null, dismissed: Set<string>): ActiveAlert[] {
  const byKey = new Map<string, ActiveAlert>();
  for (const alert of [...firing, ...live]) {
    if (ruleIds && !ruleIds.has(alert.alertId)) continue;
    const known = byKey.get(alert.key);
    if (!known || Date.parse(alert.firedAt) > Date.parse(known.firedAt)) byKey.set(alert.key, alert);
  }
  return [...byKey.values()]
    .filter((alert) => !dismissed.has(dismissalOf(alert)))
    .sort((a, b) => Date.parse(b.firedAt) - Date.parse(a.firedAt) || (a.key < b.key ? -1 : 1));
}

function storedDismissals(): string[] {
  try {
    const raw = globalThis.sessionStorage?.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The alert rules and what is firing now: the Alerts page's list and the banner on every page. Loaded once, then
 * again (debounced) when the stream says a rule changed or an alert fired, and after each catch-up; an alert_fired
 * event shows on the banner at once, before that reload. Dismissals last for the browser tab.
 */
export function createAlertsModel(api: Pick<Api, 'alerts'>, stream: Pick<StreamModel, 'subscribe' | 'onResync'>, debounceMs = 1_000) {
  const rules = signal<AlertRule[] | null>(null);
  const error = signal<string | null>(null);
  const live = signal<ActiveAlert[]>([]);
  const dismissed = signal<Set<string>>(new Set(storedDismissals()));
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  async function load() {
    try {
      const list = await api.alerts();
      if (disposed) return;
      rules.value = list;
      error.value = null;
    } catch (e) {
      if (!disposed) error.value = (e as Error).message;
    }
  }

  function schedule() {
    if (timer !== null || disposed) return;
    timer = setTimeout(() => {
      timer = null;
      void load();
    }, debounceMs);
  }

  const unsubscribe = stream.subscribe((added) => {
    const fired = added.filter((item) => item.type === 'alert_fired' || item.action === 'alert_fired').map(alertOfItem).filter((a): a is ActiveAlert => a !== null);
    if (fired.length > 0) live.value = [...live.value, ...fired];
    if (fired.length > 0 || added.some((item) => item.type === 'alert_rule_changed')) schedule();
  });
  const unsubscribeResyncs = stream.onResync(schedule);

  const ruleIds = computed(() => (rules.value ? new Set(rules.value.map((r) => r.alert_id)) : null));
  const active = computed(() => mergeAlerts(firingAlerts(rules.value ?? []), live.value, ruleIds.value, dismissed.value));

  return {
    rules: rules as ReadonlySignal<AlertRule[] | null>,
    error: error as ReadonlySignal<string | null>,
    /** What the banner shows: firing and not dismissed, newest first. */
    active,
    load,
    /** Puts a rule the API just returned in place (or adds it), so the page shows it before the next reload. */
    put(rule: AlertRule) {
      const list = rules.value ?? [];
      rules.value = list.some((r) => r.alert_id === rule.alert_id) ? list.map((r) => (r.alert_id === rule.alert_id ? rule : r)) : [...list, rule];
    },
    remove(alertId: number) {
      rules.value = (rules.value ?? []).filter((r) => r.alert_id !== alertId);
    },
    dismiss(alert: ActiveAlert) {
      const next = new Set(dismissed.value);
      next.add(dismissalOf(alert));
      dismissed.value = next;
      try {
        globalThis.sessionStorage?.setItem(STORAGE_KEY, JSON.stringify([...next].slice(-KEEP_DISMISSED)));
      } catch {
        // Storage refused: the dismissal holds until the tab reloads.
      }
    },
    dispose() {
      disposed = true;
      unsubscribe();
      unsubscribeResyncs();
      if (timer !== null) clearTimeout(timer);
    },
  };
}

export type AlertsModel = ReturnType<typeof createAlertsModel>;
