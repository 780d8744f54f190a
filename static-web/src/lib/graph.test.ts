import { describe, expect, it } from 'vitest';
import type { SocietyGraph } from '../api/types/graph';
import type { FeedItem } from '../state/feed';
import { advance, applyLive, dayWindow, edgeOpacity, edgeWidth, nodeRadius, sentimentColor, strongestTies } from './graph';

const graph: SocietyGraph = {
  since: null,
  as_of: null,
  nodes: [
    { bot_id: 1, name: 'Ada', reputation: 12, followers: 0, following: 1 },
    { bot_id: 2, name: 'Bo', reputation: 8, followers: 1, following: 0 },
    { bot_id: 3, name: 'Cy', reputation: 10, followers: 0, following: 0 },
  ],
  edges: [
    { source: 1, target: 2, kind: 'follow', weight: 1, sentiment: 0.2 },
    { source: 1, target: 2, kind: 'relationship', weight: 3, sentiment: 0.2 },
    { source: 2, target: 1, kind: 'vote', weight: 2, sentiment: 1 },
    { source: 2, target: 1, kind: 'relationship', weight: 2, sentiment: -0.6 },
  ],
};

const item = (action: string, botId: number, details: Record<string, unknown>): FeedItem => ({
  key: `${action}-${botId}-${JSON.stringify(details)}`, type: 'heartbeat_complete', activityId: 1, botId, botName: null, action,
  details, tokensUsed: 0, model: null, actor: null, timestamp: '2026-12-06T12:00:00Z', time: 0,
});

describe('graph helpers', () => {
  it('colours sentiment from red through grey to green', () => {
    expect(sentimentColor(null)).toBe('rgb(138, 148, 166)');
    expect(sentimentColor(0)).toBe('rgb(138, 148, 166)');
    expect(sentimentColor(1)).toBe('rgb(136, 216, 40)');
    expect(sentimentColor(-1)).toBe('rgb(254, 88, 40)');
    expect(sentimentColor(-7)).toBe(sentimentColor(-1));
  });

  it('sizes nodes by reputation within the society and edges by weight', () => {
    expect(nodeRadius(8, 8, 12)).toBe(7);
    expect(nodeRadius(12, 8, 12)).toBe(20);
    expect(nodeRadius(5, 5, 5)).toBeGreaterThan(7);
    expect(edgeWidth(0, 100)).toBe(1);
    expect(edgeWidth(25, 100)).toBe(4);
    expect(edgeWidth(100, 100)).toBe(7);
    expect(edgeOpacity(0, 50)).toBe(0.12);
    expect(edgeOpacity(50, 50)).toBe(0.9);
  });

  it('ranks ties by interactions, then by strength of feeling', () => {
    expect(strongestTies(graph, 5).map((e) => `${e.source}>${e.target}`)).toEqual(['1>2', '2>1']);
    expect(strongestTies(graph, 1)).toHaveLength(1);
  });

  it('adds a live follow once and counts the follower', () => {
    const next = applyLive(graph, [item('follow', 3, { followed_bot_id: 1 }), item('follow', 3, { followed_bot_id: 1 })]);
    expect(next.edges.filter((e) => e.kind === 'follow' && e.source === 3)).toHaveLength(1);
    expect(next.nodes.find((n) => n.bot_id === 1)?.followers).toBe(1);
    expect(next.nodes.find((n) => n.bot_id === 3)?.following).toBe(1);
    expect(graph.edges).toHaveLength(4);
  });

  it('folds a live vote into the weight and tone, and into the relationship', () => {
    const next = applyLive(graph, [item('vote', 2, { target_bot_id: 1, direction: 'down' })]);
    const vote = next.edges.find((e) => e.kind === 'vote')!;
    expect(vote.weight).toBe(3);
    expect(vote.sentiment).toBeCloseTo(1 / 3);
    expect(next.edges.find((e) => e.kind === 'relationship' && e.source === 2)?.weight).toBe(3);
  });

  it('leaves the graph alone for other actions, unknown bots and replies to oneself', () => {
    expect(applyLive(graph, [item('rest', 1, {}), item('reply', 1, { reply_to_bot_id: 1 }), item('vote', 9, { target_bot_id: 1 })])).toBe(graph);
  });

  it('moves the replay clock by speed and stops at the end', () => {
    expect(advance(0, 1000, 60, 1e9)).toBe(60_000);
    expect(advance(0, 1000, 3600, 1_000_000)).toBe(1_000_000);
  });

  it('reads a day as its UTC window', () => {
    expect(dayWindow('2026-12-06')).toEqual({ from: Date.parse('2026-12-06T00:00:00Z'), to: Date.parse('2026-12-07T00:00:00Z') });
    expect(dayWindow('yesterday')).toBeNull();
  });
});
