import { useEffect, useState } from 'preact/hooks';
import type { AlertDelivery, AlertRule } from '../../api/types/alerts';
import { draftOf, kindLabel, newDraft, ruleSummary } from '../../lib/alertRules';
import { formatInt } from '../../lib/format';
import { useLiveRefresh } from '../../lib/useLiveRefresh';
import { useResource } from '../../lib/useResource';
import { absoluteTime, relativeTime } from '../../lib/time';
import { useApp } from '../../state/app';
import { Empty, ErrorState, Loading } from '../States';
import { AlertForm } from './AlertForm';
import styles from './Alerts.module.css';

/**
 * The alert rules: what each watches, whether it is firing now and for whom, and the log of its webhook's deliveries;
 * with a form to create a rule and, per rule, to edit or delete it.
 */
export function AlertsView() {
  const { alerts } = useApp();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<number | null>(null);
  const rules = alerts.rules.value;

  // The model loads at start and follows the stream; opening the page reads the rules again all the same.
  useEffect(() => {
    void alerts.load();
  }, []);

  const firing = rules?.filter((r) => r.firing.length > 0).length ?? 0;
  return (
    <div class="page">
      <div class="page-head">
        <div class={styles.headText}>
          <h1>Alerts</h1>
          <p>
            Rules that watch the bots and say when something goes wrong: on the banner of every page, in the activity feed and, if
            given, to a webhook.
            {rules && ` ${rules.length} rule${rules.length === 1 ? '' : 's'} · ${firing} firing.`}
          </p>
        </div>
        {!creating && (
          <button type="button" class="button primary" onClick={() => setCreating(true)} data-testid="new-rule">
            New rule
          </button>
        )}
      </div>

      {creating && (
        <section class={`card ${styles.panel}`} aria-labelledby="new-rule-title">
          <h2 id="new-rule-title">New rule</h2>
          <AlertForm
            rule={null}
            initial={newDraft()}
            onCancel={() => setCreating(false)}
            onSaved={(rule) => {
              alerts.put(rule);
              setCreated(rule.alert_id);
              setCreating(false);
            }}
          />
        </section>
      )}

      {alerts.error.value && !rules ? (
        <ErrorState message={alerts.error.value} onRetry={() => void alerts.load()} />
      ) : !rules ? (
        <Loading label="Loading the alert rules…" />
      ) : rules.length === 0 ? (
        !creating && (
          <section class="card">
            <Empty title="No alert rules yet">
              A rule fires when, say, a bot's heartbeats keep failing or it reaches its daily cap.{' '}
              <button type="button" class="button small" onClick={() => setCreating(true)}>Create the first rule</button>
            </Empty>
          </section>
        )
      ) : (
        <ol class={styles.rules} data-testid="alert-rules">
          {[...rules].sort((a, b) => b.firing.length - a.firing.length || a.alert_id - b.alert_id).map((rule) => (
            <RuleCard key={rule.alert_id} rule={rule} fresh={rule.alert_id === created} />
          ))}
        </ol>
      )}
    </div>
  );
}

function RuleCard({ rule, fresh }: { rule: AlertRule; fresh: boolean }) {
  const { api, alerts, clock } = useApp();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const now = clock.now.value;
  const firing = rule.firing.length > 0;
  const titleId = `rule-${rule.alert_id}-title`;

  async function remove() {
    setBusy(true);
    setDeleteError(null);
    try {
      await api.deleteAlert(rule.alert_id);
      alerts.remove(rule.alert_id);
    } catch (e) {
      setDeleteError((e as Error).message);
      setBusy(false);
    }
  }

  return (
    <li class={`card ${styles.rule} ${firing ? styles.firing : ''} ${fresh ? styles.fresh : ''}`} aria-labelledby={titleId} data-testid="alert-rule" data-alert-id={rule.alert_id}>
      <div class={styles.ruleHead}>
        <span class="pill accent">{kindLabel(rule.kind)}</span>
        <h2 id={titleId}>{ruleSummary(rule)}</h2>
        {firing ? (
          <span class="pill bad" data-testid="rule-state">firing for {rule.firing.length === 1 ? rule.firing[0].bot_name ?? 'the society' : `${rule.firing.length} bots`}</span>
        ) : (
          <span class="pill good" data-testid="rule-state">quiet</span>
        )}
      </div>

      {editing ? (
        <AlertForm
          rule={rule}
          initial={draftOf(rule)}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            alerts.put(saved);
            setEditing(false);
          }}
        />
      ) : (
        <>
          <dl class={styles.facts}>
            <div>
              <dt>Watches</dt>
              <dd>{rule.bot_id === null ? (rule.kind === 'events_lost' ? 'the society' : 'every bot') : <a href={`/bots/${rule.bot_id}`}>{rule.bot_name ?? `bot ${rule.bot_id}`}</a>}</dd>
            </div>
            <div>
              <dt>Webhook</dt>
              <dd>{rule.webhook_url ? <><code class={styles.url}>{rule.webhook_url}</code>{rule.has_secret && <span class="pill info">signed</span>}</> : <span class="dim">none</span>}</dd>
            </div>
            <div>
              <dt>Changed</dt>
              <dd title={absoluteTime(rule.updated_at)}>{relativeTime(rule.updated_at, now)}</dd>
            </div>
          </dl>
          {firing && (
            <ul class={styles.firings} aria-label="Firing now">
              {rule.firing.map((f) => (
                <li>
                  <strong>{f.bot_name ?? 'Society'}</strong> {f.message}{' '}
                  <time dateTime={f.fired_at} title={absoluteTime(f.fired_at)} class="dim">{relativeTime(f.fired_at, now)}</time>
                  {f.activity_id !== null && <> · <a href={`/activity/${f.activity_id}`}>details</a></>}
                </li>
              ))}
            </ul>
          )}
          <div class={styles.ruleActions}>
            <Deliveries rule={rule} />
            <div class={styles.buttons}>
              {deleteError && <span class={styles.fieldError} role="alert">{deleteError}</span>}
              {confirmDelete ? (
                <>
                  <span class="dim">Delete this rule and its delivery log?</span>
                  <button type="button" class="button small" onClick={() => setConfirmDelete(false)} disabled={busy}>Keep it</button>
                  <button type="button" class="button small danger" onClick={remove} disabled={busy} data-testid="confirm-delete">
                    {busy ? 'Deleting…' : 'Delete'}
                  </button>
                </>
              ) : (
                <>
                  <button type="button" class="button small" onClick={() => setEditing(true)} aria-label={`Edit the rule: ${ruleSummary(rule)}`}>Edit</button>
                  <button type="button" class="button small danger" onClick={() => setConfirmDelete(true)} aria-label={`Delete the rule: ${ruleSummary(rule)}`}>Delete</button>
                </>
              )}
            </div>
          </div>
        </>
      )}
    </li>
  );
}

