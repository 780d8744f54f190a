import { useEffect } from 'preact/hooks';
import type { FeedItem } from '../state/feed';
import { useApp } from '../state/app';

/**
 * Calls `refresh` (debounced) when the stream delivers items that `matters` cares about: how a view stays current
 * without polling on a timer.
 */
export function useLiveRefresh(refresh: () => void, matters: (item: FeedItem) => boolean, deps: unknown[], debounceMs = 1_500) {
  const { stream } = useApp();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = stream.subscribe((added) => {
      if (!added.some(matters) || timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        refresh();
      }, debounceMs);
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, deps);
}
