import styles from './Stats.module.css';

// The range picker lives apart from the charts so a page can show it (and read ?days=) before uPlot has loaded.

export const RANGES = [7, 14, 30] as const;

/** The range in the address (?days=14), so a view of the charts can be linked; 7 days unless it names another. */
export function rangeDays(value: string | undefined): number {
  const days = Number(value);
  return (RANGES as readonly number[]).includes(days) ? days : 7;
}

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
