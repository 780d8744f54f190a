import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { AlertRule } from '../../api/types/alerts';
import {
  ALERT_KINDS, draftErrors, FIELD_LABELS, kindInfo, requestOf, visibleFields, type AlertDraft, type AlertField,
} from '../../lib/alertRules';
import { useApp } from '../../state/app';
import styles from './Alerts.module.css';

/** The fields a rule's body may name; a server message for any other member is shown above the form. */
const FORM_FIELDS = ['kind', 'bot_id', 'count', 'window_minutes', 'percent', 'points', 'webhook_url', 'secret'];

function Messages({ error, field }: { error: ApiError | null; field: string }) {
  const messages = error?.errorsFor(field) ?? [];
  if (messages.length === 0) return null;
  return (
    <span class={styles.fieldError} id={`alert-error-${field}`} data-field={field}>
      {messages.join('; ')}
    </span>
  );
}

/**
 * Creates a rule or edits one: the kind decides which numbers are asked for (and whether a bot can be chosen), so
 * only those are sent. The server's 400 names each bad field; its message is put beside that field.
 */
export function AlertForm({ rule, initial, onSaved, onCancel }: {
  rule: AlertRule | null;
  initial: AlertDraft;
  onSaved: (rule: AlertRule) => void;
  onCancel?: () => void;
}) {
  const { api, bots } = useApp();
  const [draft, setDraft] = useState<AlertDraft>(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const editing = rule !== null;
  const { numbers, bot } = visibleFields(draft.kind);
  const info = kindInfo(draft.kind);
  const idPrefix = editing ? `rule-${rule.alert_id}` : 'new-rule';
  const set = (patch: Partial<AlertDraft>) => setDraft({ ...draft, ...patch });
  const describedBy = (field: string) => ((error?.errorsFor(field).length ?? 0) > 0 ? `alert-error-${field}` : undefined);

  async function submit(e: Event) {
    e.preventDefault();
    const local = draftErrors(draft);
    if (Object.keys(local).length > 0) {
      setError(new ApiError(0, 'Some values are missing; see the marked fields.', local));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = requestOf(draft, editing);
      onSaved(editing ? await api.updateAlert(rule.alert_id, body) : await api.createAlert(body));
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, (err as Error).message));
    } finally {
      setBusy(false);
    }
  }

  const fieldKeys = Object.keys(error?.fieldErrors ?? {});
  const elsewhere = fieldKeys.filter((key) => !FORM_FIELDS.some((f) => key === f || key.startsWith(`${f}.`) || key.startsWith(`${f}[`)));
  return (
    <form class={styles.form} onSubmit={submit} aria-label={editing ? `Edit alert rule ${rule.alert_id}` : 'New alert rule'} data-testid="alert-form" noValidate>
      {error && (
        <div class={styles.formError} role="alert">
          {fieldKeys.length > 0 ? 'The rule was not saved; see the marked fields.' : error.message}
          {elsewhere.map((key) => (
            <div>
              {key}: {error.fieldErrors[key].join('; ')}
            </div>
          ))}
        </div>
      )}
      <div class={styles.formGrid}>
        <label class={styles.field}>
          <span>Kind</span>
          <select name="kind" value={draft.kind} onChange={(e) => set({ kind: e.currentTarget.value })} aria-describedby={describedBy('kind')}>
            {ALERT_KINDS.map((k) => (
              <option value={k.kind}>{k.label}</option>
            ))}
          </select>
          {info && <small class="dim">{info.hint}</small>}
          <Messages error={error} field="kind" />
        </label>
        {bot && (
          <label class={styles.field}>
            <span>Bot</span>
            <select name="bot_id" value={draft.botId} onChange={(e) => set({ botId: e.currentTarget.value })} aria-describedby={describedBy('bot_id')}>
              <option value="">Any bot</option>
              {bots.bots.value.map((b) => (
                <option value={String(b.id)}>{b.name}</option>
              ))}
            </select>
            <Messages error={error} field="bot_id" />
          </label>
        )}
        {numbers.map((field: AlertField) => (
          <label class={styles.field}>
            <span>{FIELD_LABELS[field]}</span>
            <input
              id={`${idPrefix}-${field}`}
              name={field}
              type="number"
              inputMode="decimal"
              value={draft[field]}
              onInput={(e) => set({ [field]: e.currentTarget.value })}
              aria-invalid={(error?.errorsFor(field).length ?? 0) > 0 ? 'true' : undefined}
              aria-describedby={describedBy(field)}
            />
            <Messages error={error} field={field} />
          </label>
        ))}
      </div>
      <div class={styles.formGrid}>
        <label class={`${styles.field} ${styles.wide}`}>
          <span>Webhook</span>
          <input
            name="webhook_url"
            type="text"
            inputMode="url"
            placeholder="https://hooks.example.com/botsociety"
            value={draft.webhookUrl}
            onInput={(e) => set({ webhookUrl: e.currentTarget.value })}
            aria-invalid={(error?.errorsFor('webhook_url').length ?? 0) > 0 ? 'true' : undefined}
            aria-describedby={describedBy('webhook_url')}
          />
          <small class="dim">Optional: told of each firing with a signed POST.</small>
          <Messages error={error} field="webhook_url" />
        </label>
        <div class={styles.field}>
          <label for={`${idPrefix}-secret`}>Secret</label>
          <input
            id={`${idPrefix}-secret`}
            name="secret"
            type="password"
            autocomplete="new-password"
            placeholder={editing && rule.has_secret ? 'unchanged: a secret is set' : 'none'}
            value={draft.secret}
            disabled={draft.clearSecret}
            onInput={(e) => set({ secret: e.currentTarget.value })}
            aria-describedby={describedBy('secret')}
          />
          <small class="dim">Signs the webhook's body (HMAC-SHA256); needed with a webhook.</small>
          {editing && rule.has_secret && (
            <span class={styles.check}>
              <input type="checkbox" id={`${idPrefix}-clear-secret`} checked={draft.clearSecret} onChange={(e) => set({ clearSecret: e.currentTarget.checked, secret: '' })} />
              <label for={`${idPrefix}-clear-secret`}>Remove the secret</label>
            </span>
          )}
          <Messages error={error} field="secret" />
        </div>
      </div>
      <div class={styles.formActions}>
        {onCancel && (
          <button type="button" class="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save rule' : 'Create rule'}
        </button>
      </div>
    </form>
  );
}
