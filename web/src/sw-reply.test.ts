import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromWorkerSchema } from '../../sw/src/messages.js';
import { parseFromWorker } from './sw-reply.js';

describe('parseFromWorker', () => {
  it('accepts what fromWorkerSchema accepts, with the same value', () => {
    for (const m of [{ type: 'wiped', deep: false }, { type: 'wiped', deep: true }, { type: 'panic', deep: true }, { type: 'panic', deep: false, extra: 1 }]) {
      expect(parseFromWorker(m)).toEqual(fromWorkerSchema.parse(m));
    }
  });

  it('refuses what fromWorkerSchema refuses', () => {
    for (const m of [null, undefined, 'panic', 1, [], {}, { type: 'panic' }, { type: 'wiped', deep: 'yes' }, { type: 'hello' }, { type: 'PANIC', deep: true }]) {
      expect(fromWorkerSchema.safeParse(m).success).toBe(false);
      expect(parseFromWorker(m)).toBeNull();
    }
  });

  it('agrees with fromWorkerSchema on arbitrary values', () => {
    const near = fc.record({ type: fc.constantFrom('wiped', 'panic', 'hello', 'deep-wipe'), deep: fc.oneof(fc.boolean(), fc.integer(), fc.string()) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(near, fc.anything()), (v) => {
        const ref = fromWorkerSchema.safeParse(v);
        expect(parseFromWorker(v)).toEqual(ref.success ? ref.data : null);
      }),
    );
  });
});
