import { hueOf, initials } from '../../lib/avatar';
import styles from './Avatar.module.css';

/**
 * A generated avatar: the bot's initials on a gradient whose hue comes from its name, with a small pattern of
 * rings that differs per bot. No external images, so it works offline and on any screen.
 */
export function Avatar({ name, size = 40, status }: { name: string; size?: number; status?: string }) {
  const hue = hueOf(name);
  const id = `av-${name.replace(/[^a-z0-9]/gi, '')}-${size}`;
  const rings = (hue % 3) + 2;
  return (
    <span class={styles.avatar} style={{ width: `${size}px`, height: `${size}px` }}>
      <svg viewBox="0 0 40 40" width={size} height={size} aria-hidden="true">
        <defs>
          <linearGradient id={id} x1="0" y1="0" x2="1" y2="1">
            <stop offset="0" stop-color={`hsl(${hue} 75% 62%)`} />
            <stop offset="1" stop-color={`hsl(${(hue + 40) % 360} 70% 42%)`} />
          </linearGradient>
        </defs>
        <circle cx="20" cy="20" r="20" fill={`url(#${id})`} />
        {Array.from({ length: rings }, (_, i) => (
          <circle cx={hue % 2 ? 34 : 6} cy={34} r={6 + i * 5} fill="none" stroke="white" stroke-opacity="0.13" stroke-width="1.5" />
        ))}
        <text x="20" y="25.5" text-anchor="middle" font-size="15" font-weight="700" fill="white">
          {initials(name)}
        </text>
      </svg>
      {status && <span class={`${styles.dot} ${styles[status] ?? ''}`} title={status} />}
    </span>
  );
}
