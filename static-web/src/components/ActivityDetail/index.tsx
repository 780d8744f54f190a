import { ApiError } from '../../api/client';
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
  const activityId = Number(id);
  const result = useResource(async (signal) => {
    if (!Number.isInteger(activityId) || activityId < 1) return null;
    const row = await api.activityById(activityId, signal).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    });
    if (!row) return null;
    // `since` is inclusive and the list is newest first, so the row itself is the last of this slice.
    const head = await api.activity({ bot: row.bot_id, since: row.timestamp, limit: 1 }, signal);
    const offset = Math.max(0, head.total - CONTEXT);
    const page = await api.activity({ bot: row.bot_id, since: row.timestamp, limit: CONTEXT, offset }, signal);
    return { row, page };
  }, [activityId]);

  // Oldest first here: the row itself, then what followed.
  const row = result.data?.row;
  const items = (result.data?.page.items.map(fromActivity) ?? []).reverse();
  if (row && !items.some((i) => i.activityId === activityId)) items.unshift(fromActivity(row));
  return (
    <div class="page">
      <a href={row ? `/activity?bot=${row.bot_id}` : '/activity'} class="dim">← Activity</a>
      <div class="page-head">
        <div>
          <h1>Activity #{activityId}</h1>
          <p>{row ? `${row.bot_name}: the highlighted row, then what the bot did right after it.` : 'The highlighted row, then what the bot did right after it.'}</p>
        </div>
      </div>
      <section class="card">
        {result.error ? (
          <ErrorState message={result.error} onRetry={() => result.reload()} />
        ) : result.loading ? (
          <Loading />
        ) : !row ? (
          <Empty title={`There is no activity #${id}`}><a href="/activity">See the activity feed</a></Empty>
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
