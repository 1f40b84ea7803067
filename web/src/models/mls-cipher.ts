import type { KeyPackage } from 'ts-mls';
import { ErrorCode } from '../../../protocol/src/codes.js';
import { concatBytes, fromBase64url, fromUtf8, toBase64url, utf8 } from '../../../protocol/src/crypto/bytes.js';
import { encodeMessage, splitMessage } from '../../../protocol/src/crypto/chunk.js';
import { deriveInviteKey, type RoomKeys } from '../../../protocol/src/crypto/derive.js';
import { labelForKey, type KeyLabel } from '../../../protocol/src/crypto/fingerprint.js';
import { RoomInbox, type InboxResult, type OutgoingMessage } from '../../../protocol/src/crypto/room-codec.js';
import { maxContentBytes, open, seal } from '../../../protocol/src/crypto/seal.js';
import type { Ranges } from '../../../protocol/src/crypto/streams.js';
import { createMember, MlsRoom, openJoinRequest, sealJoinRequest, type MlsMember, type PendingCommit } from '../../../protocol/src/mls/index.js';
import type { ClientMessage } from '../../../protocol/src/client-message.js';
import type { ServerMessage } from '../../../protocol/src/server-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import type { RoomCipher } from './room-cipher.js';
import type { RoomState } from './room-state.js';

/** Inside the room-key layer, what a frame carries. */
const KIND_APP = 1;
const KIND_JOIN = 2;
/** An MLS PrivateMessage's bytes beyond its plaintext (header, sender data, signature, tag, padding to 256): measured at ≤ 150 + 255. */
export const MLS_FRAME_OVERHEAD = 512;
/** How often a joiner asks again until a member adds it. */
const JOIN_RETRY_MS = 2_000;
/** A member whose socket is gone this long (and who did not come back under a new member id) is removed from the group. */
export const MLS_REMOVE_AFTER_MS = 8_000;
/** How often each member re-keys its own leaf in a long-lived room. */
const MLS_REKEY_MS = 10 * 60_000;
/**
 * A joiner that has waited this long, while every other member present has
 * itself asked to join within the same span, concludes nobody in the group is
 * left (they all went while joiners waited) and, if its member id sorts first,
 * starts the group anew. Members of the old group are gone, so nothing of it
 * is lost that anyone present could read.
 */
export const MLS_ORPHAN_AFTER_MS = 3 * JOIN_RETRY_MS;
/** Commit refs live above the outbox's frame refs. */
const COMMIT_REF_BASE = 2 ** 30;

/** Shown once when frames come from a group epoch we never reached: a commit did not reach us. */
export const BEHIND_NOTICE = 'Messages are arriving that this device cannot open: a change to the group did not reach it (the relay may be holding it back). Compare safety codes with the others; leaving and opening the link again puts you back in.';

export const BEFORE_JOIN_NOTICE = 'Messages from before you joined cannot be read: each member can read only what was sent while it was in the room. Ask the others to repeat what you need.';

/** Shown from asking to join until the group has added us (a member online does it within moments). */
export const JOINING_NOTICE = 'Joining the group: a member\'s device is letting you in. What you write now is sent once you are in. If this stays, ask someone in the room to open it.';

/** What the MLS cipher needs from its room: a way to send and a way to show state. */
export interface MlsLink {
  send(msg: ClientMessage): boolean;
  update(patch: Partial<RoomState>): void;
}

type Intent = { kind: 'genesis' } | { kind: 'update' } | { kind: 'remove'; ids: string[] } | { kind: 'add'; from: string };

/**
 * A room whose content keys come from an MLS group (RFC 9420, protocol/src/mls):
 * the link is an invitation (its invite key seals join requests), the relay
 * orders commits, and every part is an MLS application message whose sender
 * the group authenticates. The room key from the link only wraps frames to
 * one size and hides MLS headers (epochs, kinds) from the relay.
 *
 * Who acts: the first live leaf in tree order adds joiners and removes
 * members whose socket stayed gone, so members do not race each other for
 * every change (a race that still happens loses at the relay and is retried).
 */
