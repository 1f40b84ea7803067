import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../crypto/bytes.js';
import { deriveInviteKey, newRoomSecret } from '../crypto/derive.js';
import { createMember } from './identity.js';
import { openJoinRequest, sealJoinRequest } from './join-request.js';
import { MlsRoom } from './room.js';
import { MlsSim } from './sim.js';
import { mlsSupported } from './suite.js';

async function threeMembers(): Promise<MlsSim> {
  const sim = await MlsSim.create();
  await sim.start('a');
  await sim.join('b');
  await sim.join('c');
  return sim;
}

async function codes(sim: MlsSim, ids: string[]): Promise<string[]> {
  return Promise.all(ids.map((id) => sim.room(id).safetyCode()));
}

describe('MlsRoom', () => {
  it('runs on this platform (WebCrypto X25519 and Ed25519)', async () => {
    expect(await mlsSupported()).toBe(true);
  });

  it('delivers messages between members, naming the sender from its credential', async () => {
    const sim = await threeMembers();
    expect(sim.room('c').members()).toEqual(['a', 'b', 'c']);
    const frame = await sim.room('a').seal(utf8('hello'));
    for (const id of ['b', 'c']) {
      const res = await sim.room(id).open(frame);
      expect(res.ok && res.senderMemberId === 'a' && fromUtf8(res.plaintext)).toBe('hello');
    }
    const [a, b, c] = await codes(sim, ['a', 'b', 'c']);
    expect(a).toMatch(/^\d{5}( \d{5}){5}$/);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('gives a removed member nothing sent after its removal, given every byte on the wire', async () => {
    const sim = await threeMembers();
    const before = await sim.room('a').seal(utf8('still yours'));
    const removal = await sim.room('a').removeMembers(['c']);
    const results = await sim.deliverCommit(removal.commit);
    expect(results.get('c')).toEqual({ kind: 'removed' });
    const after = [await sim.room('a').seal(utf8('secret 1')), await sim.room('b').seal(utf8('secret 2'))];
    const update = await sim.room('b').selfUpdate();
    await sim.deliverCommit(update.commit, ['a', 'b']);
    after.push(await sim.room('a').seal(utf8('secret 3')));
    const c = sim.room('c');
    expect((await c.open(before)).ok).toBe(true); // sent while c was a member
    for (const frame of after) expect(await c.open(frame)).toEqual({ ok: false, error: 'removed' });
    expect(await c.applyCommit(update.commit)).toEqual({ kind: 'error', error: 'removed' });
    await expect(c.seal(utf8('x'))).rejects.toThrow(/removed/);
    expect(sim.room('a').members()).toEqual(['a', 'b']);
  });

  it('a member that never applied the removal commit cannot open the next epoch either', async () => {
    const sim = await threeMembers();
    const removal = await sim.room('a').removeMembers(['c']);
    await sim.deliverCommit(removal.commit, ['a', 'b']);
    const frame = await sim.room('a').seal(utf8('secret'));
    expect(await sim.room('c').open(frame)).toEqual({ ok: false, error: 'epoch_future' });
  });

  it('gives a joiner nothing sent before its join', async () => {
    const sim = await MlsSim.create();
    await sim.start('a');
    await sim.join('b');
    const early = [await sim.room('a').seal(utf8('before 1')), await sim.room('b').seal(utf8('before 2'))];
    const c = await sim.join('c');
    for (const frame of early) expect(await c.open(frame)).toEqual({ ok: false, error: 'epoch_unknown' });
    const now = await sim.room('a').seal(utf8('after'));
    expect((await c.open(now)).ok).toBe(true);
  });

  it('opens a frame sealed just before a commit when it arrives after it', async () => {
    const sim = await threeMembers();
    const late = await sim.room('a').seal(utf8('late'));
    await sim.deliverCommit((await sim.room('b').selfUpdate()).commit);
    const res = await sim.room('c').open(late);
    expect(res.ok && fromUtf8(res.plaintext)).toBe('late');
    expect(await sim.room('c').open(late)).toEqual({ ok: false, error: 'forged' }); // a replay
  });

  it('refuses join requests sealed without the invite key or for another member or room', async () => {
    const sim = await MlsSim.create();
    const joiner = await createMember('j');
    const forged = await sealJoinRequest(await deriveInviteKey(newRoomSecret()), sim.roomId, 'j', joiner.keyPackageBytes);
    expect(await openJoinRequest(sim.inviteKey, sim.roomId, 'j', forged)).toBeUndefined();
    const real = await sealJoinRequest(sim.inviteKey, sim.roomId, 'j', joiner.keyPackageBytes);
    expect(await openJoinRequest(sim.inviteKey, sim.roomId, 'k', real)).toBeUndefined();
    expect(await openJoinRequest(sim.inviteKey, 'other-room', 'j', real)).toBeUndefined();
    expect(await openJoinRequest(sim.inviteKey, sim.roomId, 'j', real)).toBeDefined();
    // Sealed correctly, but the key package names another member id than the relay's.
    const imposter = await sealJoinRequest(sim.inviteKey, sim.roomId, 'k', joiner.keyPackageBytes);
    expect(await openJoinRequest(sim.inviteKey, sim.roomId, 'k', imposter)).toBeUndefined();
  });

  it('shows different safety codes when the relay splits the group', async () => {
    const sim = await threeMembers();
    const x = await sim.room('a').selfUpdate();
    const y = await sim.room('b').selfUpdate();
    await sim.deliverCommit(x.commit, ['a', 'c']);
    await sim.deliverCommit(y.commit, ['b']);
    const [a, b, c] = await codes(sim, ['a', 'b', 'c']);
    expect(sim.room('a').epoch).toBe(sim.room('b').epoch);
    expect(c).toBe(a);
    expect(b).not.toBe(a);
    expect((await sim.room('b').open(await sim.room('a').seal(utf8('hi')))).ok).toBe(false);
  });

  it('converges when two members commit in the same epoch: the loser discards, re-bases and retries', async () => {
    const sim = await threeMembers();
    const start = sim.room('a').epoch;
    const x = await sim.room('a').selfUpdate();
    const y = await sim.room('b').removeMembers(['c']);
    // The relay orders x first, then forwards y (stale).
    const first = await sim.deliverCommit(x.commit);
    expect(first.get('a')).toEqual({ kind: 'confirmed', epoch: start + 1n });
    expect(first.get('b')).toEqual({ kind: 'applied', epoch: start + 1n, discarded: y });
    expect(first.get('c')).toMatchObject({ kind: 'applied', discarded: undefined });
    const second = await sim.deliverCommit(y.commit);
    for (const id of ['a', 'b', 'c']) expect(second.get(id)).toEqual({ kind: 'stale' });
    expect(sim.room('b').pendingCommit).toBeUndefined();
    const retry = await sim.room('b').removeMembers(['c']);
    await sim.deliverCommit(retry.commit);
    expect(sim.room('a').epoch).toBe(start + 2n);
    expect(sim.room('b').epoch).toBe(start + 2n);
    const [a, b] = await codes(sim, ['a', 'b']);
    expect(b).toBe(a);
    expect(sim.room('c').isRemoved).toBe(true);
    const frame = await sim.room('b').seal(utf8('converged'));
    expect((await sim.room('a').open(frame)).ok).toBe(true);
  });

  it('refuses to add a second leaf under a member id already in the group', async () => {
    const sim = await threeMembers();
    const twin = await createMember('b');
    await expect(sim.room('a').addMember(twin.keyPackage)).rejects.toThrow(/repeats a member id/);
  });

  it('holds the next add until the last joiner has committed its first update', async () => {
    const sim = await threeMembers();
    await sim.join('d'); // leaves a b c d
    await sim.remove(['b'], 'd'); // leaf 1 free
    const e = await createMember('e');
    const add = await sim.room('c').addMember(e.keyPackage);
    await sim.deliverCommit(add.commit);
    const joined = await MlsRoom.join(e, add.welcome ?? new Uint8Array());
    expect(joined.members()).toEqual(['a', 'e', 'c', 'd']);
    expect(sim.room('a').canAdd).toBe(false);
    await expect(sim.room('a').addMember((await createMember('f')).keyPackage)).rejects.toThrow(/first update/);
    sim.rooms.set('e', joined);
    await sim.deliverCommit((await joined.selfUpdate()).commit);
    expect(sim.room('a').canAdd).toBe(true);
    const f = await sim.join('f', 'd');
    expect(await f.safetyCode()).toBe(await joined.safetyCode());
  });

  it('refuses to work after wipe', async () => {
    const sim = await MlsSim.create();
    const a: MlsRoom = await sim.start('a');
    a.wipe();
    await expect(a.seal(utf8('x'))).rejects.toThrow(/wiped/);
  });
});
