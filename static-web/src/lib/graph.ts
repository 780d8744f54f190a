import type { GraphEdge, GraphEdgeKind, SocietyGraph } from '../api/types/graph';
import type { FeedItem } from '../state/feed';

// Pure helpers of the Graph and Replay views: how an edge looks, how a live event changes the graph, and how the
// replay clock moves. Kept apart from the components so they are tested without a browser.

/** Sentiment in [-1, 1] as a colour: red for dislike, grey for neutral (or none), green for liking. */
export function sentimentColor(sentiment: number | null): string {
  const neutral = [138, 148, 166];
  if (sentiment === null || Number.isNaN(sentiment)) return rgb(neutral);
  const s = Math.max(-1, Math.min(1, sentiment));
  const end = s < 0 ? [254, 88, 40] : [136, 216, 40];
  return rgb(neutral.map((n, i) => Math.round(n + (end[i] - n) * Math.abs(s))));
}

const rgb = ([r, g, b]: number[]) => `rgb(${r}, ${g}, ${b})`;

/** A word for a feeling, for the text alternative beside the colour. */
export function sentimentWord(sentiment: number | null): string {
  if (sentiment === null) return 'no feeling';
  if (sentiment >= 0.5) return 'likes';
  if (sentiment >= 0.1) return 'warm';
  if (sentiment > -0.1) return 'neutral';
  if (sentiment > -0.5) return 'cool';
  return 'dislikes';
}

/** Node radius by reputation, scaled between the society's lowest and highest so a small spread still shows. */
export function nodeRadius(reputation: number, min: number, max: number): number {
  const span = max - min;
  const share = span <= 0 ? 0.5 : (reputation - min) / span;
  return 7 + Math.sqrt(Math.max(0, share)) * 13;
}

/**
 * Line width by weight (interactions) against the heaviest edge drawn: square root, so a pair with 100 replies does
 * not hide the rest, from 1 to 7 px.
 */
export function edgeWidth(weight: number, heaviest: number): number {
  return 1 + 6 * Math.sqrt(Math.max(0, weight) / Math.max(1, heaviest));
}

/** Faint for a light tie, solid for the heaviest: a society where every bot knows every other is still readable. */
export function edgeOpacity(weight: number, heaviest: number): number {
  return Math.round((0.12 + 0.78 * (Math.max(0, weight) / Math.max(1, heaviest))) * 100) / 100;
}

/** The relationship edges ranked by weight, then by how strong the feeling is: the text alternative's list. */
export function strongestTies(graph: SocietyGraph, count: number): GraphEdge[] {
  return graph.edges
    .filter((e) => e.kind === 'relationship')
    .sort((a, b) => b.weight - a.weight || Math.abs(b.sentiment ?? 0) - Math.abs(a.sentiment ?? 0) || a.source - b.source || a.target - b.target)
    .slice(0, count);
}

const num = (value: unknown) => (typeof value === 'number' ? value : null);

/**
 * The graph after new feed items (a follow, a vote, a reply) arrive live; the same graph object when none
 * changes it. Feelings are not guessed here: the next full read brings them.
 */
export function applyLive(graph: SocietyGraph, items: readonly FeedItem[]): SocietyGraph {
  let edges: GraphEdge[] | null = null;
  let nodes = graph.nodes;
  const known = new Set(graph.nodes.map((n) => n.bot_id));
  const bump = (source: number, target: number, kind: GraphEdgeKind, sentiment: number | null) => {
    edges ??= [...graph.edges];
    const at = edges.findIndex((e) => e.source === source && e.target === target && e.kind === kind);
    if (kind === 'follow' && at >= 0) return;
    if (at >= 0) {
      const e = edges[at];
      const weight = e.weight + 1;
      // A vote's sentiment is its tone, (ups - downs) / votes: fold the new vote in.
      const tone = kind === 'vote' && sentiment !== null ? ((e.sentiment ?? 0) * e.weight + sentiment) / weight : e.sentiment;
      edges[at] = { ...e, weight, sentiment: tone };
    } else {
      edges.push({ source, target, kind, weight: 1, sentiment });
    }
    if (kind === 'reply' || kind === 'vote') bump(source, target, 'relationship', null);
  };
  for (const item of items) {
    if (item.botId === null || item.type !== 'heartbeat_complete') continue;
    const d = item.details;
    if (item.action === 'follow') {
      const target = num(d.followed_bot_id);
      if (target === null || !known.has(item.botId) || !known.has(target)) continue;
      const before = edges ?? graph.edges;
      if (before.some((e) => e.kind === 'follow' && e.source === item.botId && e.target === target)) continue;
      bump(item.botId, target, 'follow', null);
      const follower = item.botId;
      nodes = nodes.map((n) =>
        n.bot_id === target ? { ...n, followers: n.followers + 1 } : n.bot_id === follower ? { ...n, following: n.following + 1 } : n,
      );
    } else if (item.action === 'vote' || item.action === 'reply') {
      const target = num(item.action === 'vote' ? d.target_bot_id : d.reply_to_bot_id);
      if (target === null || target === item.botId || !known.has(item.botId) || !known.has(target)) continue;
      bump(item.botId, target, item.action, item.action === 'vote' ? (d.direction === 'down' ? -1 : 1) : null);
    }
  }
  return edges === null ? graph : { ...graph, nodes, edges };
}

/** The replay's speeds, slowest first: real time up to an hour a second. */
export const REPLAY_SPEEDS = [1, 10, 60, 300, 900, 3600] as const;

/** Where the replay clock is after `elapsedMs` of wall time at `speed`, held inside [from, to]. */
export function advance(at: number, elapsedMs: number, speed: number, to: number): number {
  return Math.min(to, at + elapsedMs * speed);
}

/** A UTC day (YYYY-MM-DD) as the window [its midnight, the next midnight) in milliseconds. */
export function dayWindow(day: string): { from: number; to: number } | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const from = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(from) ? null : { from, to: from + 86_400_000 };
}

/** An instant as the API reads it: ISO 8601 in UTC, to the millisecond. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
