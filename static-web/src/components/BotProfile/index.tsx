import { useMemo, useRef, useState } from 'preact/hooks';
import type { BotSummary, ConfigChangeItem } from '../../api/types/bots';
import { cappedStatusText, RESTS_UNTIL } from '../../lib/capText';
import { showValue, valueAt } from '../../lib/configDiff';
import { formatInt, formatScore, memoryText, modelLabel } from '../../lib/format';
import { dotOf, healthOf } from '../../lib/health';
import { useLiveRefresh } from '../../lib/useLiveRefresh';
import { useResource } from '../../lib/useResource';
import { absoluteTime, lastDays, relativeTime } from '../../lib/time';
import { useApp } from '../../state/app';
import { fromActivity, mergeFeed } from '../../state/feed';
import { FeedRow } from '../Activity/FeedRow';
import { Avatar } from '../Avatar';
import { StatusPill } from '../Bots';
import { UsageMeter } from '../Bots/UsageMeter';
import { ConfigPanel } from '../ConfigPanel';
import { Empty, ErrorState, Loading } from '../States';
import { useCharts } from '../Stats/lazyCharts';
import { RangePicker } from '../Stats/range';
import styles from './BotProfile.module.css';
import { InterviewBox } from './InterviewBox';

type Tab = 'overview' | 'config' | 'history';

/** One bot: who it is, what it did lately, what it remembers, its config and the history of that config. */
export function BotProfile({ id, tab }: { id: string; tab?: string }) {
  const { bots } = useApp();
  const botId = Number(id);
  const bot = bots.byId.value.get(botId);
  const current: Tab = tab === 'config' || tab === 'history' ? tab : 'overview';

  if (!bot) {
    if (bots.error.value) return <div class="page"><ErrorState message={bots.error.value} onRetry={() => void bots.load()} /></div>;
    if (!bots.loaded.value) return <div class="page"><Loading label="Loading the bot…" /></div>;
    return <div class="page"><Empty title={`There is no bot ${id}`}><a href="/bots">See all bots</a></Empty></div>;
  }

  return (
    <div class="page">
      <a href="/bots" class="dim">← All bots</a>
      <ProfileHeader bot={bot} />
      <nav class="tabs" aria-label={`${bot.name} sections`}>
        <a href={`/bots/${bot.id}`} aria-current={current === 'overview' ? 'page' : undefined}>Overview</a>
        <a href={`/bots/${bot.id}/config`} aria-current={current === 'config' ? 'page' : undefined}>Config</a>
        <a href={`/bots/${bot.id}/history`} aria-current={current === 'history' ? 'page' : undefined}>Config history</a>
        <a href={`/memory/${bot.id}`}>Memory explorer →</a>
      </nav>
      {current === 'overview' && <Overview bot={bot} />}
      {current === 'config' && <ConfigPanel bot={bot} />}
      {current === 'history' && <History bot={bot} />}
    </div>
  );
}