const PAGE = 20;
const statusTone: Record<string, string> = { delivered: 'good', failed: 'bad', pending: 'warn' };

/** The webhook's calls for a rule, newest first; loaded when opened, and again when the rule fires. */
function Deliveries({ rule }: { rule: AlertRule }) {
  const [open, setOpen] = useState(false);
  return (
    <details class={styles.deliveries} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="deliveries">
      <summary>
        Deliveries {!rule.webhook_url && <span class="dim">(no webhook: nothing is sent)</span>}
      </summary>
      {open && <DeliveryLog rule={rule} />}
    </details>
  );
}

function DeliveryLog({ rule }: { rule: AlertRule }) {
  const { api, clock } = useApp();
  const [extra, setExtra] = useState<AlertDelivery[]>([]);
  const [moreError, setMoreError] = useState<string | null>(null);
  const first = useResource(
    (signal) => {
      setExtra([]);
      return api.alertDeliveries(rule.alert_id, { limit: PAGE }, signal);
    },
    [rule.alert_id],
  );
  useLiveRefresh(() => first.reload(true), (item) => item.type === 'alert_fired' && item.details.alert_id === rule.alert_id, [rule.alert_id], 2_000);
  if (first.error) return <ErrorState message={first.error} onRetry={() => first.reload()} />;
  if (!first.data) return <Loading label="Loading the deliveries…" />;
  const items = [...first.data.items, ...extra];
  if (items.length === 0) return <p class="dim">No deliveries yet: the webhook is called when the rule fires.</p>;
  const now = clock.now.value;
  return (
    <div class={styles.log}>
      {/* Focusable, so a keyboard can scroll the table where it is wider than a phone. */}
      <div class={styles.tableScroll} tabIndex={0} role="region" aria-label={`Deliveries of rule ${rule.alert_id}`}>
        <table class={styles.table}>
          <thead>
            <tr>
              <th>Status</th>
              <th>HTTP</th>
              <th>Attempts</th>
              <th>Created</th>
              <th>Finished</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr data-testid="delivery">
                <td><span class={`pill ${statusTone[d.status] ?? ''}`}>{d.status}</span></td>
                <td class={styles.num}>{d.status_code ?? '—'}</td>
                <td class={styles.num}>{formatInt(d.attempts)}</td>
                <td title={absoluteTime(d.created_at)}>
                  {d.activity_id !== null ? <a href={`/activity/${d.activity_id}`}>{relativeTime(d.created_at, now)}</a> : relativeTime(d.created_at, now)}
                </td>
                <td title={d.finished_at ? absoluteTime(d.finished_at) : undefined}>{d.finished_at ? relativeTime(d.finished_at, now) : '—'}</td>
                <td class={styles.errorCell}>{d.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class={styles.logFoot}>
        <span class="dim">{items.length} of {first.data.total}</span>
        {moreError && <span class={styles.fieldError}>{moreError}</span>}
        <button type="button" class="button small" onClick={() => first.reload(true)}>Refresh</button>
        {items.length < first.data.total && (
          <button
            type="button"
            class="button small"
            onClick={async () => {
              try {
                const page = await api.alertDeliveries(rule.alert_id, { limit: PAGE, offset: items.length });
                setExtra((prev) => [...prev, ...page.items]);
              } catch (e) {
                setMoreError((e as Error).message);
              }
            }}
          >
            Load older
          </button>
        )}
      </div>
    </div>
  );
}
