import {
  createApplicationMessage,
  createCommit,
  createGroup,
  decodeMlsMessage,
  emptyPskIndex,
  encodeMlsMessage,
  joinGroup,
  processPrivateMessage,
  zeroOutUint8Array,
  type CiphersuiteImpl,
  type ClientState,
  type KeyPackage,
  type Proposal,
  type RatchetTree,
} from 'ts-mls';
import { unprotectPrivateMessage } from 'ts-mls/messageProtection.js';
import { randomBytes, timingSafeEqual } from '../crypto/bytes.js';
import { leafIdentity, type MlsMember } from './identity.js';
import { classifyEpoch, decodePrivate, type MlsOpenError } from './receive.js';
import { hasUnmergedLeaves, identityAt, leafIndicesOf, memberIds } from './tree.js';
import { mlsSafetyCode } from './safety-code.js';
import { clientConfig, suiteImpl } from './suite.js';
import { zeroKeySchedule, zeroState } from './wipe.js';

const GROUP_ID_BYTES = 16;

const distinctIds = (ids: readonly (string | undefined)[]): boolean => !ids.includes(undefined) && new Set(ids).size === ids.length;

/** A commit we sent and the relay has not yet ordered. Only one at a time per room. */
export interface PendingCommit {
  /** The commit as an MLSMessage (a PrivateMessage: the relay learns nothing of who is added or removed). */
  readonly commit: Uint8Array;
  /** The Welcome for added members, to send only once the commit is accepted. */
  readonly welcome: Uint8Array | undefined;
  /** The epoch the commit was built on. */
  readonly baseEpoch: bigint;
}

interface Pending {
  handle: PendingCommit;
  state: ClientState;
  consumed: Uint8Array[];
}

/** What a commit from the wire did, in relay order. */
export type ApplyResult =
  /** It was our own pending commit, echoed: we are now in its epoch. */
  | { kind: 'confirmed'; epoch: bigint }
  /** Another member's commit; `discarded` is our pending commit it beat (re-base and retry it). */
  | { kind: 'applied'; epoch: bigint; discarded: PendingCommit | undefined }
  /** It removed us: we stay readable for the epoch we were in, and read nothing after. */
  | { kind: 'removed' }
  /** Built on an epoch we have left: it lost an ordering race and changes nothing. */
  | { kind: 'stale' }
  | { kind: 'error'; error: MlsOpenError };

/** An opened application message (sender from its MLS-authenticated credential), or why it did not open. */
export type OpenResult = { ok: true; senderMemberId: string; senderHandleKey: Uint8Array; plaintext: Uint8Array; epoch: bigint } | { ok: false; error: MlsOpenError };

/**
 * One member's view of a room's MLS group (RFC 9420). Relay-agnostic: it
 * takes and returns bytes and assumes only that the relay gives every member
 * commits in one order. Our own commits are held pending until the relay
 * echoes them back (or another member's commit for the same epoch arrives
 * first, which discards ours).
 */
export class MlsRoom {
  private pending: Pending | undefined;
  private removed = false;
  private wiped = false;

  private constructor(
    private state: ClientState,
    private readonly cs: CiphersuiteImpl,
    /** Epoch our Welcome (or createGroup) put us in: nothing earlier is ours to read. */
    readonly joinedEpoch: bigint,
    /** Our member id, as in our leaf's credential. */
    readonly memberId: string,
  ) {}

  /** Starts a new group with `member` as its only leaf (the room's first member). */
  static async create(member: MlsMember): Promise<MlsRoom> {
    const cs = await suiteImpl();
    const state = await createGroup(randomBytes(GROUP_ID_BYTES), member.keyPackage, member.privatePackage, [], cs, clientConfig);
    return new MlsRoom(state, cs, state.groupContext.epoch, member.memberId);
  }

  /**
   * Joins from a Welcome sent by any current member. The ratchet tree comes in
   * the Welcome (our commits carry the ratchet_tree extension) unless given.
   */
  static async join(member: MlsMember, welcome: Uint8Array, ratchetTree?: RatchetTree): Promise<MlsRoom> {
    const cs = await suiteImpl();
    const decoded = decodeMlsMessage(welcome, 0);
    if (decoded?.[0].wireformat !== 'mls_welcome') throw new Error('not an MLS Welcome');
    const state = await joinGroup(decoded[0].welcome, member.keyPackage, member.privatePackage, emptyPskIndex, cs, ratchetTree, undefined, clientConfig);
    return new MlsRoom(state, cs, state.groupContext.epoch, member.memberId);
  }

  /** The current epoch (RFC 9420 §8): one more per accepted commit. */
  get epoch(): bigint {
    return this.state.groupContext.epoch;
  }

  /** True once a commit removed us. */
  get isRemoved(): boolean {
    return this.removed;
  }

