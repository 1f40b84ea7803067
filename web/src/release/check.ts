import { z } from 'zod';
import { fetchRelease, PIN_ACTIVE, readPinText, type PinRecord } from '../../../sw/src/release-pin.js';
import { audit, type Verdict } from './audit.js';

/**
 * A query the worker's precache route does not know, so these fetches go to the network: the check
 * must see what the relay serves now, not the copy this device already trusts.
 */
const AUDIT_QUERY = 'gw-audit';

async function fetchBytes(path: string): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    const url = new URL(path, location.origin);
    url.searchParams.set(AUDIT_QUERY, '1');
    const r = await fetch(url, { cache: 'no-store', credentials: 'omit', redirect: 'error' });
    // A 404 is an answer (the file is missing): an empty body then fails the comparison.
    return new Uint8Array(await r.arrayBuffer());
  } catch {
    return null;
  }
}

const pinSchema = z.object({ manifest: z.string(), signature: z.string().nullable() });
/** Stands for a pin that is present but unreadable: audit() turns it into a warning. */
const UNREADABLE_PIN: PinRecord = { manifest: '', signature: null };

async function readPin(): Promise<PinRecord | null> {
  const text = await readPinText(caches, PIN_ACTIVE).catch(() => null);
  if (text === null) return null;
  try {
    const pin = pinSchema.safeParse(JSON.parse(text));
    return pin.success ? pin.data : UNREADABLE_PIN;
  } catch {
    return UNREADABLE_PIN;
  }
}

/** Resolves once no worker is installing (it became waiting, or redundant). */
function settled(reg: ServiceWorkerRegistration): Promise<void> {
  const w = reg.installing;
  if (!w) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (w.state === 'installing') return;
      w.removeEventListener('statechange', done);
      resolve();
    };
    w.addEventListener('statechange', done);
    done();
  });
}

/** One check: ask the browser for sw.js, let a new worker settle, then audit what the relay serves. */
export async function checkOnce(hijacked: boolean): Promise<Verdict> {
  const reg = await navigator.serviceWorker.getRegistration('/').catch(() => undefined);
  // Ask for sw.js now rather than whenever the browser gets to it, so a changed worker shows up in this check.
  if (reg) await reg.update().catch(() => undefined);
  if (reg) await settled(reg);
  const served = await fetchRelease(fetch, location.origin).catch(() => 'unreachable' as const);
  return audit({ pin: await readPin(), served, newWorker: !!(reg?.waiting || reg?.installing), hijacked, fetchBytes });
}
