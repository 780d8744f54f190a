import { useEffect, useState } from 'preact/hooks';

type Charts = typeof import('./charts');

// uPlot and the chart definitions (about 30 KB gzipped) load beside the page's data rather than before its first
// paint: the headings, totals and reserved chart boxes show at once, and the charts fill their boxes when both are in.
let loaded: Charts | null = null;
let loading: Promise<Charts> | null = null;

export function loadCharts(): Promise<Charts> {
  loading ??= import('./charts').then(
    (module) => (loaded = module),
    (error: unknown) => {
      // A failed download (a deploy replaced the chunk, the network dropped) is tried again by the next caller.
      loading = null;
      throw error;
    },
  );
  return loading;
}

/** The charts module once loaded (null until then), with the download's error and a way to try again. */
export function useCharts(): { charts: Charts | null; error: string | null; retry: () => void } {
  const [charts, setCharts] = useState<Charts | null>(loaded);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (charts) return;
    let current = true;
    loadCharts().then(
      (module) => current && setCharts(module),
      (e: Error) => current && setError(`The charts could not be loaded: ${e.message}`),
    );
    return () => {
      current = false;
    };
  }, [attempt]);
  return {
    charts,
    error,
    retry: () => {
      setError(null);
      setAttempt((n) => n + 1);
    },
  };
}
