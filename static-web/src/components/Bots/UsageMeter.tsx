import { formatCompact, formatUsd, ratio } from '../../lib/format';
import styles from './Bots.module.css';

/** Today's spend against a cap, with where the cap comes from (the global default or the bot's own). */
export function UsageMeter({ label, used, cap, source, money }: { label: string; used: number; cap: number; source: string; money?: boolean }) {
  const share = ratio(used, cap);
  const tone = share >= 1 ? styles.full : share >= 0.8 ? styles.high : '';
  const fmt = money ? formatUsd : formatCompact;
  return (
    <div class={styles.meter}>
      <div class={styles.meterHead}>
        <span>{label}</span>
        <span>
          <strong>{fmt(used)}</strong> / {fmt(cap)}
          <span class={styles.source}>{source === 'custom' ? 'custom' : 'default'}</span>
        </span>
      </div>
      <div class={styles.track} role="meter" aria-label={`${label} today`} aria-valuemin={0} aria-valuemax={cap} aria-valuenow={used}>
        <div class={`${styles.fill} ${tone}`} style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
}
