import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  /** Loads again; `quiet` keeps the current data on screen (a refresh after an event, not a new page). */
  reload: (quiet?: boolean) => void;
}

/**
 * Loads data for a view and reloads when `deps` change. Answers from superseded loads are dropped, so a fast
 * click through bots never shows the previous bot's data.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const current = useRef<AbortController | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback((quiet: boolean) => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    if (!quiet) setLoading(true);
    loadRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (e: Error) => {
        if (controller.signal.aborted || e.name === 'AbortError') return;
        setError(e.message);
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    setData(undefined);
    run(false);
    return () => current.current?.abort();
  }, deps);

  return { data, error, loading, reload: (quiet = false) => run(quiet) };
}