  /** The commit waiting for the relay's order, if any. */
  get pendingCommit(): PendingCommit | undefined {
    return this.pending?.handle;
  }

  /** Member ids of every leaf in the current tree, in leaf order. */
  members(): string[] {
    return memberIds(this.state.ratchetTree);
  }

  /**
   * False while the last joiner has not committed its first update. ts-mls
   * 1.6.4 refuses, on join, a tree whose parents list different unmerged
   * leaves (it compares the lists on every ancestor for equality; RFC 9420
   * §7.9.1 asks only for membership below the listing node). An add-only
   * commit has no path, so it lists the new leaf on its non-blank ancestors:
   * one add into a tree with none listed passes, a second before the first
   * joiner's update would not.
   */
  get canAdd(): boolean {
    return !this.removed && !hasUnmergedLeaves(this.state.ratchetTree);
  }

  /**
   * Commits adding one key package (already opened with openJoinRequest); the
   * Welcome goes to it after confirm. One joiner per commit, and only when
   * `canAdd`: the joiner's first act must be selfUpdate().
   */
  async addMember(keyPackage: KeyPackage): Promise<PendingCommit> {
    if (!this.canAdd) throw new Error('the last joiner has not committed its first update yet');
    const ids = [...this.members(), leafIdentity(keyPackage.leafNode)?.memberId];
    if (!distinctIds(ids)) throw new Error('the key package has no Ghostwire identity or repeats a member id');
    return this.commit([{ proposalType: 'add', add: { keyPackage } }]);
  }

  /** Commits removing these members. Removal gives them nothing of the next epoch (RFC 9420 §12.1.3). */
  async removeMembers(ids: readonly string[]): Promise<PendingCommit> {
    if (ids.length === 0) throw new Error('nothing to remove');
    if (ids.includes(this.memberId)) throw new Error('a member cannot remove itself; leave and let another member commit');
    return this.commit(leafIndicesOf(this.state.ratchetTree, ids).map((removed): Proposal => ({ proposalType: 'remove', remove: { removed } })));
  }

  /**
   * Commits a fresh leaf key and path (post-compromise security, RFC 9420
   * §12.4). A joiner commits one first: its key package's keys were public for
   * a while, and until it does no one else can be added (see canAdd).
   */
  async selfUpdate(): Promise<PendingCommit> {
    return this.commit([]);
  }

  private async commit(extraProposals: Proposal[]): Promise<PendingCommit> {
    this.assertActive();
    if (this.pending) throw new Error('a commit is already pending: confirm or discard it first');
    const res = await createCommit({ state: this.state, cipherSuite: this.cs }, { extraProposals, ratchetTreeExtension: true });
    const handle: PendingCommit = {
      commit: encodeMlsMessage(res.commit),
      welcome: res.welcome ? encodeMlsMessage({ version: 'mls10', wireformat: 'mls_welcome', welcome: res.welcome }) : undefined,
      baseEpoch: this.epoch,
    };
    // `consumed` holds secrets the current state still uses (its init secret): zeroed only on confirm.
    this.pending = { handle, state: res.newState, consumed: res.consumed };
    return handle;
  }

  /**
   * Our pending commit was accepted (the relay ordered it): adopt its epoch.
   * Receive progress made meanwhile in the old epochs carries over, so a key
   * already used (and zeroed) is not used again.
   */
  confirm(pending: PendingCommit): void {
    const p = this.pending;
    if (p?.handle !== pending) throw new Error('not the pending commit');
    const history = new Map(p.state.historicalReceiverData);
    for (const [epoch, data] of this.state.historicalReceiverData) if (history.has(epoch)) history.set(epoch, data);
    const base = history.get(p.handle.baseEpoch);
    if (base) history.set(p.handle.baseEpoch, { ...base, secretTree: this.state.secretTree });
    this.state = { ...p.state, historicalReceiverData: history };
    p.consumed.forEach(zeroOutUint8Array);
    this.pending = undefined;
  }

  /** Drops our pending commit (the relay refused it, or another commit won the epoch). */
  discard(pending: PendingCommit): void {
    const p = this.pending;
    if (p?.handle !== pending) return;
    // Only the new epoch's key schedule is the pending state's alone; the rest is shared with the current state.
    zeroKeySchedule(p.state.keySchedule);
    this.pending = undefined;
  }

