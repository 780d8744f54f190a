import { ApiError } from '../../api/client';
import type { ModelTrace } from '../../api/types/activity';
import { isOperatorRow } from '../../lib/actions';
import { formatInt } from '../../lib/format';
import { traceSummary } from '../../lib/trace';
import { useResource } from '../../lib/useResource';
import { absoluteTime } from '../../lib/time';
import { useApp } from '../../state/app';
import { fromActivity } from '../../state/feed';
import { FeedRow } from '../Activity/FeedRow';
import activityStyles from '../Activity/Activity.module.css';
import { Empty, ErrorState, Loading } from '../States';
import styles from './ActivityDetail.module.css';

const CONTEXT = 6;

/**
 * One activity, with what the same bot did right after it (where a memory's "produced by" link leads), and the model
 * call behind it when one was kept: the messages sent, the answer, tokens, latency, cost and how it ended.
 */
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
    // A society-wide row (a pace change) belongs to no bot: there is no "what the bot did next".
    if (row.bot_id === null) return { row, page: null };
    // `since` is inclusive and the list is newest first, so the row itself is the last of this slice.
    const head = await api.activity({ bot: row.bot_id, since: row.timestamp, limit: 1 }, signal);
    const offset = Math.max(0, head.total - CONTEXT);
    const page = await api.activity({ bot: row.bot_id, since: row.timestamp, limit: CONTEXT, offset }, signal);
    return { row, page };
  }, [activityId]);

  // Oldest first here: the row itself, then what followed.
  const row = result.data?.row;
  const items = (result.data?.page?.items.map(fromActivity) ?? []).reverse();
  if (row && !items.some((i) => i.activityId === activityId)) items.unshift(fromActivity(row));
  const operator = row ? isOperatorRow(fromActivity(row)) : false;
  return (
    <div class="page">
      <a href={row?.bot_id != null ? `/activity?bot=${row.bot_id}` : '/activity'} class="dim">← Activity</a>
      <div class="page-head">
        <div>
          <h1>Activity #{activityId}</h1>
          <p>
            {row?.bot_name && !operator
              ? `${row.bot_name}: the highlighted row, then what the bot did right after it.`
              : operator
                ? 'A change made by the operator or the society, with what it was before and after.'
                : 'The highlighted row, then what the bot did right after it.'}
          </p>
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
      {row && !operator && <TraceView activityId={activityId} />}
    </div>
  );
}

/** The model call behind the activity, or why there is none to show. */
function TraceView({ activityId }: { activityId: number }) {
  const { api } = useApp();
  const trace = useResource(
    (signal) =>
      api.trace(activityId, signal).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
    [activityId],
  );
  return (
    <section class={`card ${styles.trace}`} aria-labelledby="trace-title" data-testid="trace">
      <h2 id="trace-title">Model call</h2>
      {trace.error ? (
        <ErrorState message={trace.error} onRetry={() => trace.reload()} />
      ) : trace.loading ? (
        <Loading label="Loading the trace…" />
      ) : !trace.data ? (
        <p class="dim" data-testid="no-trace">
          No trace kept for this activity. Traces are kept for a limited time, and only for calls to a model.
        </p>
      ) : (
        <TraceBody trace={trace.data} />
      )}
    </section>
  );
}

function TraceBody({ trace }: { trace: ModelTrace }) {
  const parts = traceSummary(trace);
  const failed = Boolean(trace.failure_kind || trace.failure);
  return (
    <>
      <p class={styles.summary} data-testid="trace-summary">
        {parts.map((part, i) => (
          <span class={i === parts.length - 1 && failed ? styles.failed : i === 0 && trace.simulated ? styles.simulated : undefined}>{part}</span>
        ))}
        <time dateTime={trace.created_at} class="dim">{absoluteTime(trace.created_at)}</time>
      </p>
      {failed && (
        <p class={styles.failure} data-testid="trace-failure">
          {trace.failure_kind && <strong>{trace.failure_kind}: </strong>}
          {trace.failure ?? 'the call failed'}
        </p>
      )}
      <div class={styles.blocks}>
        {trace.messages.map((message, i) => (
          <details class={styles.block} data-testid="trace-message">
            <summary>
              <span class={styles.role}>{message.role}</span>
              <span class="dim">message {i + 1} · {formatInt(message.text.length)} characters</span>
            </summary>
            <pre class={styles.text}>{message.text}</pre>
          </details>
        ))}
        <details class={styles.block} open data-testid="trace-completion">
          <summary>
            <span class={styles.role}>completion</span>
            <span class="dim">{trace.completion === null ? 'no answer came' : `${formatInt(trace.completion.length)} characters`}</span>
          </summary>
          {trace.completion === null ? <p class="dim">The model gave no answer.</p> : <pre class={styles.text}>{trace.completion}</pre>}
        </details>
      </div>
    </>
  );
}
