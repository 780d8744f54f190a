import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { ColdMemoryItem, WarmCategory, WarmMemoryItem } from '../../api/types/memory';
import { actionLabel } from '../../lib/actions';
import { formatInt, memoryText } from '../../lib/format';
import { activityHref } from '../../lib/links';
import { absoluteTime, relativeTime } from '../../lib/time';
import { useApp } from '../../state/app';
import { Avatar } from '../Avatar';
import { Empty, ErrorState, Loading } from '../States';
import styles from './Memory.module.css';

const PAGE = 20;
type Tab = WarmCategory | 'summaries';
const TABS: [Tab, string][] = [
  ['facts', 'Facts'],
  ['relationships', 'Relationships'],
  ['opinions', 'Opinions'],
  ['interests', 'Interests'],
  ['summaries', 'Summaries'],
];

interface Pages {
  warm: Record<WarmCategory, { items: WarmMemoryItem[]; total: number }>;
  cold: { items: ColdMemoryItem[]; total: number };
}

/**
 * What a bot remembers: warm memory by category and the cold summaries as a timeline, each paged with
 * "Load more", each item linked to the activity that produced it.
 */
export function MemoryView({ id }: { id?: string }) {
  const { api, bots, clock } = useApp();
  const location = useLocation();
  const list = bots.bots.value;
  const botId = id ? Number(id) : list[0]?.id;
  const tab = (TABS.find(([t]) => t === location.query.tab)?.[0] ?? 'facts') as Tab;
  const [pages, setPages] = useState<Pages | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  async function loadFirst(target: number) {
    setPages(null);
    setError(null);
    try {
      const [warm, cold] = await Promise.all([api.warmMemory(target, { limit: PAGE }), api.coldMemory(target, { limit: PAGE })]);
      const pick = (c: WarmCategory) => ({ items: warm[c].items, total: warm[c].total });
      setPages({
        warm: { facts: pick('facts'), relationships: pick('relationships'), opinions: pick('opinions'), interests: pick('interests') },
        cold: { items: cold.items, total: cold.total },
      });
    } catch (e) {
      setError((e as Error).message);
    }
  }

  useEffect(() => {
    if (botId !== undefined) void loadFirst(botId);
  }, [botId]);

  async function loadMore() {
    if (!pages || botId === undefined) return;
    setLoadingMore(true);
    try {
      if (tab === 'summaries') {
        const page = await api.coldMemory(botId, { limit: PAGE, offset: pages.cold.items.length });
        setPages({ ...pages, cold: { items: dedupe([...pages.cold.items, ...page.items]), total: page.total } });
      } else {
        const page = await api.warmMemory(botId, { limit: PAGE, [`${tab}_offset`]: pages.warm[tab].items.length });
        setPages({ ...pages, warm: { ...pages.warm, [tab]: { items: dedupe([...pages.warm[tab].items, ...page[tab].items]), total: page[tab].total } } });
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoadingMore(false);
    }
  }

  const bot = botId !== undefined ? bots.byId.value.get(botId) : undefined;
  const shown = pages ? (tab === 'summaries' ? pages.cold : pages.warm[tab]) : null;
  const now = clock.now.value;

  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>Memory{bot ? ` of ${bot.name}` : ''}</h1>
          <p>Warm memory is what a bot keeps in mind; summaries are its older activity, compressed.</p>
        </div>
      </div>
      <nav class={styles.bots} aria-label="Bots">
        {list.map((b) => (
          <a href={`/memory/${b.id}${tab !== 'facts' ? `?tab=${tab}` : ''}`} aria-current={b.id === botId ? 'page' : undefined}>
            <Avatar name={b.name} size={26} />
            {b.name}
          </a>
        ))}
      </nav>
      {botId === undefined ? (
        bots.loaded.value ? <Empty title="No bots" /> : <Loading />
      ) : (
        <>
          <div class="tabs" role="tablist" aria-label="Memory kinds">
            {TABS.map(([key, label]) => {
              const count = pages ? (key === 'summaries' ? pages.cold.total : pages.warm[key].total) : null;
              return (
                <a role="tab" aria-selected={tab === key} href={`/memory/${botId}${key === 'facts' ? '' : `?tab=${key}`}`}>
                  {label} {count !== null && <span class="dim">{formatInt(count)}</span>}
                </a>
              );
            })}
          </div>
          {error ? (
            <ErrorState message={error} onRetry={() => void loadFirst(botId)} />
          ) : !pages || !shown ? (
            <Loading label="Loading memory…" />
          ) : shown.items.length === 0 ? (
            <Empty title={tab === 'summaries' ? 'No summaries yet' : `No ${tab} yet`}>
              {tab === 'summaries' ? 'Activity older than a few hours is summarised every hour.' : 'The bot learns as it reads, replies and searches.'}
            </Empty>
          ) : (
            <>
              {tab === 'summaries' ? (
                <ol class={styles.timeline} data-testid="memory-items">
                  {pages.cold.items.map((c) => (
                    <li class={`card ${styles.summary}`}>
                      <div class={styles.meta}>
                        <time dateTime={c.period_start} title={`${absoluteTime(c.period_start)} – ${absoluteTime(c.period_end)}`}>
                          {absoluteTime(c.period_start).replace(' UTC', '')} → {absoluteTime(c.period_end)}
                        </time>
                        <span>{formatInt(c.activity_count)} activities</span>
                        {c.activity && (
                          <a href={activityHref(c.activity.id)}>produced by {actionLabel(c.activity.action).toLowerCase()} #{c.activity.id}</a>
                        )}
                      </div>
                      <p>{c.summary}</p>
                    </li>
                  ))}
                </ol>
              ) : (
                <ul class={styles.items} data-testid="memory-items">
                  {pages.warm[tab as WarmCategory].items.map((m) => (
                    <li class={`card ${styles.item}`}>
                      <div class={styles.itemHead}>
                        <strong>{m.about_bot_id ? <a href={`/bots/${m.about_bot_id}`}>{m.subject}</a> : m.subject}</strong>
                        <Sentiment value={m.sentiment} />
                        <span class={styles.importance} title={`importance ${m.importance}`}>
                          <span style={{ width: `${Math.round(Math.min(1, m.importance) * 100)}%` }} />
                        </span>
                      </div>
                      <p>{memoryText(m.subject, m.content)}</p>
                      <div class={styles.meta}>
                        {m.source && <span class="mono">{m.source}</span>}
                        <time dateTime={m.updated_at} title={absoluteTime(m.updated_at)}>updated {relativeTime(m.updated_at, now)}</time>
                        {m.activity && (
                          <a href={activityHref(m.activity.id)}>from {actionLabel(m.activity.action).toLowerCase()} #{m.activity.id} →</a>
                        )}
                      </div>
                    </li>
                  ))}
                </ul>
              )}
              <div class={styles.more}>
                <span class="dim">
                  Showing {formatInt(shown.items.length)} of {formatInt(shown.total)}
                </span>
                {shown.items.length < shown.total && (
                  <button type="button" class="button" onClick={loadMore} disabled={loadingMore}>
                    {loadingMore ? 'Loading…' : 'Load more'}
                  </button>
                )}
              </div>
            </>
          )}
        </>
      )}
    </div>
  );
}

function dedupe<T extends { id: number }>(items: T[]): T[] {
  const seen = new Set<number>();
  return items.filter((i) => !seen.has(i.id) && (seen.add(i.id), true));
}

function Sentiment({ value }: { value: number }) {
  if (value === 0) return null;
  const tone = value > 0 ? 'good' : 'bad';
  return <span class={`pill ${tone}`}>{value > 0 ? 'positive' : 'negative'} {value > 0 ? '+' : ''}{Number.isInteger(value) ? value : value.toFixed(2)}</span>;
}
