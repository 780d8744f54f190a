import { useApp } from '../../state/app';
import type { ConnectionStatus } from '../../state/stream';
import styles from './ConnectionBadge.module.css';

const labels: Record<ConnectionStatus, string> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  polling: 'Polling',
};

/** Live / reconnecting / polling, straight from the stream owner, with when it will try again. */
export function ConnectionBadge() {
  const { stream, clock } = useApp();
  const status = stream.status.value;
  const retryAt = stream.nextRetryAt.value;
  // The clock ticks every few seconds; enough for a countdown that only needs to look alive.
  const seconds = retryAt ? Math.max(0, Math.ceil((retryAt - clock.now.value) / 1000)) : null;
  const detail =
    status === 'live'
      ? 'Events arrive as they happen'
      : status === 'connecting'
        ? 'Opening the live stream'
        : `polling every 10 s${seconds !== null ? ` · retry in ${seconds} s` : ''}`;
  const title = stream.lastError.value && status !== 'live' ? `${detail}\n${stream.lastError.value}` : detail;
  return (
    <div class={styles.wrap}>
      <span class={`${styles.badge} ${styles[status]}`} role="status" aria-live="polite" title={title} data-status={status}>
        <span class={styles.dot} aria-hidden="true" />
        {labels[status]}
      </span>
      {status !== 'live' && status !== 'connecting' && <span class={styles.detail}>{detail}</span>}
      {status !== 'live' && status !== 'connecting' && (
        <button type="button" class="button small" onClick={() => stream.retryNow()} title={title}>
          Retry now
        </button>
      )}
    </div>
  );
}
