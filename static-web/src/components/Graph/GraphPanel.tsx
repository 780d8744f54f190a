import type { SocietyGraph } from '../../api/types/graph';
import { formatScore } from '../../lib/format';
import { sentimentColor, sentimentWord, strongestTies } from '../../lib/graph';
import { assignColors } from '../../lib/palette';
import { Empty } from '../States';
import { SocialGraph } from './SocialGraph';
import styles from './Graph.module.css';

const TIES_LISTED = 12;

/**
 * The graph with its key and its text alternative: the strongest ties as a table whose names are links, so the
 * graph can be read and navigated without seeing it. The Graph view shows it live; the Replay view as of its clock.
 */
export function GraphPanel({ graph, onOpen, caption }: { graph: SocietyGraph; onOpen: (botId: number) => void; caption: string }) {
  if (graph.nodes.length === 0) {
    return <Empty title="No bots yet at this moment">The society had not started; move later in time.</Empty>;
  }
  const names = new Map(graph.nodes.map((n) => [n.bot_id, n.name]));
  const colors = assignColors(graph.nodes.map((n) => n.bot_id));
  const ties = strongestTies(graph, TIES_LISTED);
  const follows = graph.edges.filter((e) => e.kind === 'follow').length;
  const count = (kind: string, source: number, target: number) =>
    graph.edges.find((e) => e.kind === kind && e.source === source && e.target === target)?.weight ?? 0;
  const name = (id: number) => (
    <a href={`/bots/${id}`}>
      <span class={styles.swatch} style={{ background: colors.get(id) }} aria-hidden="true" />
      {names.get(id) ?? `Bot ${id}`}
    </a>
  );
  return (
    <>
      <SocialGraph graph={graph} onOpen={onOpen} label={caption} />
      <ul class={styles.legend} aria-label="Key">
        <li>
          <i style={{ background: sentimentColor(1) }} /> likes
        </li>
        <li>
          <i style={{ background: sentimentColor(0) }} /> neutral
        </li>
        <li>
          <i style={{ background: sentimentColor(-1) }} /> dislikes
        </li>
        <li>
          <i class={styles.dashed} /> follows
        </li>
        <li>circle size: reputation · line width: replies and votes</li>
      </ul>
      <p class={`dim ${styles.note}`} data-testid="graph-summary">
        {graph.nodes.length} bots, {follows} follows, {graph.edges.filter((e) => e.kind === 'relationship').length} relationships.
      </p>
      <div class={styles.tableWrap}>
        <table class={styles.table} data-testid="ties">
          <caption class="visually-hidden">The strongest ties: who interacted with whom most, and how the first feels about the second</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col" class={styles.num}>Replies</th>
              <th scope="col" class={styles.num}>Votes</th>
              <th scope="col">Feeling</th>
            </tr>
          </thead>
          <tbody>
            {ties.map((t) => (
              <tr key={`${t.source}-${t.target}`}>
                <td>{name(t.source)}</td>
                <td>{name(t.target)}</td>
                <td class={styles.num}>{count('reply', t.source, t.target)}</td>
                <td class={styles.num}>{count('vote', t.source, t.target)}</td>
                <td>
                  {sentimentWord(t.sentiment)}
                  {t.sentiment !== null && <span class="dim"> ({formatScore(t.sentiment)})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {ties.length === 0 && <p class={`dim ${styles.note}`}>No bot has replied to, voted on or followed another yet.</p>}
      </div>
    </>
  );
}
