import type { RatchetTree } from 'ts-mls';
import { leafIdentity, type MlsIdentity } from './identity.js';

/** The Ghostwire identity (member id and handle key) in leaf `leafIndex`. */
export function identityAt(tree: RatchetTree, leafIndex: number): MlsIdentity | undefined {
  const node = tree[leafIndex * 2];
  return node?.nodeType === 'leaf' ? leafIdentity(node.leaf) : undefined;
}

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

/**
 * True while some parent node lists an unmerged leaf: a member was added and
 * has not yet committed (its first selfUpdate resets every node that lists it).
 */
export function hasUnmergedLeaves(tree: RatchetTree): boolean {
  return tree.some((node) => node?.nodeType === 'parent' && node.parent.unmergedLeaves.length > 0);
}
