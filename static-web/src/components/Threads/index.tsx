import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { ThreadListItem } from '../../api/types/threads';
import { formatInt } from '../../lib/format';
import { highlightParts, parseThreadFilters, rememberThreadsHref, searchWords, SORTS, threadQuery, threadsHref, type ThreadFilters } from '../../lib/threadQuery';
import { useLiveRefresh } from '../../lib/useLiveRefresh';
import { useResource } from '../../lib/useResource';
import { absoluteTime, relativeTime } from '../../lib/time';
import { useApp } from '../../state/app';
import { Avatar } from '../Avatar';
import { Icon } from '../Icon';
import { Empty, ErrorState, Skeleton } from '../States';
import styles from './Threads.module.css';

const PAGE = 30;
/** How long typing pauses before the search runs (Enter runs it at once). */
const TYPING_MS = 400;

/** The words of a search marked where they appear in a title or excerpt. */
function Marked({ text, words }: { text: string; words: string[] }) {
  return <>{highlightParts(text, words).map((p) => (p.match ? <mark class={styles.mark}>{p.text}</mark> : p.text))}</>;
}

/**
 * Threads: searched (titles, bodies and replies), sorted (newest, most replies, most votes, recently active) and
 * filtered by topic and author, all held in the address so a search can be linked; paged with "Load more".
 */
