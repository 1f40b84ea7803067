import { decodeMlsMessage, type ClientState, type PrivateMessage, type RatchetTree } from 'ts-mls';
import { timingSafeEqual } from '../crypto/bytes.js';
import { leafIdentity } from './identity.js';

/** Why a frame did not open. Each is a state the UI can name; none is a stack trace. */
export type MlsOpenError =
  /** Sent in an epoch before we joined: "messages from before you joined cannot be read". */
  | 'epoch_unknown'
  /** Sent in an epoch older than the ones we keep keys for (MLS_RETAINED_EPOCHS). */
  | 'epoch_expired'
  /** Sent in an epoch we have not reached: a commit is missing, so this member must resync. */
  | 'epoch_future'
  /** Did not decrypt or verify: tampered, replayed, not from a member, or our own frame echoed back. */
  | 'forged'
  /** Not an MLS private message of the expected content type. */
  | 'malformed'
  /** For another MLS group. */
  | 'wrong_group'
  /** We were removed: nothing from our removal on can be read. */
  | 'removed';

/** Decodes exactly one MLS private message from the wire, or undefined. */
export function decodePrivate(bytes: Uint8Array): PrivateMessage | undefined {
  let decoded;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch {
    return undefined;
  }
  if (decoded?.[0].wireformat !== 'mls_private_message' || decoded[1] !== bytes.length) return undefined;
  return decoded[0].privateMessage;
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
 * Sorts a frame by epoch before any decryption is tried, so the error says
 * which case it is. `joinedEpoch` is the epoch our Welcome put us in;
 * `removed` says a commit removed us.
 */
export function classifyEpoch(state: ClientState, joinedEpoch: bigint, removed: boolean, pm: PrivateMessage): MlsOpenError | undefined {
  if (!timingSafeEqual(pm.groupId, state.groupContext.groupId)) return 'wrong_group';
  const current = state.groupContext.epoch;
  // A removed member's state stays at the epoch it was removed in: frames of that epoch were sent while it was a member.
  if (removed && pm.epoch > current) return 'removed';
  if (pm.epoch < joinedEpoch) return 'epoch_unknown';
  if (pm.epoch > current) return 'epoch_future';
  if (pm.epoch < current && !state.historicalReceiverData.has(pm.epoch)) return 'epoch_expired';
  return undefined;
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
