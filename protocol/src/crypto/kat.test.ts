import { describe, expect, it } from 'vitest';
import { runCryptoChecks } from './kat.js';

describe('crypto checks (known-answer vectors and room properties) in Node', () => {
  it('passes every check', async () => {
    const results = await runCryptoChecks();
    expect(results.filter((r) => !r.ok)).toEqual([]);
    // The vector files were actually read: 13 AES-GCM, 12 ECDH, 3 HKDF.
    expect(results.filter((r) => r.name.startsWith('wycheproof aes-gcm'))).toHaveLength(13);
    expect(results.filter((r) => r.name.startsWith('wycheproof ecdh'))).toHaveLength(12);
    expect(results.filter((r) => r.name.startsWith('rfc5869'))).toHaveLength(3);
    expect(results.filter((r) => r.name.includes('invalid')).length).toBeGreaterThanOrEqual(16);
  });
});