export class MlsCipher implements RoomCipher {
  readonly self: Promise<KeyLabel>;
  readonly safetyCode: Promise<string>;
  private readonly inbox: RoomInbox;
  private readonly inviteKey: Promise<CryptoKey>;
  private readonly handleKey: Uint8Array<ArrayBuffer>;
  private room: MlsRoom | undefined;
  private member: MlsMember | undefined;
  private relayId: string | undefined;
  private readonly ownIds = new Set<string>();
  /** The relay's epoch as far as we have applied its commits: our next commit is made in it. */
  private relayEpoch = 0;
  /** The highest epoch the relay has told us of (a stale_epoch answer can arrive before the commit that won). */
  private seenEpoch = 0;
  private pending: { intent: Intent; handle: PendingCommit; ref: number } | undefined;
  private needUpdate = false;
  private nextRef = COMMIT_REF_BASE;
  /** Relay member id → the leaf id it acts for (learned from join requests and MLS-authenticated messages). */
  private readonly leafOf = new Map<string, string>();
  /** Leaves whose socket left, and when they are due for removal. */
  private readonly gone = new Map<string, number>();
  private readonly requests = new Map<string, KeyPackage>();
  /** Relay member ids present now (not us), and since when. */
  private readonly present = new Map<string, number>();
  /** Relay member id → when it last asked to join (well-formed or not: it is not in the group). */
  private readonly asked = new Map<string, number>();
  private waitingSince = 0;
  /** Relay member id → handle and colour, from the leaf that signed its messages. */
  private readonly labels = new Map<string, KeyLabel>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Steps queued or running in `serial`. */
  private busy = 0;
  private joinTimer: ReturnType<typeof setInterval> | undefined;
  private actTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly rekeyTimer: ReturnType<typeof setInterval>;
  private ready!: Promise<void>;
  private markReady!: () => void;
  private toldBeforeJoin = false;
  /** The last notice this cipher showed, so the joining notice is cleared only while it is still the one on screen. */
  private told: string | null = null;
  private toldBehind = false;
  private wiped = false;
  /** Our commits that lost their epoch to another member's and were made again. */
  staleRetries = 0;
  /** Commits from the wire that did not apply, by reason (diagnostics; a member that misses one is out of step). */
  readonly faults = new Map<string, number>();

  constructor(
    private readonly keys: RoomKeys,
    secret: Uint8Array<ArrayBuffer>,
    private readonly link: MlsLink,
  ) {
    this.inbox = new RoomInbox(keys.contentKey, keys.roomId);
    this.inviteKey = deriveInviteKey(secret);
    this.handleKey = crypto.getRandomValues(new Uint8Array(32));
    this.self = labelForKey(this.handleKey);
    this.safetyCode = Promise.resolve('');
    this.resetReady();
    this.rekeyTimer = setInterval(() => void this.rekey(), MLS_REKEY_MS);
    // In Node (tests, bots) the re-key alone must not keep a process alive; browsers have no unref.
    (this.rekeyTimer as { unref?: () => void }).unref?.();
  }

  /**
   * Commits a fresh leaf key (post-compromise security): what was learnt of
   * our keys before it reads nothing after. Runs every MLS_REKEY_MS too.
   */
  rekey(): Promise<void> {
    return this.serial(async () => {
      this.needUpdate = true;
      await this.act();
    });
  }

  /** Epoch of the group as the relay counts it. */
  get epoch(): number {
    return this.relayEpoch;
  }

  /** The MLS epoch our group state is in, and the one we joined in (undefined before we are in a group). */
  get groupEpochs(): { now: number; joined: number } | undefined {
    return this.room ? { now: Number(this.room.epoch), joined: Number(this.room.joinedEpoch) } : undefined;
  }

  /** The group's members (leaf ids), or none before we are in it. */
  groupMembers(): string[] {
    return this.room?.members() ?? [];
  }

  private resetReady(): void {
    this.ready = new Promise((r) => (this.markReady = r));
  }