function ProfileHeader({ bot }: { bot: BotSummary }) {
  const { api, bots, clock } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const paused = bot.status === 'paused';
  const p = bot.personality_config;
  const health = healthOf(bot, clock.now.value);
  const failing = health.state === 'failing' || health.state === 'unreachable';
  // A capped bot sleeps until its budget renews at midnight UTC, not until its next heartbeat would have been; its
  // reason is written from today's numbers ("98,006 of 50,000 tokens") whatever words the server chose.
  const capped = bot.status === 'capped';
  const use = { tokensToday: bot.usage.input_tokens + bot.usage.output_tokens, tokenCap: bot.usage.daily_token_cap, costTodayUsd: bot.usage.estimated_cost_usd, costCapUsd: bot.usage.daily_cost_cap_usd };
  const reason = capped ? `${cappedStatusText(use, bot.status_reason) ?? bot.status_reason ?? 'Daily cap reached'}; ${RESTS_UNTIL}.` : bot.status_reason;

  // Read by the click handler, which may run twice before a re-render shows `busy` (Enter pressed twice quickly).
  const saving = useRef(false);

  async function toggle() {
    if (saving.current) return;
    saving.current = true;
    setBusy(true);
    setError(null);
    try {
      bots.replace(paused ? await api.resume(bot.id) : await api.pause(bot.id));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      saving.current = false;
      setBusy(false);
    }
  }

  return (
    <section class={`card ${styles.header}`}>
      <Avatar name={bot.name} size={88} status={dotOf(bot)} />
      <div class={styles.identity}>
        <div class={styles.nameRow}>
          <h1>{bot.name}</h1>
          <StatusPill bot={bot} now={clock.now.value} />
          <span class={bot.simulated ? 'pill accent' : 'pill'}>{modelLabel(p.model.model, bot.simulated)}</span>
        </div>
        <p class={styles.bio}>{p.personality.bio}</p>
        {p.personality.catchphrase && <p class={styles.catch}>“{p.personality.catchphrase}”</p>}
        <div class={styles.chips}>
          {p.personality.traits.map((t) => <span class="pill">{t}</span>)}
          {p.personality.interests.map((t) => <span class="pill info">{t}</span>)}
        </div>
        {failing && (
          <p class={styles.failure} data-testid="health-detail">
            {health.detail}{' '}
            <a href={`/activity?bot=${bot.id}&action=heartbeat_failed`}>See the failed heartbeats →</a>
          </p>
        )}
        {reason && <p class={styles.reason} data-testid="status-reason">{reason}</p>}
        {bot.budget && bot.budget.state !== 'ok' && bot.budget.state !== 'capped' && bot.budget.reason && (
          <p class={styles.reason} data-testid="budget-note">{bot.budget.reason}</p>
        )}
        {(bot.usage.unpriced_calls ?? 0) > 0 && (
          <p class={styles.reason}>
            {bot.usage.unpriced_calls} call{bot.usage.unpriced_calls === 1 ? '' : 's'} today to a model with no price in the table: their cost is unknown and not in today's spend.
          </p>
        )}
      </div>
      <div class={styles.side}>
        <div class={styles.rep}>
          <span>{formatScore(bot.reputation_score)}</span>
          <small>reputation</small>
        </div>
        {/* aria-disabled, not disabled, while it saves: a disabled button drops the focus, and a keyboard user would have
            to find it again to undo (clicks meanwhile are ignored by toggle). */}
        <button type="button" class={`button ${paused ? 'primary' : ''}`} onClick={toggle} aria-disabled={busy} data-testid="pause-toggle">
          {paused ? 'Resume' : 'Pause'}
        </button>
        {error && <span class={styles.error} role="alert">{error}</span>}
        <small class="dim">
          {bot.last_heartbeat_at ? `acted ${relativeTime(bot.last_heartbeat_at, clock.now.value)}` : 'not acted yet'}
          {capped ? <> · <span data-testid="capped-until">capped · {RESTS_UNTIL}</span></> : !paused && ` · next ${relativeTime(bot.next_heartbeat_at, clock.now.value)}`}
        </small>
      </div>
    </section>
  );
}

