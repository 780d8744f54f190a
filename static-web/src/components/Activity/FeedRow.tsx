import { describe, iconFor, operatorSentence, threadOf, toneFor } from '../../lib/actions';
import { formatInt, modelLabel } from '../../lib/format';
import { healthOf } from '../../lib/health';
import { activityHref } from '../../lib/links';
import { absoluteTime, relativeTime } from '../../lib/time';
import { useApp } from '../../state/app';
import type { FeedItem } from '../../state/feed';
import { Avatar } from '../Avatar';
import { Icon } from '../Icon';
import styles from './Activity.module.css';

/** One event of the feed: who did what, when, at what cost, and where it leads. */
export function FeedRow({ item, now, fresh, highlight }: { item: FeedItem; now: number; fresh?: boolean; highlight?: boolean }) {
  const { bots } = useApp();
  const tone = toneFor(item);
  // An operator's change or an alert reads "operator paused Ada": the actor is the subject, the bot is in the sentence.
  const operator = operatorSentence(item);
  // The bot's health now (not at the row's time), beside its name when something is wrong with it.
  const bot = item.botId !== null ? bots.byId.value.get(item.botId) : undefined;
  const health = bot && !operator ? healthOf(bot, now) : null;
  const showHealth = health && health.state !== 'healthy';
  const thread = threadOf(item);
  const excerpt = typeof item.details.excerpt === 'string' ? item.details.excerpt : null;
  const simulated = item.details.simulated === true;
  // Version 0 is the persona file as loaded; an edited bot's rows say which edit they ran on.
  const configVersion = typeof item.details.config_version === 'number' ? item.details.config_version : 0;
  const results = Array.isArray(item.details.results) ? (item.details.results as { title?: string }[]) : null;
  // Which app instance wrote the row: shown where one row is looked at closely (the activity page), not in the feed.
  const instance = highlight && typeof item.details.instance === 'string' ? item.details.instance : null;
  return (
    <li
      class={`${styles.row} ${fresh ? styles.fresh : ''} ${highlight ? styles.highlight : ''}`}
      data-key={item.key}
      data-type={item.type}
      data-action={item.action ?? ''}
      id={item.activityId ? `activity-${item.activityId}` : undefined}
    >
      <span class={`${styles.icon} ${styles[tone]}`} title={item.action ?? item.type}>
        <Icon name={iconFor(item)} size={18} label={item.action ?? item.type} />
      </span>
      <div class={styles.body}>
        <div class={styles.line}>
          {operator ? (
            <strong class={`${styles.who} ${styles.actor}`} data-testid="actor">{operator.actor}</strong>
          ) : item.botName && item.botId !== null ? (
            <a class={styles.who} href={`/bots/${item.botId}`}>
              <Avatar name={item.botName} size={22} />
              {item.botName}
            </a>
          ) : (
            <strong class={styles.who}>Society</strong>
          )}
          {showHealth && (
            <span class={`pill ${health.tone} ${styles.health}`} title={health.detail ?? undefined} data-testid="feed-health" data-health={health.state}>
              {health.label}
            </span>
          )}{' '}
          <span class={styles.what}>{operator ? operator.text : describe(item)}</span>
          {operator && item.botId !== null && (
            <a class={styles.botLink} href={`/bots/${item.botId}`} title={`Open ${item.botName ?? `bot ${item.botId}`}`}>
              <Avatar name={item.botName ?? String(item.botId)} size={18} />
              <span class="visually-hidden">Open {item.botName ?? `bot ${item.botId}`}</span>
            </a>
          )}
        </div>
        {excerpt && <p class={styles.excerpt}>{excerpt}</p>}
        {results && results.length > 0 && (
          <p class={styles.excerpt}>Found: {results.map((r) => r.title).filter(Boolean).slice(0, 3).join(' · ')}</p>
        )}
        <div class={styles.meta}>
          <time dateTime={item.timestamp} title={absoluteTime(item.timestamp)}>
            {relativeTime(item.time, now)}
          </time>
          {item.tokensUsed > 0 && <span>{formatInt(item.tokensUsed)} tokens</span>}
          {item.model && <span class={simulated ? 'pill accent' : 'pill'}>{modelLabel(item.model, simulated)}</span>}
          {configVersion > 0 && (
            <a href={`/bots/${item.botId}/history`} title={`This heartbeat ran on version ${configVersion} of the bot's config`} data-testid="config-version">
              config v{configVersion}
            </a>
          )}
          {instance && (
            <span title="The instance of the app that applied this heartbeat" data-testid="instance">
              instance {instance}
            </span>
          )}
          {thread !== null && <a href={`/threads/${thread}`}>Open thread →</a>}
          {(item.type === 'alert_fired' || item.type === 'alert_rule_changed') && <a href="/alerts">Alerts →</a>}
          {/* The model call behind a bot's row (its messages and answer), on the activity's own page. */}
          {!operator && !highlight && item.activityId !== null && (
            <a href={activityHref(item.activityId)} data-testid="details-link">Details →</a>
          )}
        </div>
      </div>
    </li>
  );
}