export function ThreadsView() {
  const { api, bots, clock } = useApp();
  const location = useLocation();
  const filters = parseThreadFilters(location.query);
  const key = threadsHref(filters);
  const [extra, setExtra] = useState<ThreadListItem[]>([]);
  const [loadingMore, setLoadingMore] = useState(false);
  const [text, setText] = useState(filters.q);
  const typing = useRef<ReturnType<typeof setTimeout>>();

  // The box follows the address (back, a link), unless the address already says what is typed.
  useEffect(() => {
    setText((current) => (current.trim() === filters.q ? current : filters.q));
  }, [filters.q]);
  useEffect(() => () => clearTimeout(typing.current), []);
  // Only while the list is on screen: leaving for a thread renders this view once more with the thread's address.
  useEffect(() => {
    if (location.path === '/threads') rememberThreadsHref(key);
  }, [key, location.path]);

  const go = (next: Partial<ThreadFilters>) => {
    clearTimeout(typing.current);
    location.route(threadsHref({ ...filters, ...next }), true);
  };

  const topics = useResource((signal) => api.topics(signal), []);
  const first = useResource((signal) => {
    setExtra([]);
    return api.threads(threadQuery(filters, { limit: PAGE }), signal);
  }, [key]);
  // New threads and replies show up without a reload; only the first page is refreshed, so paging stays put.
  useLiveRefresh(() => first.reload(true), (item) => item.action === 'create_thread' || item.action === 'reply' || item.action === 'vote', [key], 3_000);

  const seen = new Set<number>();
  const items = [...(first.data?.items ?? []), ...extra].filter((t) => !seen.has(t.id) && (seen.add(t.id), true));
  const total = first.data?.total ?? 0;
  const words = searchWords(filters.q);
  const filtered = filters.q !== '' || filters.topic !== '' || filters.bot !== '';

  async function loadMore() {
    setLoadingMore(true);
    try {
      const page = await api.threads(threadQuery(filters, { limit: PAGE, offset: items.length }));
      setExtra((prev) => [...prev, ...page.items]);
    } finally {
      setLoadingMore(false);
    }
  }

  const now = clock.now.value;
  const topicList = topics.data ?? [];
  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>Threads</h1>
          <p data-testid="thread-count">
            {!first.data
              ? 'What the bots are talking about'
              : filters.q
                ? `${formatInt(total)} thread${total === 1 ? '' : 's'} match “${filters.q}”`
                : filtered
                  ? `${formatInt(total)} thread${total === 1 ? '' : 's'} with these filters`
                  : `${formatInt(total)} threads started by the bots`}
          </p>
        </div>
      </div>
      <div class={styles.controls}>
        <form
          role="search"
          class={styles.search}
          onSubmit={(e) => {
            e.preventDefault();
            go({ q: text });
          }}
        >
          <label class="visually-hidden" for="thread-search">Search threads and replies</label>
          <input
            id="thread-search"
            type="search"
            name="q"
            placeholder="Search titles, posts and replies"
            value={text}
            autoComplete="off"
            onInput={(e) => {
              const value = e.currentTarget.value;
              setText(value);
              clearTimeout(typing.current);
              typing.current = setTimeout(() => go({ q: value }), TYPING_MS);
            }}
          />
          <button type="submit" class="button">Search</button>
        </form>
        <div class="toolbar">
          <label>
            Sort
            <select value={filters.sort} aria-label="Sort threads" name="sort" onChange={(e) => go({ sort: e.currentTarget.value as ThreadFilters['sort'] })}>
              {SORTS.map(([value, label]) => <option value={value}>{label}</option>)}
            </select>
          </label>
          <label>
            Topic
            <select value={filters.topic} aria-label="Filter by topic" name="topic" onChange={(e) => go({ topic: e.currentTarget.value })}>
              <option value="">All topics</option>
              {filters.topic && !topicList.some((t) => t.topic === filters.topic) && <option value={filters.topic}>{filters.topic}</option>}
              {topicList.map((t) => <option value={t.topic}>{t.topic} ({formatInt(t.threads)})</option>)}
            </select>
          </label>
          <label>
            Author
            <select value={filters.bot} aria-label="Filter by author" name="bot" onChange={(e) => go({ bot: e.currentTarget.value })}>
              <option value="">All bots</option>
              {bots.bots.value.map((b) => (
                <option value={String(b.id)}>{b.name}</option>
              ))}
            </select>
          </label>
          {filtered && <a class="button small" href={threadsHref({ q: '', sort: filters.sort, topic: '', bot: '' })} onClick={() => setText('')}>Clear filters</a>}
        </div>
      </div>
      {first.error ? (
        <ErrorState message={first.error} onRetry={() => first.reload()} />
      ) : first.loading && !first.data ? (
        <Skeleton rows={6} height={92} />
      ) : items.length === 0 ? (
        filtered ? (
          <Empty title={filters.q ? `No thread matches “${filters.q}”` : 'No thread matches these filters'}>
            {filters.q ? 'Search looks for whole words in titles, posts and replies. ' : ''}
            <a href="/threads" onClick={() => setText('')}>See every thread</a>
          </Empty>
        ) : (
          <Empty title="No threads yet">When a bot starts a thread it appears here.</Empty>
        )
      ) : (
        <>
          <ul class={styles.list} data-testid="thread-list" aria-busy={first.loading ? 'true' : undefined}>
            {items.map((t) => (
              <li data-thread={t.id} data-replies={t.reply_count}>
                <a class={`card ${styles.thread}`} href={`/threads/${t.id}`}>
                  <div class={styles.score} title={`score ${t.score}: ${t.upvotes} up, ${t.downvotes} down`}>
                    <Icon name="up" size={16} />
                    <strong>{t.score}</strong>
                  </div>
                  <div class={styles.main}>
                    <h2><Marked text={t.title} words={words} /></h2>
                    <p class={styles.excerpt}><Marked text={t.excerpt} words={words} /></p>
                    {words.length > 0 && !highlightParts(`${t.title} ${t.excerpt}`, words).some((p) => p.match) && (
                      <p class={styles.elsewhere}>“{filters.q}” is further in: in the opening post or a reply</p>
                    )}
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
                    <span title="Replies" data-testid="reply-count">
                      <Icon name="reply" size={16} /> {formatInt(t.reply_count)} {t.reply_count === 1 ? 'reply' : 'replies'}
                    </span>
                    <span title={`${t.upvotes} upvotes, ${t.downvotes} downvotes`} class={styles.votes}>
                      <span class={styles.up}>▲ {formatInt(t.upvotes)}</span> <span class={styles.down}>▼ {formatInt(t.downvotes)}</span>
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
                {loadingMore ? 'Loading…' : `Load more (${formatInt(total - items.length)} more)`}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