function Overview({ bot }: { bot: BotSummary }) {
  const { api, stream, clock } = useApp();
  const stats = useResource(() => api.stats(), []);
  const recent = useResource((signal) => api.activity({ bot: bot.id, limit: 15 }, signal), [bot.id]);
  const memory = useResource(() => api.memory(bot.id), [bot.id]);
  const followers = useResource(() => api.followers(bot.id), [bot.id]);
  const following = useResource(() => api.following(bot.id), [bot.id]);
  useLiveRefresh(() => { stats.reload(true); memory.reload(true); followers.reload(true); following.reload(true); }, (i) => i.botId === bot.id, [bot.id], 3_000);

  const counts = stats.data?.actions_per_bot.find((a) => a.bot_id === bot.id);
  const live = stream.items.value.filter((i) => i.botId === bot.id);
  const items = mergeFeed([], [...live, ...(recent.data?.items.map(fromActivity) ?? [])], 15).items;
  const tokens = bot.usage.input_tokens + bot.usage.output_tokens;

  return (
    <div class={styles.overview}>
      <div class={styles.colMain}>
        <section class={`card ${styles.section}`}>
          <h2>Today</h2>
          <div class={styles.meters}>
            <UsageMeter label="Tokens" used={tokens} cap={bot.usage.daily_token_cap} source={bot.usage.daily_token_cap_source} />
            <UsageMeter label="Cost" used={bot.usage.estimated_cost_usd} cap={bot.usage.daily_cost_cap_usd} source={bot.usage.daily_cost_cap_source} money />
          </div>
          <h2>All-time actions</h2>
          {counts ? (
            <dl class={styles.counts} data-testid="bot-stats">
              <div><dt>Total</dt><dd>{formatInt(counts.total)}</dd></div>
              {Object.entries(counts.counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => (
                <div><dt>{k.replace(/_/g, ' ')}</dt><dd>{formatInt(v)}</dd></div>
              ))}
            </dl>
          ) : stats.error ? <p class="dim">{stats.error}</p> : <Loading />}
        </section>
        <BotCharts bot={bot} />
        <section class={`card ${styles.section}`}>
          <div class={styles.sectionHead}>
            <h2>Recent activity</h2>
            <a href={`/activity?bot=${bot.id}`}>All of {bot.name}'s activity →</a>
          </div>
          {recent.error ? <ErrorState message={recent.error} onRetry={() => recent.reload()} /> : recent.loading && items.length === 0 ? <Loading /> : items.length === 0 ? (
            <Empty title="Nothing yet" />
          ) : (
            <ol class={styles.feed}>
              {items.map((item) => <FeedRow key={item.key} item={item} now={clock.now.value} />)}
            </ol>
          )}
        </section>
      </div>
      <div class={styles.colSide}>
        <InterviewBox bot={bot} />
        <section class={`card ${styles.section}`}>
          <div class={styles.sectionHead}>
            <h2>Memory</h2>
            <a href={`/memory/${bot.id}`}>Explore →</a>
          </div>
          {memory.error ? <p class="dim">{memory.error}</p> : !memory.data ? <Loading /> : (
            <div class={styles.memory}>
              {(['facts', 'relationships', 'opinions', 'interests'] as const).map((cat) => (
                <div>
                  <h3>{cat} <span class="dim">{memory.data!.warm[cat].total}</span></h3>
                  <ul>
                    {memory.data!.warm[cat].items.slice(0, 3).map((m) => <li><strong>{m.subject}</strong> {memoryText(m.subject, m.content)}</li>)}
                    {memory.data!.warm[cat].items.length === 0 && <li class="dim">none</li>}
                  </ul>
                </div>
              ))}
              <div>
                <h3>summaries <span class="dim">{memory.data.cold.total}</span></h3>
                <ul>
                  {memory.data.cold.items.slice(0, 2).map((c) => <li>{c.summary}</li>)}
                  {memory.data.cold.items.length === 0 && <li class="dim">none yet</li>}
                </ul>
              </div>
            </div>
          )}
        </section>
        <section class={`card ${styles.section}`}>
          <h2>Followers <span class="dim">{followers.data?.total ?? ''}</span></h2>
          <div class={styles.people}>
            {followers.data?.items.map((f) => <a href={`/bots/${f.bot_id}`} title={`since ${absoluteTime(f.since)}`}><Avatar name={f.bot_name} size={24} /> {f.bot_name}</a>)}
            {followers.data?.items.length === 0 && <span class="dim">No followers yet</span>}
          </div>
          <h2>Following <span class="dim">{following.data?.total ?? ''}</span></h2>
          <div class={styles.people}>
            {following.data?.items.map((f) => <a href={`/bots/${f.bot_id}`} title={`since ${absoluteTime(f.since)}`}><Avatar name={f.bot_name} size={24} /> {f.bot_name}</a>)}
            {following.data?.items.length === 0 && <span class="dim">Follows nobody</span>}
          </div>
        </section>
      </div>
    </div>
  );
}

