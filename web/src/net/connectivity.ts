import { signal } from '@preact/signals';

/** Whether the browser believes it is online (navigator.onLine, kept current). */
export const online = signal<boolean>(typeof navigator === 'undefined' ? true : navigator.onLine);

/**
 * Calls `nudge` whenever a retry is worth trying at once instead of waiting
 * out the backoff: the network came back, or the page became visible again
 * (phones freeze background tabs and drop their sockets).
 */
export function watchConnectivity(nudge: () => void, target: Window = window, doc: Document = document): () => void {
  const onOnline = () => {
    online.value = true;
    nudge();
  };
  const onOffline = () => {
    online.value = false;
  };
  const onVisible = () => {
    if (doc.visibilityState === 'visible') nudge();
  };
  target.addEventListener('online', onOnline);
  target.addEventListener('offline', onOffline);
  doc.addEventListener('visibilitychange', onVisible);
  return () => {
    target.removeEventListener('online', onOnline);
    target.removeEventListener('offline', onOffline);
    doc.removeEventListener('visibilitychange', onVisible);
  };
}
