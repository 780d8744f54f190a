import type { ComponentChildren } from 'preact';
import styles from './States.module.css';

/** `height`: the box keeps the height of what it stands for (a chart), so the page does not move when that arrives. */
export function Loading({ label = 'Loading…', height }: { label?: string; height?: number }) {
  return (
    <div class={styles.state} role="status" aria-live="polite" style={height ? { minHeight: `${height}px` } : undefined}>
      <span class={styles.spinner} aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class={styles.state}>
      <strong>{title}</strong>
      {children && <span class={styles.hint}>{children}</span>}
    </div>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div class={`${styles.state} ${styles.error}`} role="alert">
      <strong>Something went wrong</strong>
      <span class={styles.hint}>{message}</span>
      {onRetry && (
        <button type="button" class="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Skeleton rows for lists, so the layout does not jump when data arrives. */
export function Skeleton({ rows = 5, height = 56 }: { rows?: number; height?: number }) {
  return (
    <div class={styles.skeleton} aria-hidden="true">
      {Array.from({ length: rows }, () => (
        <div style={{ height: `${height}px` }} />
      ))}
    </div>
  );
}