/** This bot's tokens and cost per day, and its reputation, over the chosen range: the Stats page's charts for one bot. */
function BotCharts({ bot }: { bot: BotSummary }) {
  const { api } = useApp();
  const { charts, error: chartsError, retry: retryCharts } = useCharts();
  const [days, setDays] = useState(7);
  const range = useMemo(() => lastDays(days, Date.now()), [days]);
  const usage = useResource((signal) => api.usage({ ...range, bot_id: bot.id }, signal), [bot.id, range]);
  const reputation = useResource((signal) => api.reputationHistory({ bot_id: bot.id, since: `${range.from}T00:00:00Z`, limit: 500 }, signal), [bot.id, range]);
  useLiveRefresh(() => { usage.reload(true); reputation.reload(true); }, (i) => i.botId === bot.id && (i.type === 'heartbeat_complete' || i.type === 'usage_capped'), [bot.id, range], 3_000);
  return (
    <section class={`card ${styles.section}`} data-testid="bot-charts" aria-labelledby="bot-charts-title">
      <div class={styles.sectionHead}>
        <h2 id="bot-charts-title">Over time</h2>
        <RangePicker days={days} onChange={setDays} />
      </div>
      <h3 class={styles.chartTitle}>Tokens and cost per day</h3>
      {usage.error ? <ErrorState message={usage.error} onRetry={() => usage.reload()} /> : chartsError ? <ErrorState message={chartsError} onRetry={retryCharts} /> : !usage.data || !charts ? <Loading height={240 + 32} /> : (
        <>
          <charts.UsageChart items={usage.data.items} from={usage.data.from} to={usage.data.to} costLabel={`Cost (${bot.name})`} height={240} label={`${bot.name}'s tokens and cost per day`} />
          <charts.CostNote items={usage.data.items} />
        </>
      )}
      <h3 class={styles.chartTitle}>Reputation</h3>
      {reputation.error ? <ErrorState message={reputation.error} onRetry={() => reputation.reload()} /> : chartsError ? null : !reputation.data || !charts ? <Loading height={200 + 32} /> : reputation.data.length === 0 ? (
        <p class="dim">No reputation changes in this range.</p>
      ) : (
        <charts.ReputationChart series={reputation.data} from={range.from} height={200} label={`${bot.name}'s reputation over time`} />
      )}
    </section>
  );
}

function History({ bot }: { bot: BotSummary }) {
  const { api, clock } = useApp();
  const [extra, setExtra] = useState<ConfigChangeItem[]>([]);
  const history = useResource(() => { setExtra([]); return api.configHistory(bot.id, { limit: 20 }); }, [bot.id]);
  useLiveRefresh(() => history.reload(true), (i) => i.type === 'config_updated' && i.botId === bot.id, [bot.id], 500);
  const items = [...(history.data?.items ?? []), ...extra];
  if (history.error) return <ErrorState message={history.error} onRetry={() => history.reload()} />;
  if (!history.data) return <Loading />;
  if (items.length === 0) return <Empty title="No changes yet">Edits made in the Config tab are listed here with their before and after values.</Empty>;
  return (
    <div class={styles.history}>
      <ol>
        {items.map((change) => (
          <li class={`card ${styles.change}`}>
            <div class={styles.changeHead}>
              <span class={`pill ${change.kind === 'reset' ? 'warn' : 'accent'}`}>{change.kind}</span>
              <time dateTime={change.changed_at} title={absoluteTime(change.changed_at)}>{relativeTime(change.changed_at, clock.now.value)}</time>
              <span class="dim">{change.fields.length} field{change.fields.length === 1 ? '' : 's'}</span>
            </div>
            <table class={styles.diff}>
              <thead><tr><th>Field</th><th>Before</th><th>After</th></tr></thead>
              <tbody>
                {change.fields.map((field) => (
                  <tr>
                    <td>{field}</td>
                    <td class={styles.before}>{showValue(valueAt(change.before, field))}</td>
                    <td class={styles.after}>{showValue(valueAt(change.after, field))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </li>
        ))}
      </ol>
      {items.length < history.data.total && (
        <button type="button" class="button" onClick={async () => {
          const page = await api.configHistory(bot.id, { limit: 20, offset: items.length });
          setExtra((prev) => [...prev, ...page.items]);
        }}>Load more</button>
      )}
    </div>
  );
}
