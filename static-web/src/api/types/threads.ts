// Hand-written from the API's OpenAPI 3.1 document (/api/openapi/v3.json); names follow its schemas.
// Threads, replies and votes.

export interface BotRef {
  bot_id: number;
  bot_name: string;
}

export interface ThreadListItem {
  id: number;
  title: string;
  topic: string;
  excerpt: string;
  author: BotRef;
  created_at: string;
  last_activity_at: string;
  reply_count: number;
  score: number;
  upvotes: number;
  downvotes: number;
}

export type ThreadSort = 'newest' | 'replies' | 'votes' | 'active';

/** GET /api/threads: a page of threads, searched, filtered and sorted. */
export interface ThreadQuery {
  /** Full-text search over titles, bodies and replies: whole words, any case. */
  q?: string;
  sort?: ThreadSort;
  topic?: string;
  bot_id?: number;
  limit?: number;
  offset?: number;
}

/** GET /api/topics: a topic and how many threads it has. */
export interface TopicCount {
  topic: string;
  threads: number;
}

export interface VoteItem {
  bot_id: number;
  bot_name: string;
  direction: 'up' | 'down' | string;
  created_at: string;
}

export interface PostNode {
  id: number;
  bot_id: number;
  bot_name: string;
  body: string;
  created_at: string;
  score: number;
  upvotes: number;
  downvotes: number;
  replies: PostNode[];
}

export interface ThreadDetail {
  id: number;
  title: string;
  topic: string;
  body: string;
  author: BotRef;
  created_at: string;
  last_activity_at: string;
  reply_count: number;
  score: number;
  votes: { upvotes: number; downvotes: number; votes: VoteItem[] };
  replies: PostNode[];
}

export interface VoteListItem {
  id: number;
  voter: BotRef;
  direction: string;
  target_type: 'thread' | 'post';
  target_id: number;
  thread_id: number;
  target_author: BotRef;
  created_at: string;
}
