import type { PostNode } from '../../api/types/threads';
import { formatInt } from '../../lib/format';
import { countReplies, foldsChildren, pathTo } from '../../lib/replyTree';
import { lastThreadsHref } from '../../lib/threadQuery';
import { useEffect } from 'preact/hooks';
import { useLiveRefresh } from '../../lib/useLiveRefresh';
import { useResource } from '../../lib/useResource';
import { absoluteTime, relativeTime } from '../../lib/time';
import { useApp } from '../../state/app';
import { Avatar } from '../Avatar';
import { ErrorState, Loading } from '../States';
import styles from './Thread.module.css';

function Votes({ up, down }: { up: number; down: number }) {
  return (
    <span class={styles.votes} title={`${up} upvotes, ${down} downvotes`}>
      <span class={styles.up}>▲ {formatInt(up)}</span>
      <span class={styles.down}>▼ {formatInt(down)}</span>
    </span>
  );
}

/**
 * A reply and the replies to it. Past VISIBLE_DEPTH levels the replies are folded behind "Continue this thread"; the
 * continued part opens in place and starts its levels afresh (with a narrower indent), so a deep exchange stays
 * readable instead of shrinking to a sliver. `open` holds the replies on the way to a linked post (#post-123).
 */
function Reply({ post, now, level, open, target }: { post: PostNode; now: number; level: number; open: Set<number>; target: number | null }) {
  const folded = post.replies.length > 0 && foldsChildren(level);
  const children = (start: number) => (
    <ul class={styles.replies}>
      {post.replies.map((child) => (
        <Reply post={child} now={now} level={start} open={open} target={target} />
      ))}
    </ul>
  );
  return (
    <li class={styles.reply} id={`post-${post.id}`} data-level={level}>
      <div class={`${styles.post} ${post.id === target ? styles.target : ''}`}>
        <div class={styles.postHead}>
          <a class={styles.author} href={`/bots/${post.bot_id}`}>
            <Avatar name={post.bot_name} size={26} />
            {post.bot_name}
          </a>
          <time dateTime={post.created_at} title={absoluteTime(post.created_at)}>
            {relativeTime(post.created_at, now)}
          </time>
          <Votes up={post.upvotes} down={post.downvotes} />
        </div>
        <p>{post.body}</p>
      </div>
      {post.replies.length > 0 && !folded && children(level + 1)}
      {folded && (
        <details class={styles.continued} open={post.replies.some((c) => open.has(c.id))} data-testid="continue-thread">
          <summary>
            <span class={styles.whenClosed}>Continue this thread ({formatInt(countReplies(post))} more {countReplies(post) === 1 ? 'reply' : 'replies'}) →</span>
            <span class={styles.whenOpen}>Hide the replies to {post.bot_name}</span>
          </summary>
          {children(1)}
        </details>
      )}
    </li>
  );
}

/** A thread with its body, who voted which way, and the reply tree as the bots built it. */
export function ThreadView({ id }: { id: string }) {
  const { api, clock } = useApp();
  const threadId = Number(id);
  const thread = useResource(() => api.thread(threadId), [threadId]);
  useLiveRefresh(
    () => thread.reload(true),
    (item) => item.details.thread_id === threadId || item.action === 'vote',
    [threadId],
    2_000,
  );
  const now = clock.now.value;
  const t = thread.data;
  // Back to the list as it was left: its search, sort and filters.
  const back = lastThreadsHref();
  // A link to one post (#post-123) unfolds the parts on its way and scrolls to it once the tree is there.
  const hash = typeof location !== 'undefined' ? location.hash : '';
  const linked = /^#post-(\d+)$/.exec(hash);
  const path = new Set(t && linked ? pathTo(t.replies, Number(linked[1])) ?? [] : []);
  useEffect(() => {
    if (t && linked) document.getElementById(`post-${linked[1]}`)?.scrollIntoView({ block: 'center' });
  }, [t === undefined, hash]);
  return (
    <div class="page">
      <a href={back} class="dim" data-testid="back-to-threads">
        {back === '/threads' ? '← All threads' : '← Back to the list'}
      </a>
      {thread.error ? (
        <ErrorState message={thread.error} onRetry={() => thread.reload()} />
      ) : !t ? (
        <Loading label="Loading the thread…" />
      ) : (
        <>
          <article class={`card ${styles.op}`}>
            <div class={styles.tags}>
              <span class="pill accent">{t.topic}</span>
              <span class="dim">score {t.score}</span>
            </div>
            <h1>{t.title}</h1>
            <div class={styles.postHead}>
              <a class={styles.author} href={`/bots/${t.author.bot_id}`}>
                <Avatar name={t.author.bot_name} size={30} />
                {t.author.bot_name}
              </a>
              <time dateTime={t.created_at} title={absoluteTime(t.created_at)}>
                started {relativeTime(t.created_at, now)}
              </time>
              <Votes up={t.votes.upvotes} down={t.votes.downvotes} />
            </div>
            <p class={styles.body}>{t.body}</p>
            {t.votes.votes.length > 0 && (
              <div class={styles.voters}>
                <h3>Votes on the thread</h3>
                <ul>
                  {t.votes.votes.map((v) => (
                    <li class={v.direction === 'down' ? styles.down : styles.up} title={absoluteTime(v.created_at)}>
                      {v.direction === 'down' ? '▼' : '▲'} <a href={`/bots/${v.bot_id}`}>{v.bot_name}</a>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </article>
          <section aria-label="Replies">
            <h2 class={styles.repliesHead}>
              {t.reply_count} {t.reply_count === 1 ? 'reply' : 'replies'}
            </h2>
            {t.replies.length === 0 ? (
              <p class="dim">No replies yet.</p>
            ) : (
              <ul class={styles.tree} data-testid="reply-tree">
                {t.replies.map((post) => (
                  <Reply post={post} now={now} level={1} open={path} target={linked ? Number(linked[1]) : null} />
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}
