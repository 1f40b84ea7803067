import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JoinedRooms } from './joined-rooms.js';

describe('JoinedRooms', () => {
  it('behaves as a Map for any sequence of sets and deletes', () => {
    const op = fc.oneof(
      fc.record({ set: fc.constantFrom('a', 'b', 'c', 'd'), v: fc.integer() }),
      fc.record({ del: fc.constantFrom('a', 'b', 'c', 'd') }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const j = new JoinedRooms<number>();
        const m = new Map<string, number>();
        for (const o of ops) {
          if ('set' in o) {
            j.set(o.set, o.v);
            m.set(o.set, o.v);
          } else {
            expect(j.delete(o.del)).toBe(m.delete(o.del));
          }
          expect(j.size).toBe(m.size);
          for (const k of ['a', 'b', 'c', 'd']) {
            expect(j.has(k)).toBe(m.has(k));
            expect(j.get(k)).toBe(m.get(k));
          }
          expect(new Set(j.keys())).toEqual(new Set(m.keys()));
          expect([...j.values()].sort()).toEqual([...m.values()].sort());
        }
      }),
    );
  });
});
