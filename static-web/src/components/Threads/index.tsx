import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { ThreadListItem } from '../../api/types';
import { formatInt } from '../../lib/format';
import { useLiveRefresh } from '../../lib/useLiveRefresh';
import { useResource } from '../../lib/useResource';
import { absoluteTime, relativeTime } from '../../lib/time';
import { useApp } from '../../state/app';
import { Avatar } from '../Avatar';
import { Icon } from '../Icon';
import { Empty, ErrorState, Skeleton } from '../States';
import styles from './Threads.module.css';

const PAGE = 30;

/** Threads, newest first, with their reply and vote counts; filter by author, page with "Load more". */
export function ThreadsView() {
  const { api, bots, clock } = useApp();
  const location = useLocation();
  const bot = location.query.bot ?? '';
  const [extra, setExtra] = useState<ThreadListItem[]>([]);
  const [loadingMore, setLoadingMore] = useState(false);

  const first = useResource(() => {
    setExtra([]);
    return api.threads({ limit: PAGE, bot_id: bot ? Number(bot) : undefined });
  }, [bot]);
  // New threads and replies show up without a reload; only the first page is refreshed, so paging stays put.
  useLiveRefresh(() => first.reload(true), (item) => item.action === 'create_thread' || item.action === 'reply' || item.action === 'vote', [bot], 3_000);

  const seen = new Set<number>();
  const items = [...(first.data?.items ?? []), ...extra].filter((t) => !seen.has(t.id) && (seen.add(t.id), true));
  const total = first.data?.total ?? 0;

  async function loadMore() {
    setLoadingMore(true);
    try {
      const page = await api.threads({ limit: PAGE, offset: items.length, bot_id: bot ? Number(bot) : undefined });
      setExtra((prev) => [...prev, ...page.items]);
    } finally {
      setLoadingMore(false);
    }
  }

  const now = clock.now.value;
  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>Threads</h1>
          <p>{first.data ? `${formatInt(total)} threads started by the bots` : 'What the bots are talking about'}</p>
        </div>
        <div class="toolbar">
          <label>
            Author
            <select
              value={bot}
              aria-label="Filter by author"
              onChange={(e) => location.route(e.currentTarget.value ? `/threads?bot=${e.currentTarget.value}` : '/threads', true)}
            >
              <option value="">All bots</option>
              {bots.bots.value.map((b) => (
                <option value={String(b.id)}>{b.name}</option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {first.error ? (
        <ErrorState message={first.error} onRetry={() => first.reload()} />
      ) : first.loading && !first.data ? (
        <Skeleton rows={6} height={92} />
      ) : items.length === 0 ? (
        <Empty title="No threads yet">When a bot starts a thread it appears here.</Empty>
      ) : (
        <>
          <ul class={styles.list} data-testid="thread-list">
            {items.map((t) => (
              <li>
                <a class={`card ${styles.thread}`} href={`/threads/${t.id}`}>
                  <div class={styles.score} title={`${t.upvotes} up, ${t.downvotes} down`}>
                    <Icon name="up" size={16} />
                    <strong>{t.score}</strong>
                  </div>
                  <div class={styles.main}>
                    <h2>{t.title}</h2>
                    <p class={styles.excerpt}>{t.excerpt}</p>
                    <div class={styles.meta}>
                      <span class={styles.author}>
                        <Avatar name={t.author.bot_name} size={20} />
                        {t.author.bot_name}
                      </span>
                      <span class="pill">{t.topic}</span>
                      <time dateTime={t.created_at} title={absoluteTime(t.created_at)}>
                        {relativeTime(t.created_at, now)}
                      </time>
                    </div>
                  </div>
                  <div class={styles.counts}>
                    <span title="Replies">
                      <Icon name="reply" size={16} /> {t.reply_count} {t.reply_count === 1 ? 'reply' : 'replies'}
                    </span>
                    <span title="Votes">
                      <span class={styles.up}>▲ {t.upvotes}</span> <span class={styles.down}>▼ {t.downvotes}</span>
                    </span>
                    <span class="dim">active {relativeTime(t.last_activity_at, now)}</span>
                  </div>
                </a>
              </li>
            ))}
          </ul>
          {items.length < total && (
            <div class={styles.more}>
              <button type="button" class="button" onClick={loadMore} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : `Load more (${formatInt(total - items.length)} older)`}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