  /** Serialises everything that touches the group: frames and handshakes in the order the relay gave them. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    this.busy++;
    const step = (): Promise<T> => fn().finally(() => this.busy--);
    const run = this.queue.then(step, step).catch((e: unknown) => {
      // A wipe zeroes the group's keys under a step in flight. What it throws then is not news, and the
      // session is gone: the step never settles (and is collected with the cipher) rather than reject unheard.
      if (this.wiped) return new Promise<T>(() => undefined);
      throw e;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** True when no commit of ours is in flight or owed (tests wait for it before racing). */
  get settled(): boolean {
    return this.busy === 0 && !this.pending && !this.needUpdate && !this.room?.pendingCommit && this.seenEpoch === this.relayEpoch;
  }

  async seal(member: string, out: OutgoingMessage): Promise<Uint8Array<ArrayBuffer>[]> {
    await this.ready;
    return this.serial(async () => {
      const room = this.room;
      if (!room) throw new Error('not in the group');
      const bytes = encodeMessage(out.meta, out.attachment);
      const id = utf8(member);
      const parts = splitMessage(out.messageId, out.order, bytes, maxContentBytes(out.bucket) - 1 - MLS_FRAME_OVERHEAD - 1 - id.length);
      bytes.fill(0);
      const frames: Uint8Array<ArrayBuffer>[] = [];
      for (const body of parts) frames.push(await this.appFrame(room, member, body, out.bucket));
      return frames;
    });
  }

  private async appFrame(room: MlsRoom, member: string, body: Uint8Array, bucket: 'chat' | 'media' = 'chat'): Promise<Uint8Array<ArrayBuffer>> {
    const id = utf8(member);
    const plain = concatBytes(new Uint8Array([id.length]), id, body);
    const pm = await room.seal(plain);
    plain.fill(0);
    return seal(this.keys.contentKey, this.keys.roomId, concatBytes(new Uint8Array([KIND_APP]), pm), bucket);
  }

  receive(from: string, frame: Uint8Array<ArrayBuffer>): Promise<InboxResult> {
    return this.serial(() => this.receiveNow(from, frame));
  }

  private async receiveNow(from: string, frame: Uint8Array<ArrayBuffer>): Promise<InboxResult> {
    let inner: Uint8Array<ArrayBuffer>;
    try {
      inner = await open(this.keys.contentKey, this.keys.roomId, frame);
    } catch {
      return { status: 'dropped', reason: 'not sealed for this room' };
    }
    if (inner[0] === KIND_JOIN) {
      await this.onJoinRequest(from, inner.subarray(1));
      return { status: 'dropped', reason: 'join request' };
    }
    if (inner[0] !== KIND_APP) return { status: 'dropped', reason: 'unknown kind' };
    // Our own frames from a backlog replay: sent under an earlier member id, and MLS does not open its own.
    if (this.ownIds.has(from)) return { status: 'dropped', reason: 'our own' };
    if (!this.room) return this.beforeJoin();
    const r = await this.room.open(inner.subarray(1));
    if (!r.ok) {
      if (r.error === 'epoch_unknown') return this.beforeJoin();
      if (r.error === 'epoch_future' && !this.toldBehind) {
        this.toldBehind = true;
        this.tell(BEHIND_NOTICE);
      }
      if (r.error === 'forged') return { status: 'forged', memberId: from, reason: 'bad-signature' };
      return { status: 'dropped', reason: r.error };
    }
    const p = r.plaintext;
    const idLen = p[0] ?? 0;
    const claimed = fromUtf8(p.subarray(1, 1 + idLen));
    // The relay says `from`; the group says which leaf signed, and the leaf says which member id it sends as.
    if (claimed !== from) return { status: 'forged', memberId: from, reason: 'key-mismatch' };
    this.bind(from, r.senderMemberId);
    const body = p.slice(1 + idLen);
    if (body.length === 0) return { status: 'dropped', reason: 'bind' };
    const label = await labelForKey(new Uint8Array(r.senderHandleKey));
    this.labels.set(from, label);
    return this.inbox.receivePart(from, { memberId: from, ...label }, body);
  }

