import { useLocation } from 'preact-iso';
import { useResource } from '../../lib/useResource';
import { useApp } from '../../state/app';
import { fromActivity } from '../../state/feed';
import { FeedRow } from '../Activity/FeedRow';
import activityStyles from '../Activity/Activity.module.css';
import { Empty, ErrorState, Loading } from '../States';

const CONTEXT = 6;

/** One activity, with what the same bot did right after it: where a memory's "produced by" link leads. */
export function ActivityDetail({ id }: { id: string }) {
  const { api, clock } = useApp();
  const { query } = useLocation();
  const activityId = Number(id);
  const bot = query.bot;
  const at = query.at;
  const result = useResource(async (signal) => {
    if (!bot || !at) return null;
    // `since` is inclusive and the list is newest first, so the row itself is the last of this slice.
    const head = await api.activity({ bot, since: at, limit: 1 }, signal);
    const offset = Math.max(0, head.total - CONTEXT);
    return api.activity({ bot, since: at, limit: CONTEXT, offset }, signal);
  }, [activityId, bot, at]);

  // Oldest first here: the row itself, then what followed.
  const items = (result.data?.items.map(fromActivity) ?? []).reverse();
  const found = items.some((i) => i.activityId === activityId);
  return (
    <div class="page">
      <a href={bot ? `/activity?bot=${bot}` : '/activity'} class="dim">← Activity</a>
      <div class="page-head">
        <div>
          <h1>Activity #{activityId}</h1>
          <p>The highlighted row, then what the bot did right after it.</p>
        </div>
      </div>
      <section class="card">
        {!bot || !at ? (
          <Empty title="This link does not say which bot or when">Open it from the memory explorer or a bot's profile.</Empty>
        ) : result.error ? (
          <ErrorState message={result.error} onRetry={() => result.reload()} />
        ) : result.loading ? (
          <Loading />
        ) : !found ? (
          <Empty title="This activity is no longer available"><a href={`/activity?bot=${bot}`}>See the bot's activity</a></Empty>
        ) : (
          <ol class={activityStyles.list} data-testid="activity-detail">
            {items.map((item) => (
              <FeedRow key={item.key} item={item} now={clock.now.value} highlight={item.activityId === activityId} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
