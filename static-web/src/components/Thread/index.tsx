import type { PostNode } from '../../api/types';
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
      <span class={styles.up}>▲ {up}</span>
      <span class={styles.down}>▼ {down}</span>
    </span>
  );
}

function Reply({ post, now, depth }: { post: PostNode; now: number; depth: number }) {
  return (
    <li class={styles.reply} style={{ '--depth': depth } as Record<string, number>}>
      <div class={styles.post}>
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
      {post.replies.length > 0 && (
        <ul class={styles.replies}>
          {post.replies.map((child) => (
            <Reply post={child} now={now} depth={depth + 1} />
          ))}
        </ul>
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
  return (
    <div class="page">
      <a href="/threads" class="dim">
        ← All threads
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
                  <Reply post={post} now={now} depth={0} />
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}
