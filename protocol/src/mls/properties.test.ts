import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../crypto/bytes.js';
import { MlsSim } from './sim.js';

const MAX_MEMBERS = 8;

type Action =
  | { kind: 'join'; via: number }
  | { kind: 'leave'; who: number; by: number }
  | { kind: 'message'; from: number; late: boolean }
  | { kind: 'update'; who: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('join' as const), via: fc.nat() }),
  fc.record({ kind: fc.constant('leave' as const), who: fc.nat(), by: fc.nat() }),
  fc.record({ kind: fc.constant('message' as const), from: fc.nat(), late: fc.boolean() }),
  fc.record({ kind: fc.constant('update' as const), who: fc.nat() }),
);

interface Sent {
  frame: Uint8Array;
  text: string;
  from: string;
  /** Who was a member (other than the sender) when it was sent: each must read it. */
  readers: string[];
}

const pick = <T>(xs: readonly T[], n: number): T => xs[n % xs.length] as T;

describe('MlsRoom (property tests, fast-check)', () => {
  it('keeps every current member on one epoch, reading every message sent while it was a member', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 4, maxLength: 14 }), async (actions) => {
        const sim = await MlsSim.create();
        await sim.start('m0');
        let next = 1;
        let late: Sent[] = [];
        const deliver = async (msg: Sent): Promise<void> => {
          for (const id of msg.readers) {
            const res = await sim.room(id).open(msg.frame);
            expect(res.ok && res.senderMemberId === msg.from && fromUtf8(res.plaintext), `${id} reads ${msg.text}`).toBe(msg.text);
          }
        };
        const afterCommit = async (): Promise<void> => {
          for (const msg of late) await deliver(msg);
          late = [];
        };
        for (const a of actions) {
          const live = sim.live();
          if (a.kind === 'join' && live.length < MAX_MEMBERS) {
            await sim.join(`m${String(next++)}`, pick(live, a.via));
            await afterCommit();
          } else if (a.kind === 'leave' && live.length > 1) {
            const who = pick(live, a.who);
            const others = live.filter((id) => id !== who);
            await sim.remove([who], pick(others, a.by));
            await afterCommit();
          } else if (a.kind === 'update') {
            await sim.deliverCommit((await sim.room(pick(live, a.who)).selfUpdate()).commit);
            await afterCommit();
          } else if (a.kind === 'message') {
            const from = pick(live, a.from);
            const text = `msg ${String(a.from)} at ${String(sim.room(from).epoch)}`;
            const msg = { frame: await sim.room(from).seal(utf8(text)), text, from, readers: live.filter((id) => id !== from) };
            if (a.late) late.push(msg);
            else await deliver(msg);
          }
        }
        await afterCommit();
        const live = sim.live();
        const epochs = new Set(live.map((id) => sim.room(id).epoch));
        const codes = new Set(await Promise.all(live.map((id) => sim.room(id).safetyCode())));
        expect(epochs.size).toBe(1);
        expect(codes.size).toBe(1);
        for (const id of live) expect(sim.room(id).members().sort()).toEqual([...live].sort());
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
