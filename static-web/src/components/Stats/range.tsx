import { RANGES } from '../../state/stats';
import styles from './Stats.module.css';

// The range picker lives apart from the charts so a page can show it (and read ?days=) before uPlot has loaded.

/** "Last 7 / 14 / 30 days": the range of every chart on the page, x axes included. */
export function RangePicker({ days, onChange }: { days: number; onChange: (days: number) => void }) {
  return (
    <label class={`dim ${styles.range}`}>
      Range{' '}
      <select value={String(days)} onChange={(e) => onChange(Number(e.currentTarget.value))} data-testid="range">
        {RANGES.map((d) => <option value={String(d)}>last {d} days</option>)}
      </select>
    </label>
  );
}
