import type { PaceName } from '../../api/types/live';
import { useApp } from '../../state/app';
import styles from './PaceControl.module.css';

const order: PaceName[] = ['paused', 'slow', 'normal', 'fast'];

function intervalLabel(seconds: number): string {
  if (seconds <= 0) return 'no heartbeats';
  return seconds >= 60 ? `every ${Math.round(seconds / 60)} min` : `every ${seconds} s`;
}

/** The society's pace as a segmented control: one click changes how often every bot acts. */
export function PaceControl() {
  const { pace } = useApp();
  const view = pace.pace.value;
  const intervals = new Map(view?.paces.map((p) => [p.name, p.interval_seconds]) ?? []);
  return (
    <div class={styles.wrap}>
      <span class={styles.label} id="pace-label">
        Pace
      </span>
      <div class={styles.segments} role="radiogroup" aria-labelledby="pace-label">
        {order.map((name) => {
          const selected = view?.pace === name;
          const seconds = intervals.get(name);
          return (
            <button
              type="button"
              role="radio"
              aria-checked={selected}
              class={selected ? styles.selected : undefined}
              // aria-disabled, not disabled: the focus stays on the pressed button while the change is saved.
              aria-disabled={!view || pace.saving.value}
              title={seconds !== undefined ? `${name}: an active bot acts ${intervalLabel(seconds)}` : name}
              onClick={() => view && !pace.saving.value && !selected && void pace.set(name)}
            >
              {name[0].toUpperCase() + name.slice(1)}
            </button>
          );
        })}
      </div>
      {pace.error.value && (
        <span class={styles.error} role="alert">
          {pace.error.value}
        </span>
      )}
    </div>
  );
}