  private beforeJoin(): InboxResult {
    if (!this.toldBeforeJoin) {
      this.toldBeforeJoin = true;
      this.tell(BEFORE_JOIN_NOTICE);
    }
    return { status: 'dropped', reason: 'before our join' };
  }

  private bind(relayId: string, leaf: string): void {
    this.leafOf.set(relayId, leaf);
    if (this.gone.delete(leaf)) this.schedule(0);
  }

  /**
   * Which leaves have no socket present: a leaf is live while a present relay
   * member id is (or was bound to) it. Learnt from the present list, not from
   * leave events, so a member who joined after others left knows them gone too.
   */
  private refreshGone(now: number): void {
    const room = this.room;
    if (!room) return;
    const live = new Set([room.memberId]);
    for (const id of this.present.keys()) live.add(this.leafOf.get(id) ?? id);
    const leaves = room.members();
    for (const leaf of leaves) {
      if (live.has(leaf)) this.gone.delete(leaf);
      else if (!this.gone.has(leaf)) this.gone.set(leaf, now + MLS_REMOVE_AFTER_MS);
    }
    for (const leaf of [...this.gone.keys()]) if (!leaves.includes(leaf)) this.gone.delete(leaf);
  }

  /** Handshake traffic and membership news from the relay, in its order. */
  onServer(msg: ServerMessage): Promise<void> {
    return this.serial(() => this.onServerNow(msg));
  }

  private async onServerNow(msg: ServerMessage): Promise<void> {
    if (this.wiped) return;
    switch (msg.type) {
      case 'joined':
        this.relayId = msg.member;
        this.ownIds.add(msg.member);
        this.relayEpoch = msg.epoch;
        this.seenEpoch = msg.epoch;
        this.pending = undefined;
        this.present.clear();
        for (const id of msg.members) this.present.set(id, Date.now());
        if (this.room && !this.room.isRemoved) {
          // Back after a reconnect: tell the group our new member id (a bind), from our leaf.
          const stuck = this.room.pendingCommit;
          if (stuck) this.room.discard(stuck);
          await this.sendBind();
        } else if (msg.members.length === 0) {
          await this.startGroup();
        } else {
          await this.startJoining();
        }
        return this.act();
      case 'presence': {
        if (msg.event === 'join') this.present.set(msg.member, Date.now());
        if (msg.event === 'leave') {
          this.present.delete(msg.member);
          this.asked.delete(msg.member);
          this.requests.delete(msg.member);
        }
        return this.act();
      }
      case 'committed':
        if (this.pending?.ref !== msg.ref || !this.room) return;
        this.relayEpoch = msg.epoch;
        this.seenEpoch = Math.max(this.seenEpoch, msg.epoch);
        this.room.confirm(this.pending.handle);
        await this.afterCommit(this.pending.intent);
        this.pending = undefined;
        return this.act();
      case 'error': {
        const lost = this.pending;
        if (msg.code !== ErrorCode.StaleEpoch || !lost || lost.ref !== msg.ref) return;
        if (msg.epoch !== undefined) this.seenEpoch = Math.max(this.seenEpoch, msg.epoch);
        this.room?.discard(lost.handle);
        if (lost.intent.kind === 'genesis') {
          // Someone else started the group first: ask it to add us instead.
          this.pending = undefined;
          this.room?.wipe();
          this.room = undefined;
          return this.startJoining();
        }
        if (lost.intent.kind === 'update') this.needUpdate = true;
        this.staleRetries++;
        this.pending = undefined;
        // The winning commit reaches us too, and applying it acts again (act waits for it).
        return;
      }
      case 'commit':
        this.relayEpoch = Math.max(this.relayEpoch, msg.epoch + 1);
        this.seenEpoch = Math.max(this.seenEpoch, this.relayEpoch);
        return this.onCommit(msg.data, msg.welcome);
      default:
        return;
    }
  }

