/** A reply with the replies to it: the shape of the API's reply tree (PostNode). */
export interface TreeNode {
  id: number;
  replies: TreeNode[];
}

/** How many levels of replies a thread shows before "Continue this thread": top-level replies are level 1. */
export const VISIBLE_DEPTH = 4;

/** Every reply under a node, at any depth (not the node itself). */
export function countReplies(node: TreeNode): number {
  return node.replies.reduce((sum, child) => sum + 1 + countReplies(child), 0);
}

/** The deepest level of a tree: 0 for no replies, 1 when only top-level replies. */
export function treeDepth(nodes: readonly TreeNode[]): number {
  return nodes.reduce((max, n) => Math.max(max, 1 + treeDepth(n.replies)), 0);
}

/**
 * Whether the replies to a reply at `level` (1 = top-level) are folded behind "Continue this thread": the levels
 * past `visible`, counted afresh inside each continued part so the tree never runs off the page.
 */
export function foldsChildren(level: number, visible = VISIBLE_DEPTH): boolean {
  return level >= visible;
}

/**
 * The tree as shown before anything is unfolded: each node's level inside its part (1…visible), and the nodes
 * whose replies are folded with how many replies each hides. For tests and for the heading's count.
 */
export function foldedView(nodes: readonly TreeNode[], visible = VISIBLE_DEPTH): { shown: number; folds: { id: number; hidden: number }[] } {
  let shown = 0;
  const folds: { id: number; hidden: number }[] = [];
  const walk = (list: readonly TreeNode[], level: number) => {
    for (const node of list) {
      shown++;
      if (node.replies.length === 0) continue;
      if (foldsChildren(level, visible)) folds.push({ id: node.id, hidden: countReplies(node) });
      else walk(node.replies, level + 1);
    }
  };
  walk(nodes, 1);
  return { shown, folds };
}

/** The chain of ids from a top-level reply down to `id` (both included), or null when the tree has no such reply. */
export function pathTo(nodes: readonly TreeNode[], id: number): number[] | null {
  for (const node of nodes) {
    if (node.id === id) return [id];
    const below = pathTo(node.replies, id);
    if (below) return [node.id, ...below];
  }
  return null;
}
