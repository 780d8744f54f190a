import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../../api/client';
import { iso } from '../../lib/graph';
import { fromActivity, mergeFeed, type FeedItem } from '../../state/feed';

const SHOWN = 50;
const PAGE = 200;

/**
 * The feed as of the replay clock. A seek reads the newest rows before the moment (one request, wherever it lands);
 * playing then reads the log forward in order=asc pages from that moment and moves each row into the feed when the
 * clock passes it, reading the next page before the buffer runs out.
 */
export function useReplayFeed(api: Api, span: { from: number; to: number }, seekAt: number, at: number) {
  const [items, setItems] = useState<FeedItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const buffer = useRef<{ rows: FeedItem[]; offset: number; done: boolean; reading: boolean; from: number; generation: number }>({
    rows: [], offset: 0, done: false, reading: false, from: 0, generation: 0,
  });

  const readAhead = (generation: number) => {
    const b = buffer.current;
    if (b.done || b.reading || b.generation !== generation) return;
    // At the end of the window there is nothing ahead to read.
    if (b.from >= span.to) {
      b.done = true;
      return;
    }
    b.reading = true;
    api.activity({ since: iso(b.from), until: iso(span.to), order: 'asc', limit: PAGE, offset: b.offset }).then(
      (page) => {
        if (b.generation !== generation) return;
        b.rows.push(...page.items.map(fromActivity));
        b.offset += page.items.length;
        b.done = page.items.length < PAGE;
        b.reading = false;
      },
      (e: Error) => {
        if (b.generation !== generation) return;
        b.reading = false;
        setError(e.message);
      },
    );
  };

  // A seek (or a new span): the newest rows before the moment, and a fresh forward buffer from it.
  useEffect(() => {
    const generation = buffer.current.generation + 1;
    // The feed holds rows at or before the moment; the buffer starts just after it (until is exclusive, since inclusive).
    buffer.current = { rows: [], offset: 0, done: false, reading: false, from: seekAt + 1, generation };
    setLoading(true);
    api.activity({ since: iso(span.from), until: iso(seekAt + 1), order: 'desc', limit: SHOWN }).then(
      (page) => {
        if (buffer.current.generation !== generation) return;
        setItems(page.items.map(fromActivity));
        setError(null);
        setLoading(false);
        readAhead(generation);
      },
      (e: Error) => {
        if (buffer.current.generation !== generation) return;
        setError(e.message);
        setLoading(false);
      },
    );
  }, [span.from, span.to, seekAt]);

  // Playing: rows the clock has passed move from the buffer into the feed.
  useEffect(() => {
    const b = buffer.current;
    let due = 0;
    while (due < b.rows.length && b.rows[due].time <= at) due++;
    if (due > 0) {
      const passed = b.rows.splice(0, due);
      setItems((current) => mergeFeed(current, passed, SHOWN).items);
    }
    if (b.rows.length < PAGE / 4) readAhead(b.generation);
  }, [at]);

  return { items, error, loading };
}
