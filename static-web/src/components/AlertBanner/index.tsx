import { useState } from 'preact/hooks';
import { doubledCaps, kindLabel } from '../../lib/alertRules';
import { formatInt, formatUsd } from '../../lib/format';
import { absoluteTime, relativeTime } from '../../lib/time';
import type { ActiveAlert } from '../../state/alerts';
import { useApp } from '../../state/app';
import { Icon } from '../Icon';
import styles from './AlertBanner.module.css';

/**
 * The alerts firing now, on top of every page, each with what an operator would do about it in one click: pause the
 * bot, pause the society, raise the bot's caps, or dismiss. Each alert is announced as it appears (role="alert") and
 * its buttons are in the page's tab order. A button that cannot act now is aria-disabled rather than disabled, so the
 * keyboard focus stays on it after it was pressed (a disabled button drops the focus to the page's start).
 */
export function AlertBanner() {
  const { alerts } = useApp();
  const list = alerts.active.value;
  if (list.length === 0) return null;
  return (
    <section class={styles.stack} aria-label="Alerts firing now" data-testid="alert-banners">
      {list.slice(0, 3).map((alert) => (
        <AlertItem key={`${alert.key}@${alert.firedAt}`} alert={alert} />
      ))}
      {list.length > 3 && (
        <p class={styles.more}>
          {list.length - 3} more alert{list.length - 3 === 1 ? '' : 's'} firing. <a href="/alerts">See all alerts →</a>
        </p>
      )}
    </section>
  );
}

function AlertItem({ alert }: { alert: ActiveAlert }) {
  const { api, alerts, bots, pace, clock } = useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const bot = alert.botId !== null ? bots.byId.value.get(alert.botId) : undefined;
  const botName = bot?.name ?? alert.botName ?? (alert.botId !== null ? `bot ${alert.botId}` : null);
  const botPaused = bot?.status === 'paused';
  const societyPaused = pace.pace.value?.pace === 'paused';

  async function run(what: string, action: () => Promise<string>) {
    setBusy(what);
    setError(null);
    try {
      setDone(await action());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  }

  const pauseBot = () =>
    run('pause', async () => {
      bots.replace(await api.pause(alert.botId!));
      return `${botName} is paused.`;
    });

  const pauseSociety = () =>
    run('society', async () => {
      await pace.set('paused');
      if (pace.error.value) throw new Error(pace.error.value);
      return 'The society is paused: no bot acts until the pace is set again.';
    });

  const caps = bot ? doubledCaps(bot.usage) : null;
  const raiseCap = () =>
    run('cap', async () => {
      const result = await api.setCostCap(alert.botId!, caps!);
      await bots.load();
      return `${botName}'s daily caps are now ${formatInt(result.daily_token_cap.value)} tokens and ${formatUsd(result.daily_cost_cap_usd.value)}.`;
    });

  const messageId = `alert-${alert.key.replace(':', '-')}`;
  return (
    <div class={styles.banner} role="alert" aria-labelledby={messageId} data-testid="alert-banner" data-alert-id={alert.alertId} data-bot-id={alert.botId ?? ''}>
      <span class={styles.icon} aria-hidden="true">
        <Icon name="alert" size={20} />
      </span>
      <div class={styles.body}>
        <p class={styles.message} id={messageId}>
          <strong>{kindLabel(alert.kind)}</strong> {alert.message}
        </p>
        <p class={styles.meta}>
          <time dateTime={alert.firedAt} title={absoluteTime(alert.firedAt)}>fired {relativeTime(alert.firedAt, clock.now.value)}</time>
          {alert.activityId !== null && <a href={`/activity/${alert.activityId}`}>Details</a>}
          <a href="/alerts">Alert rules</a>
          {done && <span class={styles.done} role="status">{done}</span>}
          {error && <span class={styles.error} role="status">{error}</span>}
        </p>
      </div>
      <div class={styles.actions}>
        {alert.botId !== null && (
          <button type="button" class="button small" onClick={() => busy === null && !botPaused && pauseBot()} aria-disabled={busy !== null || botPaused} data-testid="alert-pause-bot">
            <Icon name="pause" size={14} />
            {botPaused ? `${botName} is paused` : busy === 'pause' ? `Pausing ${botName}…` : `Pause ${botName}`}
          </button>
        )}
        <button type="button" class="button small" onClick={() => busy === null && !societyPaused && pauseSociety()} aria-disabled={busy !== null || societyPaused} data-testid="alert-pause-society">
          {societyPaused ? 'Society paused' : busy === 'society' ? 'Pausing…' : 'Pause society'}
        </button>
        {alert.botId !== null && caps && (
          <button
            type="button"
            class="button small"
            onClick={() => busy === null && raiseCap()}
            aria-disabled={busy !== null}
            title={`Double ${botName}'s daily caps: ${formatInt(bot!.usage.daily_token_cap)} → ${formatInt(caps.daily_token_cap)} tokens, ${formatUsd(bot!.usage.daily_cost_cap_usd)} → ${formatUsd(caps.daily_cost_cap_usd)}`}
            aria-label={`Raise cap: ${botName}'s daily caps to ${formatInt(caps.daily_token_cap)} tokens and ${formatUsd(caps.daily_cost_cap_usd)}`}
            data-testid="alert-raise-cap"
          >
            {busy === 'cap' ? 'Raising…' : 'Raise cap'}
          </button>
        )}
        <button type="button" class={`button small ${styles.dismiss}`} onClick={() => alerts.dismiss(alert)} aria-label={`Dismiss the alert: ${alert.message}`} data-testid="alert-dismiss">
          Dismiss
        </button>
      </div>
    </div>
  );
}
