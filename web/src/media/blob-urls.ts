import { registerWipe } from '../wipe.js';

/**
 * Every blob URL of decrypted media, so one wipe revokes them all: after
 * revocation the URL no longer resolves, even from devtools. The bytes may
 * linger in freed memory until the engine reuses it (best effort).
 */
const urls = new Set<string>();
let unregister: (() => void) | null = null;

/** Creates a blob URL and tracks it for wipe. */
export function createBlobUrl(blob: Blob): string {
  const url = URL.createObjectURL(blob);
  urls.add(url);
  // The wipe registry forgets its wipers after a wipe; register again on the next use.
  unregister ??= registerWipe(() => {
    unregister = null;
    revokeAllBlobUrls();
  });
  return url;
}

/** Revokes one tracked blob URL (a read-once image after viewing, a message removed). */
export function revokeBlobUrl(url: string | undefined): void {
  if (!url || !urls.delete(url)) return;
  URL.revokeObjectURL(url);
}

/** Revokes every tracked blob URL; returns how many. */
export function revokeAllBlobUrls(): number {
  const n = urls.size;
  for (const url of urls) URL.revokeObjectURL(url);
  urls.clear();
  return n;
}

/** How many blob URLs are live (the Privacy page and tests read it). */
export const liveBlobUrls = (): number => urls.size;
