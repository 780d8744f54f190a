import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { advance, dayWindow, iso, REPLAY_SPEEDS } from '../../lib/graph';
import { absoluteTime, utcDay } from '../../lib/time';
import { useResource } from '../../lib/useResource';
import { useApp } from '../../state/app';
import styles from '../Activity/Activity.module.css';
import { FeedRow } from '../Activity/FeedRow';
import { GraphPanel } from '../Graph/GraphPanel';
import { ReputationChart } from '../Stats/charts';
import { Empty, ErrorState, Loading } from '../States';
import replay from './Replay.module.css';
import { useReplayFeed } from './useReplayFeed';

const FRAME_MS = 250;
/** While playing, the graph and the chart are read again at most this often: each read is a query of the whole society. */
const SNAPSHOT_MS = 1_500;

/**
 * The society played back: a span of UTC days, a clock that runs at 1× to 3600× and a scrubber to move it, and the
 * feed, the graph and the reputation chart as they were at the clock's moment, all read from the API as of then.
 */
export function ReplayView() {
  const { api } = useApp();
  const { route } = useLocation();
  const today = utcDay(Date.now());
  const [fromDay, setFromDay] = useState(today);
  const [toDay, setToDay] = useState(today);
  const start = dayWindow(fromDay);
  const stop = dayWindow(toDay);
  const dayError = !start || !stop ? 'Pick both days.' : stop.to <= start.from ? 'The last day is before the first.' : null;
  const span = useMemo(
    () => (dayError || !start || !stop ? { from: Date.parse(`${today}T00:00:00Z`), to: Date.now() } : { from: start.from, to: Math.min(stop.to, Date.now()) }),
    [fromDay, toDay, dayError],
  );

  // The clock starts at the end (now, or the span's end), so the first picture is the familiar one.
  const [at, setAt] = useState(span.to);
  const [seekAt, setSeekAt] = useState(span.to);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(60);
  const seek = (value: number) => {
    const clamped = Math.max(span.from, Math.min(span.to, value));
    setAt(clamped);
    setSeekAt(clamped);
  };
  useEffect(() => seek(span.to), [span.from, span.to]);

  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      setAt((current) => {
        const next = advance(current, now - last, speed, span.to);
        if (next >= span.to) setPlaying(false);
        return next;
      });
      last = now;
    }, FRAME_MS);
    return () => clearInterval(timer);
  }, [playing, speed, span.to]);

  // The graph and the chart follow the clock, throttled while it runs and soon after a seek while it is still.
  const [snapshotAt, setSnapshotAt] = useState(at);
  const lastSnapshot = useRef(0);
  useEffect(() => {
    const wait = playing ? Math.max(0, SNAPSHOT_MS - (Date.now() - lastSnapshot.current)) : 250;
    const timer = setTimeout(() => {
      lastSnapshot.current = Date.now();
      setSnapshotAt(at);
    }, wait);
    return () => clearTimeout(timer);
  }, [at, playing]);

  const feed = useReplayFeed(api, span, seekAt, at);
  const graph = useResource((signal) => api.graph({ as_of: iso(snapshotAt + 1) }, signal), [snapshotAt]);
  const reputation = useResource(
    (signal) => api.reputationHistory({ since: iso(span.from), as_of: iso(snapshotAt + 1) }, signal),
    [snapshotAt, span.from],
  );
  const chartFrom = startOf(span.from);

  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>Replay</h1>
          <p>Play the society back: the feed, the graph and reputation as they were at the clock's moment (UTC).</p>
        </div>
      </div>
      <section class={`card ${replay.controls}`} aria-label="Replay controls">
        <label>
          From
          <input type="date" value={fromDay} max={today} onInput={(e) => setFromDay(e.currentTarget.value)} data-testid="replay-from" />
        </label>
        <label>
          To
          <input type="date" value={toDay} max={today} onInput={(e) => setToDay(e.currentTarget.value)} data-testid="replay-to" />
        </label>
        <button type="button" class="button" onClick={() => (at >= span.to ? (seek(span.from), setPlaying(true)) : setPlaying(!playing))} data-testid="replay-play">
          {playing ? 'Pause' : 'Play'}
        </button>
        <label>
          Speed
          <select value={speed} onChange={(e) => setSpeed(Number(e.currentTarget.value))} data-testid="replay-speed">
            {REPLAY_SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <label class={replay.scrubber}>
          <span>
            At <time dateTime={iso(at)} data-testid="replay-at">{absoluteTime(at)}</time>
          </span>
          <input
            type="range"
            min={span.from}
            max={span.to}
            step={1000}
            value={at}
            onInput={(e) => seek(Number(e.currentTarget.value))}
            aria-valuetext={absoluteTime(at)}
            data-testid="replay-scrubber"
          />
        </label>
        {dayError && (
          <p class="dim" role="alert">
            {dayError}
          </p>
        )}
      </section>
      <div class={replay.grid}>
        <section class={`card ${replay.panel}`} aria-labelledby="replay-feed">
          <h2 id="replay-feed">Feed</h2>
          {feed.error ? (
            <ErrorState message={feed.error} />
          ) : feed.loading && feed.items.length === 0 ? (
            <Loading />
          ) : feed.items.length === 0 ? (
            <Empty title="Nothing had happened yet">Move the scrubber later, or pick an earlier day.</Empty>
          ) : (
            <ol class={styles.list} data-testid="replay-feed">
              {feed.items.map((item) => (
                <FeedRow key={item.key} item={item} now={at} />
              ))}
            </ol>
          )}
        </section>
        <div class={replay.side}>
          <section class={`card ${replay.panel}`} aria-labelledby="replay-graph">
            <h2 id="replay-graph">Graph</h2>
            {graph.error ? (
              <ErrorState message={graph.error} onRetry={() => graph.reload()} />
            ) : !graph.data ? (
              <Loading height={300} />
            ) : (
              <GraphPanel graph={graph.data} onOpen={(id) => route(`/bots/${id}`)} caption="The social graph at the replay's moment; select a bot to open it" />
            )}
          </section>
          <section class={`card ${replay.panel}`} aria-labelledby="replay-reputation">
            <h2 id="replay-reputation">Reputation</h2>
            {reputation.error ? (
              <ErrorState message={reputation.error} onRetry={() => reputation.reload()} />
            ) : !reputation.data ? (
              <Loading height={260} />
            ) : (
              <ReputationChart series={reputation.data} from={chartFrom} until={Math.floor(snapshotAt / 1000)} height={260} label="Reputation of every bot up to the replay's moment" />
            )}
          </section>
        </div>
      </div>
    </div>
  );
}

const startOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
