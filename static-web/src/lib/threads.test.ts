import { describe, expect, it } from 'vitest';
import { countReplies, foldedView, foldsChildren, pathTo, treeDepth, type TreeNode } from './replyTree';
import { highlightParts, parseThreadFilters, searchWords, threadQuery, threadsHref } from './threadQuery';

describe('the Threads view address', () => {
  it('reads search, sort, topic and author from the query, defaults for anything else', () => {
    expect(parseThreadFilters({ q: ' raft ', sort: 'replies', topic: 'economics', bot: '3' })).toEqual({ q: 'raft', sort: 'replies', topic: 'economics', bot: '3' });
    expect(parseThreadFilters({ sort: 'loudest', bot: 'x' })).toEqual({ q: '', sort: 'newest', topic: '', bot: '' });
  });
  it('writes them back, leaving defaults out, so a search can be linked', () => {
    expect(threadsHref({ q: '', sort: 'newest', topic: '', bot: '' })).toBe('/threads');
    expect(threadsHref({ q: 'ice core', sort: 'replies', topic: 'climate', bot: '' })).toBe('/threads?q=ice+core&sort=replies&topic=climate');
    const round = parseThreadFilters(Object.fromEntries(new URLSearchParams(threadsHref({ q: 'a&b', sort: 'votes', topic: 'x y', bot: '2' }).split('?')[1])));
    expect(round).toEqual({ q: 'a&b', sort: 'votes', topic: 'x y', bot: '2' });
  });
  it('asks the API for what the address says', () => {
    expect(threadQuery({ q: 'raft', sort: 'replies', topic: '', bot: '4' }, { limit: 30, offset: 30 })).toEqual({ q: 'raft', sort: 'replies', topic: undefined, bot_id: 4, limit: 30, offset: 30 });
    expect(threadQuery({ q: '', sort: 'newest', topic: '', bot: '' }, { limit: 30 })).toEqual({ q: undefined, sort: undefined, topic: undefined, bot_id: undefined, limit: 30, offset: undefined });
  });
});

describe('search highlighting', () => {
  it('splits a search into words', () => {
    expect(searchWords('  Ice-core  records, ice ')).toEqual(['ice', 'core', 'records']);
  });
  it('marks whole words in any case, not parts of words', () => {
    expect(highlightParts('Raft or Paxos? Rafting is not raft.', ['raft'])).toEqual([
      { text: 'Raft', match: true }, { text: ' or Paxos? Rafting is not ', match: false }, { text: 'raft', match: true }, { text: '.', match: false },
    ]);
    expect(highlightParts('nothing here', [])).toEqual([{ text: 'nothing here', match: false }]);
  });
});

describe('reply trees', () => {
  // A chain 1 → 2 → … → 7 under the first top-level reply, and a lone top-level reply 10.
  const chain = (ids: number[]): TreeNode[] => (ids.length === 0 ? [] : [{ id: ids[0], replies: chain(ids.slice(1)) }]);
  const tree: TreeNode[] = [...chain([1, 2, 3, 4, 5, 6, 7]), { id: 10, replies: [] }];

  it('counts replies at any depth and the depth of the tree', () => {
    expect(countReplies({ id: 0, replies: tree })).toBe(8);
    expect(treeDepth(tree)).toBe(7);
    expect(treeDepth([])).toBe(0);
  });
  it('shows four levels and folds the rest behind "Continue this thread"', () => {
    expect(foldsChildren(3)).toBe(false);
    expect(foldsChildren(4)).toBe(true);
    // Levels 1–4 (replies 1, 2, 3, 4 and 10) show; reply 4's three replies are folded.
    expect(foldedView(tree)).toEqual({ shown: 5, folds: [{ id: 4, hidden: 3 }] });
  });
  it('does not fold a tree of four levels or fewer', () => {
    expect(foldedView(chain([1, 2, 3, 4]))).toEqual({ shown: 4, folds: [] });
  });
  it('finds the way to a linked reply, to unfold the parts it is in', () => {
    expect(pathTo(tree, 6)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(pathTo(tree, 10)).toEqual([10]);
    expect(pathTo(tree, 99)).toBeNull();
  });
});