  /**
   * Processes a commit from the wire, in the relay's order. Our own pending
   * commit echoed back confirms it; another member's commit for our epoch
   * wins over our pending one, which is discarded.
   */
  async applyCommit(bytes: Uint8Array): Promise<ApplyResult> {
    this.assertNotWiped();
    if (this.pending && timingSafeEqual(bytes, this.pending.handle.commit)) {
      this.confirm(this.pending.handle);
      return { kind: 'confirmed', epoch: this.epoch };
    }
    const pm = decodePrivate(bytes);
    if (pm?.contentType !== 'commit') return { kind: 'error', error: 'malformed' };
    if (this.removed) return { kind: 'error', error: 'removed' };
    if (!timingSafeEqual(pm.groupId, this.state.groupContext.groupId)) return { kind: 'error', error: 'wrong_group' };
    if (pm.epoch < this.epoch) return { kind: 'stale' };
    if (pm.epoch > this.epoch) return { kind: 'error', error: 'epoch_future' };
    let res;
    try {
      res = await processPrivateMessage(this.state, pm, emptyPskIndex, this.cs);
    } catch {
      return { kind: 'error', error: 'forged' };
    }
    if (res.kind !== 'newState') return { kind: 'error', error: 'malformed' };
    // One leaf per member id, or the sender named by `open` would be ambiguous. Every honest member refuses alike.
    if (!distinctIds(memberIds(res.newState.ratchetTree))) return { kind: 'error', error: 'forged' };
    const discarded = this.pending?.handle;
    if (discarded) this.discard(discarded);
    if (res.newState.groupActiveState.kind === 'removedFromGroup') {
      // Keep the state of the epoch we were removed in (ts-mls would swap in the tree without us).
      this.removed = true;
      return { kind: 'removed' };
    }
    this.state = res.newState;
    res.consumed.forEach(zeroOutUint8Array);
    return { kind: 'applied', epoch: this.epoch, discarded };
  }

  /** Encrypts application bytes for the current epoch as an MLS PrivateMessage. */
  async seal(plaintext: Uint8Array): Promise<Uint8Array> {
    this.assertActive();
    const res = await createApplicationMessage(this.state, plaintext, this.cs);
    this.state = res.newState;
    res.consumed.forEach(zeroOutUint8Array);
    return encodeMlsMessage({ version: 'mls10', wireformat: 'mls_private_message', privateMessage: res.privateMessage });
  }

  /**
   * Decrypts and verifies one application message, current epoch or a kept
   * past one. The sender's member id is the one in its leaf's credential,
   * which MLS authenticates. Our own frames echoed back do not open: RFC 9420
   * deletes a sender's keys after use, so the caller matches them by the relay's ack.
   */
  async open(bytes: Uint8Array): Promise<OpenResult> {
    this.assertNotWiped();
    const pm = decodePrivate(bytes);
    if (pm?.contentType !== 'application') return { ok: false, error: 'malformed' };
    const bad = classifyEpoch(this.state, this.joinedEpoch, this.removed, pm);
    if (bad) return { ok: false, error: bad };
    const past = pm.epoch < this.epoch ? this.state.historicalReceiverData.get(pm.epoch) : undefined;
    const epochData = past ?? { ...this.state, senderDataSecret: this.state.keySchedule.senderDataSecret };
    let res;
    try {
      res = await unprotectPrivateMessage(epochData.senderDataSecret, pm, epochData.secretTree, epochData.ratchetTree, epochData.groupContext, clientConfig.keyRetentionConfig, this.cs);
    } catch {
      return { ok: false, error: 'forged' };
    }
    const sender = res.content.content.sender;
    const senderId = sender.senderType === 'member' ? identityAt(epochData.ratchetTree, sender.leafIndex) : undefined;
    if (res.content.content.contentType !== 'application' || senderId === undefined) return { ok: false, error: 'forged' };
    if (past) {
      const history = new Map(this.state.historicalReceiverData);
      history.set(pm.epoch, { ...past, secretTree: res.tree });
      this.state = { ...this.state, historicalReceiverData: history };
    } else {
      this.state = { ...this.state, secretTree: res.tree };
    }
    res.consumed.forEach(zeroOutUint8Array);
    return { ok: true, senderMemberId: senderId.memberId, senderHandleKey: senderId.handleKey, plaintext: res.content.content.applicationData, epoch: pm.epoch };
  }

  /** Six groups of five digits from this epoch's authenticator: equal for members in one group and epoch. */
  safetyCode(): Promise<string> {
    this.assertNotWiped();
    return mlsSafetyCode(this.state.keySchedule.epochAuthenticator);
  }

  /** Zeroes every secret we can reach (state and pending commit); the room is unusable after. */
  wipe(): void {
    if (this.wiped) return;
    if (this.pending) {
      this.pending.consumed.forEach(zeroOutUint8Array);
      zeroState(this.pending.state);
      this.pending = undefined;
    }
    zeroState(this.state);
    this.wiped = true;
  }

  private assertNotWiped(): void {
    if (this.wiped) throw new Error('this MLS room was wiped');
  }

  private assertActive(): void {
    this.assertNotWiped();
    if (this.removed) throw new Error('removed from this MLS group');
  }
}
