import { Workbox } from 'workbox-window';

/** Registers the service worker that caches the app shell only (see sw/src/sw.ts). */
export function registerServiceWorker(): Workbox | null {
  if (!('serviceWorker' in navigator)) return null;
  const wb = new Workbox('/sw.js', { scope: '/', type: 'classic' });
  void wb.register().catch(() => undefined);
  return wb;
}
