import { Component } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { actionLabel, BOT_ACTIONS, OPERATOR_ACTIONS } from '../../lib/actions';
import { formatInt } from '../../lib/format';
import { useMediaQuery } from '../../lib/useMediaQuery';
import { useResource } from '../../lib/useResource';
import { useApp } from '../../state/app';
import { compareFeed, fromActivity, mergeFeed, type FeedItem } from '../../state/feed';
import { Leaderboard } from '../Leaderboard';
import { Empty, ErrorState, Skeleton } from '../States';
import styles from './Activity.module.css';
import { FeedRow } from './FeedRow';

const PAGE = 50;
/**
 * Rows drawn at first, and added each time the end of the list comes within half a screen. A first page of fifty
 * rows drawn in one go was a long task on a phone; drawn a screenful at a time, the first load draws one screenful and
 * scrolling draws the rest before it is reached.
 */
const CHUNK = 12;

/** Where the leaderboard stands beside the stream (Activity.module.css's breakpoint). */
const LEADERBOARD_SCREEN = '(min-width: 1280px)';

type RowProps = Parameters<typeof FeedRow>[0];

/**
 * A feed row drawn again only when its own props change (its item, the clock, whether it is fresh): a new chunk, a live
 * event or a page of older rows then draws the new rows alone. The row still follows the signals it reads (a bot's health).
 */
class Row extends Component<RowProps> {
  shouldComponentUpdate(next: RowProps) {
    const p = this.props;
    return p.item !== next.item || p.now !== next.now || p.fresh !== next.fresh || p.highlight !== next.highlight;
  }

  render(props: RowProps) {
    return <FeedRow {...props} />;
  }
}

/**
 * How many of `items` (newest first) to draw, and a ref for an element after the list: rows down to the oldest one
 * drawn stay drawn, live rows arriving above it are drawn too, and a chunk more is drawn whenever that element comes
 * within half a screen of the viewport. `reset` (the filters) starts again from one chunk.
 */