  private async onCommit(data: string, welcome: string | undefined): Promise<void> {
    if (!this.room) {
      if (!welcome || !this.member) return;
      try {
        this.room = await MlsRoom.join(this.member, fromBase64url(welcome));
      } catch {
        return; // a Welcome for another joiner
      }
      clearInterval(this.joinTimer);
      this.joinTimer = undefined;
      this.needUpdate = true;
      await this.showCode();
      return this.act();
    }
    const r = await this.room.applyCommit(fromBase64url(data));
    if (r.kind === 'error' || r.kind === 'stale') this.faults.set(r.kind === 'error' ? r.error : 'stale', (this.faults.get(r.kind === 'error' ? r.error : 'stale') ?? 0) + 1);
    if (r.kind === 'removed') {
      this.faults.set('removed', (this.faults.get('removed') ?? 0) + 1);
      // The group removed us (our socket was gone too long): ask to be added again, as a new leaf.
      this.room.wipe();
      this.room = undefined;
      this.pending = undefined;
      this.resetReady();
      if (this.relayId) await this.startJoining();
      return;
    }
    if (r.kind === 'applied') {
      if (r.discarded && this.pending?.handle === r.discarded) {
        // Another member's commit for our epoch came before the relay's stale_epoch answer to ours.
        if (this.pending.intent.kind === 'update') this.needUpdate = true;
        this.staleRetries++;
        this.pending = undefined;
      }
      await this.showCode();
      return this.act();
    }
  }

  private async startGroup(): Promise<void> {
    clearInterval(this.joinTimer);
    this.joinTimer = undefined;
    this.member = await createMember(this.relayId!, this.handleKey);
    this.room = await MlsRoom.create(this.member);
    this.commit({ kind: 'genesis' }, await this.room.selfUpdate());
  }

  private tell(notice: string | null): void {
    this.told = notice;
    this.link.update({ notice });
  }

  private async startJoining(): Promise<void> {
    this.tell(JOINING_NOTICE);
    this.member = await createMember(this.relayId!, this.handleKey);
    clearInterval(this.joinTimer);
    this.waitingSince = Date.now();
    const ask = async (): Promise<void> => {
      if (this.room || !this.member) return;
      if (this.orphaned()) {
        clearInterval(this.joinTimer);
        this.joinTimer = undefined;
        return this.serial(async () => {
          if (this.room || this.wiped || this.pending) return;
          await this.startGroup();
        });
      }
      const sealed = await sealJoinRequest(await this.inviteKey, this.keys.roomId, this.member.memberId, this.member.keyPackageBytes);
      const frame = await seal(this.keys.contentKey, this.keys.roomId, concatBytes(new Uint8Array([KIND_JOIN]), sealed));
      this.link.send({ v: PROTOCOL_VERSION, type: 'frame', room: this.keys.roomId, ref: this.nextRef++, data: toBase64url(frame) });
    };
    this.joinTimer = setInterval(() => void ask(), JOIN_RETRY_MS);
    await ask();
  }

  /**
   * True when we have waited MLS_ORPHAN_AFTER_MS, every other member present
   * has been here that long and asked to join within it (so none is in the
   * group), and our member id sorts first among us: the one to start anew.
   * A relay that hides members can make this true, as it could split the
   * group anyway: the safety codes then differ.
   */
  private orphaned(): boolean {
    const now = Date.now();
    const since = now - MLS_ORPHAN_AFTER_MS;
    if (!this.relayId || this.waitingSince > since) return false;
    for (const [id, at] of this.present) {
      if (at > since || (this.asked.get(id) ?? 0) < since) return false;
      if (id < this.relayId) return false;
    }
    return true;
  }

  private async onJoinRequest(from: string, sealed: Uint8Array): Promise<void> {
    this.asked.set(from, Date.now());
    if (!this.room || this.room.members().includes(from)) return;
    const kp = await openJoinRequest(await this.inviteKey, this.keys.roomId, from, sealed);
    if (!kp) {
      this.tell('Someone without this room\'s invite link tried to join, and was not let in.');
      return;
    }
    this.leafOf.set(from, from);
    this.requests.set(from, kp);
    return this.act();
  }

