import { describe, expect, it } from 'vitest';
import { wipeAll } from '../wipe.js';
import { createBlobUrl, liveBlobUrls, revokeBlobUrl } from './blob-urls.js';

const blob = () => new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' });
const resolves = async (url: string) => fetch(url).then(() => true, () => false);

describe('blob URLs of decrypted media', () => {
  it('are revoked by the wipe registry, and tracked again afterwards', async () => {
    const a = createBlobUrl(blob());
    const b = createBlobUrl(blob());
    expect(await resolves(a)).toBe(true);
    expect(liveBlobUrls()).toBe(2);
    wipeAll();
    expect(liveBlobUrls()).toBe(0);
    expect(await resolves(a)).toBe(false);
    expect(await resolves(b)).toBe(false);
    // The registry forgets wipers after a wipe; the next URL registers again.
    const c = createBlobUrl(blob());
    wipeAll();
    expect(await resolves(c)).toBe(false);
  });

  it('revokes one URL on its own', async () => {
    const a = createBlobUrl(blob());
    revokeBlobUrl(a);
    expect(await resolves(a)).toBe(false);
    expect(liveBlobUrls()).toBe(0);
  });
});
