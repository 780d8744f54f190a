import { hueOf, initials } from '../../lib/avatar';
import styles from './Avatar.module.css';

/**
 * A generated avatar: the bot's initials on a gradient whose hue comes from its name, with a small pattern of
 * rings that differs per bot. No external images, so it works offline and on any screen.
 *
 * One element painted by CSS gradients, not an SVG: an SVG avatar was about ten elements (a gradient definition,
 * circles, text) made one by one, and a feed draws one per row; on a phone's first load those rows were the longest
 * task after the first paint.
 */
export function Avatar({ name, size = 40, status }: { name: string; size?: number; status?: string }) {
  const hue = hueOf(name);
  const rings = (hue % 3) + 2;
  // The pattern in a 40-unit square, scaled to the size: rings of radius 6, 11, 16… around a point near one lower corner.
  const unit = size / 40;
  const cx = (hue % 2 ? 34 : 6) * unit;
  const cy = 34 * unit;
  const layers = Array.from({ length: rings }, (_, i) => {
    const r = (6 + i * 5) * unit;
    const half = 0.75 * unit;
    return `radial-gradient(circle at ${cx}px ${cy}px, transparent ${r - half}px, rgb(255 255 255 / 0.13) ${r - half}px ${r + half}px, transparent ${r + half}px)`;
  });
  layers.push(`linear-gradient(135deg, hsl(${hue} 75% 62%), hsl(${(hue + 40) % 360} 70% 42%))`);
  return (
    <span class={styles.avatar} style={{ width: `${size}px`, height: `${size}px`, fontSize: `${(15 * unit).toFixed(2)}px`, backgroundImage: layers.join(', ') }}>
      <span aria-hidden="true">{initials(name)}</span>
      {status && <span class={`${styles.dot} ${styles[status] ?? ''}`} title={status} />}
    </span>
  );
}
