import { signal } from '@preact/signals';
import type { Workbox } from 'workbox-window';

/** True when a new version of the app shell is installed and waiting. */
export const updateReady = signal(false);
let workbox: Workbox | null = null;

/** Watches for a waiting service worker (a new shell) so the page can offer to reload into it. */
export function watchUpdates(wb: Workbox | null): void {
  workbox = wb;
  wb?.addEventListener('waiting', () => {
    updateReady.value = true;
  });
}

/** Activates the waiting worker, then reloads once it controls the page. */
export function applyUpdate(): void {
  if (!workbox) return location.reload();
  workbox.addEventListener('controlling', () => location.reload());
  workbox.messageSkipWaiting();
}
