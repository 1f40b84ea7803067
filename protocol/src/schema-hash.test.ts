import { describe, expect, it } from 'vitest';
import { wireSchemaHash } from './schema-hash.js';
import { PROTOCOL_HISTORY, PROTOCOL_VERSION } from './version.js';

describe('wire schema hash', () => {
  it('matches the hash recorded for the current PROTOCOL_VERSION', async () => {
    const hash = await wireSchemaHash();
    const entry = PROTOCOL_HISTORY.find((h) => h.version === PROTOCOL_VERSION);
    expect(
      entry?.schemaHash,
      `The wire changed (schema hash ${hash}). Bump PROTOCOL_VERSION in protocol/src/version.ts and add a history line with schemaHash '${hash}'.`,
    ).toBe(hash);
  });

  it('keeps one history line per version, in order, ending at the current one', () => {
    expect(PROTOCOL_HISTORY.map((h) => h.version)).toEqual(PROTOCOL_HISTORY.map((_, i) => i + 1));
    expect(PROTOCOL_HISTORY.at(-1)?.version).toBe(PROTOCOL_VERSION);
  });
});
