import { deriveInviteKey, newRoomSecret } from '../crypto/derive.js';
import { createMember } from './identity.js';
import { openJoinRequest, sealJoinRequest } from './join-request.js';
import { MlsRoom, type ApplyResult, type PendingCommit } from './room.js';

/**
 * Test harness (imported only by *.test.ts): an in-memory relay that orders
 * commits and fans frames out, and the members' rooms. Not part of the engine.
 */
export class MlsSim {
  readonly rooms = new Map<string, MlsRoom>();
  readonly roomId = 'sim-room';
  private constructor(readonly inviteKey: CryptoKey) {}

  /** A fresh room secret's invite key and no members yet. */
  static async create(): Promise<MlsSim> {
    return new MlsSim(await deriveInviteKey(newRoomSecret()));
  }

  /** The room of one member; throws if it has none. */
  room(id: string): MlsRoom {
    const r = this.rooms.get(id);
    if (!r) throw new Error(`no member ${id}`);
    return r;
  }

  /** Current (not removed) members' ids. */
  live(): string[] {
    return [...this.rooms].filter(([, r]) => !r.isRemoved).map(([id]) => id);
  }

  /** The first member creates the group. */
  async start(id: string): Promise<MlsRoom> {
    const room = await MlsRoom.create(await createMember(id));
    this.rooms.set(id, room);
    return room;
  }

  /**
   * `id` asks to join with a sealed request; `via` (default: the first live
   * member) opens it and commits the add; the relay delivers it; the joiner
   * joins from the Welcome and commits its first update.
   */
  async join(id: string, via = this.live()[0] ?? ''): Promise<MlsRoom> {
    const member = await createMember(id);
    const request = await sealJoinRequest(this.inviteKey, this.roomId, id, member.keyPackageBytes);
    const kp = await openJoinRequest(this.inviteKey, this.roomId, id, request);
    if (!kp) throw new Error('join request refused');
    const pending = await this.room(via).addMember(kp);
    await this.deliverCommit(pending.commit);
    if (!pending.welcome) throw new Error('no welcome');
    const room = await MlsRoom.join(member, pending.welcome);
    this.rooms.set(id, room);
    await this.deliverCommit((await room.selfUpdate()).commit);
    return room;
  }

  /** `by` commits the removal of `ids` and the relay delivers it. */
  async remove(ids: string[], by: string): Promise<PendingCommit> {
    const pending = await this.room(by).removeMembers(ids);
    await this.deliverCommit(pending.commit);
    return pending;
  }

  /** The relay accepts a commit and sends it to every member, in order; returns what each did. */
  async deliverCommit(commit: Uint8Array, to: string[] = [...this.rooms.keys()]): Promise<Map<string, ApplyResult>> {
    const out = new Map<string, ApplyResult>();
    for (const id of to) out.set(id, await this.room(id).applyCommit(commit));
    return out;
  }
}
