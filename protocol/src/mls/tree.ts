import type { RatchetTree } from 'ts-mls';
import { leafIdentity } from './identity.js';

/** The member id in leaf `leafIndex` of a tree (leaves sit at even node indices, RFC 9420 §4.1). */
export function memberIdAt(tree: RatchetTree, leafIndex: number): string | undefined {
  const node = tree[leafIndex * 2];
  return node?.nodeType === 'leaf' ? leafIdentity(node.leaf)?.memberId : undefined;
}

/** Member ids of every non-blank leaf, in leaf order. */
export function memberIds(tree: RatchetTree): string[] {
  const out: string[] = [];
  for (let i = 0; i < tree.length; i += 2) {
    const node = tree[i];
    const id = node?.nodeType === 'leaf' ? leafIdentity(node.leaf)?.memberId : undefined;
    if (id !== undefined) out.push(id);
  }
  return out;
}

/** Leaf indices of the given member ids; throws on an id not in the tree. */
export function leafIndicesOf(tree: RatchetTree, ids: readonly string[]): number[] {
  return ids.map((id) => {
    for (let i = 0; i < tree.length; i += 2) if (memberIdAt(tree, i / 2) === id) return i / 2;
    throw new Error(`member ${id} is not in the group`);
  });
}

/** The leaf a new member will take: ts-mls fills the leftmost blank leaf, else extends the tree (RFC 9420 §12.1.1). */
export function nextFreeLeaf(tree: RatchetTree): number {
  for (let i = 0; i < tree.length; i += 2) if (tree[i] === undefined) return i / 2;
  return (tree.length + 1) / 2;
}

/**
 * The member that should commit the next add: the one whose leaf is nearest
 * the free slot (lowest common ancestor; ties to the lower leaf index). Its
 * commit path then covers every non-blank node above the new leaf, so the add
 * leaves no `unmerged_leaves` behind. That matters beyond tidiness: ts-mls
 * 1.6.4's tree validation on join wrongly refuses most trees with unmerged
 * leaves (it compares the list on every ancestor for equality, where RFC 9420
 * §7.9.1 asks only for membership between the leaf and the node), so an add
 * by any other member can produce a Welcome the joiner rejects. Every member
 * computes the same answer, so exactly one commits each add.
 */
export function designatedAdder(tree: RatchetTree): string | undefined {
  const slot = nextFreeLeaf(tree);
  let best: { id: string; height: number } | undefined;
  for (let i = 0; i < tree.length; i += 2) {
    const id = memberIdAt(tree, i / 2);
    if (id === undefined) continue;
    const height = 32 - Math.clz32(slot ^ (i / 2)); // level of the lowest common ancestor
    if (!best || height < best.height) best = { id, height };
  }
  return best?.id;
}
