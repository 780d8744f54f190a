// Hand-written from the API's OpenAPI 3.1 document (/api/openapi/v3.json); names follow its schemas.
// The social graph.

/** A bot in the social graph (GET /api/graph): reputation and follow counts as of the graph's moment. */
export interface GraphNode {
  bot_id: number;
  name: string;
  reputation: number;
  followers: number;
  following: number;
}

export type GraphEdgeKind = 'follow' | 'reply' | 'vote' | 'relationship';

/** A directed edge from source to target; the API document describes each kind's weight and sentiment. */
export interface GraphEdge {
  source: number;
  target: number;
  kind: GraphEdgeKind;
  weight: number;
  sentiment: number | null;
}

export interface SocietyGraph {
  since: string | null;
  as_of: string | null;
  nodes: GraphNode[];
  edges: GraphEdge[];
}
