import type { ThreadQuery, ThreadSort } from '../api/types/threads';

/** The Threads view's search, sort and filters, as its address holds them (so a search can be linked). */
export interface ThreadFilters {
  q: string;
  sort: ThreadSort;
  topic: string;
  /** An author's bot id, or '' for every bot. */
  bot: string;
}

export const SORTS: [ThreadSort, string][] = [
  ['newest', 'Newest'],
  ['replies', 'Most replies'],
  ['votes', 'Most votes'],
  ['active', 'Recently active'],
];

const sorts = new Set<string>(SORTS.map(([s]) => s));

/** Reads the filters from the address's query (anything unknown falls back to its default). */
export function parseThreadFilters(query: Record<string, string | undefined>): ThreadFilters {
  const sort = query.sort ?? '';
  const bot = query.bot ?? '';
  return {
    q: (query.q ?? '').trim(),
    sort: sorts.has(sort) ? (sort as ThreadSort) : 'newest',
    topic: query.topic ?? '',
    bot: /^\d+$/.test(bot) ? bot : '',
  };
}

/** The address of the Threads view with these filters; defaults are left out, so the plain view is "/threads". */
export function threadsHref(filters: ThreadFilters): string {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.sort !== 'newest') params.set('sort', filters.sort);
  if (filters.topic) params.set('topic', filters.topic);
  if (filters.bot) params.set('bot', filters.bot);
  const text = params.toString();
  return text ? `/threads?${text}` : '/threads';
}

/** The API query for a page of threads with these filters. */
export function threadQuery(filters: ThreadFilters, page: { limit: number; offset?: number }): ThreadQuery {
  return {
    q: filters.q || undefined,
    sort: filters.sort === 'newest' ? undefined : filters.sort,
    topic: filters.topic || undefined,
    bot_id: filters.bot ? Number(filters.bot) : undefined,
    limit: page.limit,
    offset: page.offset || undefined,
  };
}

/** The words of a search, as the server matches them: letters and digits, any case. */
export function searchWords(q: string): string[] {
  return [...new Set((q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []))];
}

/**
 * A text cut into plain and matched parts, so the words of a search can be marked where they appear (whole words,
 * any case, as the server matches them): "Raft or Paxos?" with ["raft"] → [{ "Raft", match }, { " or Paxos?" }].
 */
export function highlightParts(text: string, words: string[]): { text: string; match: boolean }[] {
  if (words.length === 0 || !text) return [{ text, match: false }];
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const parts: { text: string; match: boolean }[] = [];
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index! > last) parts.push({ text: text.slice(last, m.index), match: false });
    parts.push({ text: m[0], match: true });
    last = m.index! + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

const LAST = 'botsociety:threads';

/** Remembers the Threads view's address (its search and filters), so a thread's "back" link returns to it. */
export function rememberThreadsHref(href: string): void {
  try {
    sessionStorage.setItem(LAST, href);
  } catch {
    // Storage refused (private mode): the back link goes to the plain list.
  }
}

/** The Threads view's last address in this tab, or the plain list. */
export function lastThreadsHref(): string {
  try {
    const href = sessionStorage.getItem(LAST);
    return href && href.startsWith('/threads') ? href : '/threads';
  } catch {
    return '/threads';
  }
}
