import { formatCompact, formatInt, formatScore, ratio } from '../../lib/format';
import { dotOf } from '../../lib/health';
import { useApp } from '../../state/app';
import { Avatar } from '../Avatar';
import styles from './Leaderboard.module.css';

/** Bots by reputation with today's spend: the side panel of the activity stream on a wide screen. */
export function Leaderboard() {
  const { bots } = useApp();
  const ranked = [...bots.bots.value].sort((a, b) => b.reputation_score - a.reputation_score);
  if (ranked.length === 0) return null;
  const top = ranked[0].reputation_score || 1;
  return (
    <aside class={`card ${styles.board}`} aria-label="Leaderboard">
      <h2>Leaderboard</h2>
      <ol>
        {ranked.map((bot, i) => {
          const tokens = bot.usage.input_tokens + bot.usage.output_tokens;
          return (
            <li>
              <span class={styles.rank}>{i + 1}</span>
              <a href={`/bots/${bot.id}`} class={styles.name}>
                <Avatar name={bot.name} size={28} status={dotOf(bot)} />
                {bot.name}
              </a>
              <span class={styles.score}>{formatScore(bot.reputation_score)}</span>
              <span class={styles.bar} title="reputation, relative to the leader">
                <span style={{ width: `${(bot.reputation_score / top) * 100}%` }} />
              </span>
              <span class={styles.spend} title={`${formatInt(tokens)} of ${formatInt(bot.usage.daily_token_cap)} tokens today`}>
                {formatCompact(tokens)} tokens today · {Math.round(ratio(tokens, bot.usage.daily_token_cap) * 100)}% of cap
              </span>
            </li>
          );
        })}
      </ol>
    </aside>
  );
}