  /** The member who acts for the group now: the first leaf whose socket is not gone. */
  private actor(): string | undefined {
    return this.room?.members().find((id) => !this.gone.has(id));
  }

  private schedule(ms: number): void {
    clearTimeout(this.actTimer);
    this.actTimer = setTimeout(() => void this.serial(() => this.act()), ms);
  }

  /** Makes the next commit this member owes the group, if any and none is in flight. */
  private async act(): Promise<void> {
    const room = this.room;
    if (this.wiped || !room || room.isRemoved || this.pending || room.pendingCommit) return;
    const now = Date.now();
    this.refreshGone(now);
    // A commit we have not applied yet won an epoch: one made now would be built on the old group.
    if (this.seenEpoch > this.relayEpoch) return;
    if (this.needUpdate) {
      this.needUpdate = false;
      this.commit({ kind: 'update' }, await room.selfUpdate());
      return;
    }
    if (this.actor() !== room.memberId) return;
    const due = [...this.gone].filter(([id, at]) => at <= now && id !== room.memberId && room.members().includes(id)).map(([id]) => id);
    if (due.length) {
      this.commit({ kind: 'remove', ids: due }, await room.removeMembers(due));
      return;
    }
    // A request whose sender a commit has added since (another member's, or ours, confirmed after the sender asked again) is done.
    for (const id of this.requests.keys()) if (room.members().includes(id)) this.requests.delete(id);
    const [from, kp] = [...this.requests][0] ?? [];
    if (from && kp && room.canAdd) {
      this.requests.delete(from);
      this.commit({ kind: 'add', from }, await room.addMember(kp));
      return;
    }
    const next = Math.min(...[...this.gone.values()]);
    if (Number.isFinite(next)) this.schedule(Math.max(0, next - now));
  }

  private commit(intent: Intent, handle: PendingCommit): void {
    const ref = this.nextRef++;
    this.pending = { intent, handle, ref };
    const sent = this.link.send({
      v: PROTOCOL_VERSION,
      type: 'commit',
      room: this.keys.roomId,
      ref,
      epoch: this.relayEpoch,
      data: toBase64url(handle.commit),
      ...(handle.welcome ? { welcome: toBase64url(handle.welcome) } : {}),
    });
    if (!sent) {
      this.room?.discard(handle);
      this.pending = undefined;
      if (intent.kind === 'update') this.needUpdate = true;
    }
  }

  private async afterCommit(intent: Intent): Promise<void> {
    if (intent.kind === 'genesis' || intent.kind === 'update') {
      this.markReady();
      if (this.told === JOINING_NOTICE) this.tell(null);
    }
    await this.showCode();
  }

  private async sendBind(): Promise<void> {
    if (!this.room || !this.relayId) return;
    const frame = await this.appFrame(this.room, this.relayId, new Uint8Array(0));
    this.link.send({ v: PROTOCOL_VERSION, type: 'frame', room: this.keys.roomId, ref: this.nextRef++, data: toBase64url(frame) });
  }

  private async showCode(): Promise<void> {
    if (this.room && !this.room.isRemoved) this.link.update({ safetyCode: await this.room.safetyCode() });
  }

  async joined(): Promise<void> {
    // Handled in onServer('joined'): the group needs the member list and epoch too.
  }

  missing(only?: string): Map<string, Ranges> {
    return this.inbox.missing(only);
  }

  handleOf(member: string): string | undefined {
    return this.labels.get(member)?.handle;
  }

  sweep(): void {
    this.inbox.sweep();
  }

  clear(): void {
    this.wiped = true;
    clearInterval(this.joinTimer);
    clearTimeout(this.actTimer);
    clearInterval(this.rekeyTimer);
    this.room?.wipe();
    this.room = undefined;
    this.member = undefined;
    this.requests.clear();
    this.gone.clear();
    this.present.clear();
    this.asked.clear();
    this.leafOf.clear();
    this.labels.clear();
    this.inbox.clear();
    this.handleKey.fill(0);
  }
}
