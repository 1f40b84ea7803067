import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { powWorkerRequestSchema } from './messages.js';
import { parseSolveRequest } from './request.js';

const reference = (v: unknown) => {
  const r = powWorkerRequestSchema.safeParse(v);
  return r.success ? r.data : null;
};

describe('parseSolveRequest', () => {
  const good = { type: 'solve', challenge: { challenge: 'abcdefghijklmnop.Q_-', difficulty: 16, subPuzzles: 16 }, index: 3 };

  it('accepts a request the schema accepts, with the same value', () => {
    expect(parseSolveRequest(good)).toEqual(reference(good));
    expect(parseSolveRequest(good)).not.toBeNull();
  });

  it('refuses what the schema refuses, at each bound', () => {
    const bad = [
      null, 'solve', {}, { ...good, type: 'stop' }, { ...good, index: -1 }, { ...good, index: 1.5 },
      { ...good, challenge: { ...good.challenge, challenge: 'short' } },
      { ...good, challenge: { ...good.challenge, challenge: 'has a space in it!!' } },
      { ...good, challenge: { ...good.challenge, challenge: 'x'.repeat(513) } },
      { ...good, challenge: { ...good.challenge, difficulty: 0 } },
      { ...good, challenge: { ...good.challenge, difficulty: 41 } },
      { ...good, challenge: { ...good.challenge, subPuzzles: 12 } },
      { ...good, challenge: { ...good.challenge, subPuzzles: 128 } },
    ];
    for (const v of bad) {
      expect(reference(v)).toBeNull();
      expect(parseSolveRequest(v)).toBeNull();
    }
  });

  it('agrees with the schema on arbitrary requests', () => {
    const req = fc.record({
      type: fc.constantFrom('solve', 'other'),
      challenge: fc.record({
        challenge: fc.oneof(fc.stringMatching(/^[\w.-]{10,20}$/), fc.string({ maxLength: 20 })),
        difficulty: fc.oneof(fc.integer({ min: -2, max: 45 }), fc.double()),
        subPuzzles: fc.oneof(fc.integer({ min: 0, max: 130 }), fc.constantFrom(1, 2, 4, 64)),
      }),
      index: fc.oneof(fc.integer({ min: -3, max: 70 }), fc.double()),
    });
    fc.assert(fc.property(fc.oneof(req, fc.anything()), (v) => {
      expect(parseSolveRequest(v)).toEqual(reference(v));
    }));
  });
});
