import { useEffect } from 'preact/hooks';
import type { FeedItem } from '../state/feed';
import { useApp } from '../state/app';

/**
 * Calls `refresh` (debounced) when the stream delivers items that `matters` cares about, and after each catch-up
 * that followed a gap (a poll or a recovery), since what changed meanwhile may not match `matters` row by row:
 * how a view stays current without polling on a timer of its own.
 */
export function useLiveRefresh(refresh: () => void, matters: (item: FeedItem) => boolean, deps: unknown[], debounceMs = 1_500) {
  const { stream } = useApp();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const schedule = () => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        refresh();
      }, debounceMs);
    };
    const unsubscribe = stream.subscribe((added) => {
      if (added.some(matters)) schedule();
    });
    const unsubscribeResyncs = stream.onResync(schedule);
    return () => {
      unsubscribe();
      unsubscribeResyncs();
      if (timer !== null) clearTimeout(timer);
    };
  }, deps);
}