function useWindowed(items: FeedItem[], reset: unknown[]) {
  const [oldest, setOldest] = useState<FeedItem | null>(null);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => setOldest(null), reset);
  // Rows at least as new as the oldest one drawn: they are a prefix, the list being sorted newest first.
  let shown = Math.min(CHUNK, items.length);
  if (oldest) {
    const after = items.findIndex((item) => compareFeed(item, oldest) > 0);
    shown = Math.max(shown, after === -1 ? items.length : after);
  }
  useEffect(() => {
    const element = end.current;
    if (!element || shown >= items.length || typeof IntersectionObserver === 'undefined') return;
    // A new observer for each count: it reports at once whether the end is still near, so a tall screen fills up.
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setOldest(items[Math.min(shown + CHUNK, items.length) - 1]);
      },
      { rootMargin: '50% 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [shown, items]);
  return { shown, end };
}

/**
 * The live stream. Unfiltered, it shows what the stream owner holds; filtered (by bot and action, kept in the
 * address so a link or a reload keeps them), it loads that slice from the API and adds matching live events.
 */
export function ActivityView() {
  const { stream, bots, clock, api } = useApp();
  const location = useLocation();
  const bot = location.query.bot ?? '';
  const action = location.query.action ?? '';
  const filtered = bot !== '' || action !== '';
  const mountedAt = useRef(Date.now());

  const fetchPage = (offset: number, signal?: AbortSignal) =>
    api.activity({ bot: bot || undefined, action: action || undefined, limit: PAGE, offset }, signal);

  const [older, setOlder] = useState<FeedItem[]>([]);
  const [olderTotal, setOlderTotal] = useState<number | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);

  // The first page of a filtered view; the unfiltered view starts from the stream owner's items.
  const first = useResource(
    async (signal) => {
      setOlder([]);
      setOlderTotal(null);
      if (!filtered) return null;
      return fetchPage(0, signal);
    },
    [bot, action],
  );

  const live = stream.items.value;
  const matches = (item: FeedItem) =>
    (bot === '' || String(item.botId) === bot) && (action === '' || item.action === action);
  const items = useMemo(() => {
    const base = first.data ? first.data.items.map(fromActivity) : [];
    return mergeFeed([], [...live.filter(matches), ...base, ...older], 10_000).items;
  }, [live, first.data, older, bot, action]);

  const { shown, end } = useWindowed(items, [bot, action]);
  const total = filtered ? first.data?.total : olderTotal ?? undefined;
  const canLoadMore = filtered ? (first.data ? items.length < first.data.total : false) : olderTotal === null || items.length < olderTotal;

  async function loadMore() {
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchPage(items.length);
      setOlder((prev) => [...prev, ...page.items.map(fromActivity)]);
      setOlderTotal(page.total);
    } catch (e) {
      setMoreError((e as Error).message);
    } finally {
      setLoadingMore(false);
    }
  }

  function setFilter(key: 'bot' | 'action', value: string) {
    const params = new URLSearchParams(location.query);
    if (value) params.set(key, value);
    else params.delete(key);
    const qs = params.toString();
    location.route(`/activity${qs ? `?${qs}` : ''}`, true);
  }

  const waiting = filtered ? first.loading : !stream.loaded.value && !stream.loadError.value;
  const error = filtered ? first.error : stream.items.value.length === 0 ? stream.loadError.value : null;
  const now = clock.now.value;
  const wide = useMediaQuery(LEADERBOARD_SCREEN);

  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>Activity</h1>
          <p>Every heartbeat and every operator's change, as it happens{total !== undefined ? ` · ${formatInt(total)} matching` : ''}.</p>
        </div>
        <div class="toolbar" role="group" aria-label="Filters">
          <label>
            Bot
            <select value={bot} onChange={(e) => setFilter('bot', e.currentTarget.value)} aria-label="Filter by bot">
              <option value="">All bots</option>
              {bots.bots.value.map((b) => (
                <option value={String(b.id)}>{b.name}</option>
              ))}
            </select>
          </label>
          <label>
            Action
            <select value={action} onChange={(e) => setFilter('action', e.currentTarget.value)} aria-label="Filter by action">
              <option value="">All actions</option>
              <optgroup label="Bots">
                {BOT_ACTIONS.map((a) => (
                  <option value={a}>{actionLabel(a)}</option>
                ))}
              </optgroup>
              <optgroup label="Operator and alerts">
                {OPERATOR_ACTIONS.map((a) => (
                  <option value={a}>{actionLabel(a)}</option>
                ))}
              </optgroup>
            </select>
          </label>
          {filtered && (
            <button type="button" class="button small" onClick={() => location.route('/activity', true)}>
              Clear filters
            </button>
          )}
        </div>
      </div>

      <div class={styles.columns}>
        <section class={`card ${styles.feed}`} aria-label="Activity feed">
          {error ? (
            <ErrorState message={error} onRetry={() => (filtered ? first.reload() : void stream.refresh())} />
          ) : waiting && items.length === 0 ? (
            <Skeleton rows={8} />
          ) : items.length === 0 ? (
            <Empty title={filtered ? 'Nothing matches these filters yet' : 'No activity yet'}>
              {filtered ? 'New events that match will appear here as they happen.' : 'Bots act on their heartbeat; the first events appear within a minute.'}
            </Empty>
          ) : (
            <ol class={styles.list} data-testid="activity-list">
              {items.slice(0, shown).map((item) => (
                <Row key={item.key} item={item} now={now} fresh={item.time > mountedAt.current} />
              ))}
            </ol>
          )}
          {shown < items.length && <div ref={end} aria-hidden="true" />}
          {items.length > 0 && canLoadMore && (
            <div class={styles.more}>
              {moreError && <span class="dim">{moreError}</span>}
              <button type="button" class="button" onClick={loadMore} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Load older'}
              </button>
            </div>
          )}
        </section>
        {/* Drawn only where it shows (the stylesheet's breakpoint): a phone's first load drew and laid out a hidden
            board of every bot, with an avatar each, on every change of the bots. */}
        {wide && (
          <div class={styles.side}>
            <Leaderboard />
          </div>
        )}
      </div>
    </div>
  );
}
