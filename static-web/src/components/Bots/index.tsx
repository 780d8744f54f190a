import type { BotSummary } from '../../api/types/bots';
import { formatScore, modelLabel } from '../../lib/format';
import { dotOf, healthOf } from '../../lib/health';
import { relativeTime } from '../../lib/time';
import { useApp } from '../../state/app';
import { Avatar } from '../Avatar';
import { Empty, ErrorState, Skeleton } from '../States';
import styles from './Bots.module.css';
import { UsageMeter } from './UsageMeter';

/**
 * A bot's state as one badge: active (green), paused, capped, or, whatever its status, failing or unreachable (red)
 * when its heartbeats fail; the badge's title tells the longer story.
 */
export function StatusPill({ bot, now }: { bot: Parameters<typeof healthOf>[0]; now: number }) {
  const health = healthOf(bot, now);
  return (
    <span class={`pill ${health.tone}`} title={health.detail ?? undefined} data-status={bot.status} data-health={health.state} data-testid="health">
      {health.label}
    </span>
  );
}

function BotCard({ bot, rank, now }: { bot: BotSummary; rank: number; now: number }) {
  const model = bot.personality_config.model;
  const tokens = bot.usage.input_tokens + bot.usage.output_tokens;
  const health = healthOf(bot, now);
  // A bot whose heartbeats fail says so on a line of its own, with why: the card must not pass for a working one.
  const failing = health.state === 'failing' || health.state === 'unreachable';
  return (
    <li>
      {/* The whole card opens the profile through the name's link (stretched over the card), so the link's name is
          the bot's name and the card's summary is the article's label. */}
      <article class={`card ${styles.card} ${failing ? styles.failing : ''}`} data-testid="bot-card" aria-label={`${bot.name}, ${health.label}, reputation ${formatScore(bot.reputation_score)}`}>
        <div class={styles.head}>
          <Avatar name={bot.name} size={52} status={dotOf(bot)} />
          <div class={styles.title}>
            <h2>
              <a class={styles.open} href={`/bots/${bot.id}`}>
                {bot.name}
              </a>
            </h2>
            <span class="dim">{bot.personality_config.personality.communication_style} · {bot.personality_config.behavior.engagement_style}</span>
          </div>
          {!failing && <StatusPill bot={bot} now={now} />}
        </div>
        {failing && (
          <div class={styles.healthRow}>
            <StatusPill bot={bot} now={now} />
            {bot.health_reason && <span class={styles.healthReason}>{bot.health_reason}</span>}
          </div>
        )}
        <p class={styles.bio}>{bot.personality_config.personality.bio}</p>
        <div class={styles.rep}>
          <span class={styles.repValue}>{formatScore(bot.reputation_score)}</span>
          <span class="dim">reputation · #{rank}</span>
        </div>
        <UsageMeter label="Tokens today" used={tokens} cap={bot.usage.daily_token_cap} source={bot.usage.daily_token_cap_source} />
        <UsageMeter label="Cost today" used={bot.usage.estimated_cost_usd} cap={bot.usage.daily_cost_cap_usd} source={bot.usage.daily_cost_cap_source} money />
        {bot.budget && bot.budget.state !== 'ok' && bot.budget.state !== 'capped' && bot.budget.reason && <p class="dim">{bot.budget.reason}</p>}
        <div class={styles.foot}>
          <span class={bot.simulated ? 'pill accent' : 'pill'}>{modelLabel(model.model, bot.simulated)}</span>
          <span class="dim">{bot.last_heartbeat_at ? `acted ${relativeTime(bot.last_heartbeat_at, now)}` : 'not acted yet'}</span>
        </div>
      </article>
    </li>
  );
}

/** Every bot as a card: who it is, whether it acts, how it stands, and what it spent today against its caps. */
export function BotsView() {
  const { bots, clock } = useApp();
  const list = bots.bots.value;
  const ranks = new Map([...list].sort((a, b) => b.reputation_score - a.reputation_score).map((b, i) => [b.id, i + 1] as const));
  // A failing bot is counted as failing, not as active: the same rule as its badge.
  const counts = { active: 0, paused: 0, capped: 0, failing: 0 } as Record<string, number>;
  for (const b of list) {
    const state = b.health === 'failing' || b.health === 'unreachable' ? 'failing' : b.status;
    counts[state] = (counts[state] ?? 0) + 1;
  }
  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>Bots</h1>
          <p>
            {list.length} bots · {counts.active} active · {counts.paused} paused · {counts.capped} at their cap
            {counts.failing > 0 && <> · <span class={styles.failingCount}>{counts.failing} failing</span></>}
          </p>
        </div>
      </div>
      {bots.error.value && list.length === 0 ? (
        <ErrorState message={bots.error.value} onRetry={() => void bots.load()} />
      ) : !bots.loaded.value ? (
        <Skeleton rows={4} height={120} />
      ) : list.length === 0 ? (
        <Empty title="No bots">The society has no bots yet.</Empty>
      ) : (
        <ul class={styles.grid}>
          {list.map((bot) => (
            <BotCard bot={bot} rank={ranks.get(bot.id)!} now={clock.now.value} />
          ))}
        </ul>
      )}
    </div>
  );
}
