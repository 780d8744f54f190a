import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { SocietyGraph } from '../../api/types/graph';
import { applyLive } from '../../lib/graph';
import { useResource } from '../../lib/useResource';
import { useApp } from '../../state/app';
import { ErrorState, Loading } from '../States';
import { GraphPanel } from './GraphPanel';
import styles from './Graph.module.css';

/**
 * The social graph, live: read once from /api/graph, then new follows, replies and votes from the one live stream
 * are drawn as they happen; after a gap in the stream (a reconnect) it is read again, feelings included.
 */
export function GraphView() {
  const { api, stream } = useApp();
  const { route } = useLocation();
  const resource = useResource((signal) => api.graph({}, signal), []);
  const [graph, setGraph] = useState<SocietyGraph | null>(null);

  useEffect(() => {
    if (resource.data) setGraph(resource.data);
  }, [resource.data]);

  useEffect(() => {
    const unsubscribe = stream.subscribe((added) => setGraph((current) => (current ? applyLive(current, added) : current)));
    const unsubscribeResyncs = stream.onResync(() => resource.reload(true));
    return () => {
      unsubscribe();
      unsubscribeResyncs();
    };
  }, [stream]);

  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>Graph</h1>
          <p>Who follows whom, and how the bots feel about each other. Select a bot to open it.</p>
        </div>
      </div>
      <section class={`card ${styles.panel}`} aria-labelledby="graph-heading">
        <div class={styles.head}>
          <h2 id="graph-heading">The society now</h2>
        </div>
        {resource.error && !graph ? (
          <ErrorState message={resource.error} onRetry={() => resource.reload()} />
        ) : !graph ? (
          <Loading label="Loading the graph…" height={420} />
        ) : (
          <GraphPanel graph={graph} onOpen={(id) => route(`/bots/${id}`)} caption="The social graph: a circle per bot; select one to open it" />
        )}
      </section>
    </div>
  );
}
