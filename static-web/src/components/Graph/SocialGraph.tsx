import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';
import { useMemo, useRef } from 'preact/hooks';
import type { GraphEdge, SocietyGraph } from '../../api/types/graph';
import { formatScore } from '../../lib/format';
import { edgeOpacity, edgeWidth, nodeRadius, sentimentColor, sentimentWord } from '../../lib/graph';
import { assignColors } from '../../lib/palette';
import styles from './Graph.module.css';

const WIDTH = 800;
const HEIGHT = 560;
const TICKS = 240;

interface Point extends SimulationNodeDatum {
  id: number;
}

/**
 * Lays the nodes out with d3-force, run to rest here instead of animated: the picture is still (calmer to read,
 * nothing to stop on unmount), and a node that was placed before keeps its place when the graph changes, so a live
 * follow moves its neighbours a little instead of reshuffling everything.
 */
function layout(graph: SocietyGraph, previous: Map<number, Point>): Map<number, Point> {
  const points: Point[] = graph.nodes.map((n, i) => {
    const old = previous.get(n.bot_id);
    // New nodes start on a circle, in id order: the same graph gets the same picture on every visit.
    const angle = (2 * Math.PI * i) / Math.max(1, graph.nodes.length);
    return old ? { id: n.bot_id, x: old.x, y: old.y } : { id: n.bot_id, x: WIDTH / 2 + Math.cos(angle) * 200, y: HEIGHT / 2 + Math.sin(angle) * 200 };
  });
  const ids = new Set(points.map((p) => p.id));
  const links: SimulationLinkDatum<Point>[] = graph.edges
    .filter((e) => (e.kind === 'relationship' || e.kind === 'follow') && ids.has(e.source) && ids.has(e.target))
    .map((e) => ({ source: e.source, target: e.target }));
  const simulation = forceSimulation(points)
    .force('link', forceLink<Point, SimulationLinkDatum<Point>>(links).id((p) => p.id).distance(160).strength(0.05))
    .force('charge', forceManyBody().strength(-600))
    .force('x', forceX(WIDTH / 2).strength(0.04))
    .force('y', forceY(HEIGHT / 2).strength(0.06))
    .force('collide', forceCollide(34))
    .stop();
  // A graph that only grew needs a short settle; a new one the whole run.
  const fresh = points.filter((p) => !previous.has(p.id)).length;
  simulation.alpha(fresh > points.length / 2 ? 1 : 0.3);
  for (let i = 0; i < TICKS; i++) simulation.tick();
  return new Map(points.map((p) => [p.id, p]));
}

/**
 * The laid-out points stretched to fill the picture: a dense society (every bot tied to every other) settles into a
 * tight ball, and its names would overlap. Only the drawing is stretched; the layout keeps its own coordinates.
 */
function fit(points: Map<number, Point>): Map<number, { x: number; y: number }> {
  const all = [...points.values()];
  const xs = all.map((p) => p.x ?? 0);
  const ys = all.map((p) => p.y ?? 0);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const margin = 40;
  const scale = Math.min((WIDTH - 2 * margin) / Math.max(1, maxX - minX), (HEIGHT - 2 * margin) / Math.max(1, maxY - minY));
  const offsetX = (WIDTH - (maxX - minX) * scale) / 2;
  const offsetY = (HEIGHT - (maxY - minY) * scale) / 2;
  return new Map(all.map((p) => [p.id, { x: offsetX + ((p.x ?? 0) - minX) * scale, y: offsetY + ((p.y ?? 0) - minY) * scale }]));
}

/** The two ends of a directed edge, pulled apart sideways so A→B and B→A stay two lines. */
function ends(a: { x: number; y: number }, b: { x: number; y: number }, offset: number) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy) || 1;
  const ox = (-dy / length) * offset;
  const oy = (dx / length) * offset;
  return { x1: a.x + ox, y1: a.y + oy, x2: b.x + ox, y2: b.y + oy };
}

/**
 * The society as a picture: a circle per bot (its size by reputation, its colour the one the charts give it), a line
 * per relationship (colour by feeling, width by interactions) and a dashed line per follow. Each circle is a link to
 * the bot: focusable, named for a screen reader, opened with a click or Enter.
 */
export function SocialGraph({ graph, onOpen, label }: { graph: SocietyGraph; onOpen: (botId: number) => void; label: string }) {
  const placed = useRef(new Map<number, Point>());
  const positions = useMemo(() => {
    placed.current = layout(graph, placed.current);
    return fit(placed.current);
  }, [graph]);
  const colors = useMemo(() => assignColors(graph.nodes.map((n) => n.bot_id)), [graph.nodes]);
  const reputations = graph.nodes.map((n) => n.reputation);
  const min = Math.min(...reputations);
  const max = Math.max(...reputations);
  const heaviest = Math.max(1, ...graph.edges.filter((e) => e.kind === 'relationship').map((e) => e.weight));
  const line = (e: GraphEdge, offset: number) => {
    const a = positions.get(e.source);
    const b = positions.get(e.target);
    return a && b ? ends(a, b, offset) : null;
  };

  return (
    <svg class={styles.graph} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label={label} data-testid="social-graph">
      <g aria-hidden="true">
        {graph.edges.map((e) => {
          if (e.kind === 'follow') {
            const at = line(e, 0);
            return at && <line key={`f${e.source}-${e.target}`} {...at} class={styles.follow} />;
          }
          if (e.kind !== 'relationship') return null;
          const at = line(e, 3);
          return (
            at && (
              <line
                key={`r${e.source}-${e.target}`}
                {...at}
                stroke={sentimentColor(e.sentiment)}
                stroke-width={edgeWidth(e.weight, heaviest)}
                stroke-opacity={edgeOpacity(e.weight, heaviest)}
                class={styles.tie}
                data-sentiment={sentimentWord(e.sentiment)}
              />
            )
          );
        })}
      </g>
      {graph.nodes.map((n) => {
        const p = positions.get(n.bot_id);
        if (!p) return null;
        const r = nodeRadius(n.reputation, min, max);
        const open = () => onOpen(n.bot_id);
        return (
          <g
            key={n.bot_id}
            class={styles.node}
            transform={`translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`}
            role="link"
            tabindex={0}
            aria-label={`${n.name}: reputation ${formatScore(n.reputation)}, ${n.followers} followers`}
            data-bot-id={n.bot_id}
            onClick={open}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                open();
              }
            }}
          >
            <circle r={r} fill={colors.get(n.bot_id)} />
            <text y={r + 13} text-anchor="middle">
              {n.name}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
