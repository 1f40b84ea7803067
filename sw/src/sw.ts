/// <reference lib="webworker" />
import { cacheNames } from 'workbox-core';
import { createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CLOSE_GRACE_MS, SESSION_MARKER_CACHE, toWorkerSchema, type FromWorker, type ToWorker } from './messages.js';
import { markSessionOpen, purge, purgeCaches, sessionLeftOpen } from './purge.js';
import { fetchRelease, hasActivePin, PIN_CACHE, PIN_PENDING, promotePin, writePin } from './release-pin.js';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

/** The one cache that may persist: the current app shell, filled from the build's injected manifest. */
const SHELL = cacheNames.precache;

const windowClients = async (except?: string): Promise<WindowClient[]> =>
  (await self.clients.matchAll({ type: 'window', includeUncontrolled: true })).filter((c) => c.id !== except);

const purgeSession = (deep: boolean) => purge({ caches, idb: self.indexedDB, keep: [SHELL, PIN_CACHE], deep });

/** After a purge, a page that opened meanwhile still has a session: keep its marker. */
async function remarkIfLive(): Promise<void> {
  if ((await windowClients()).length > 0) await markSessionOpen(caches);
}

/**
 * Nothing fires when a browser is killed, so the marker of the session it
 * was running survives. The first event after a start checks it: a marker
 * with no live page means the last session never ended cleanly, so purge
 * now. A live page it controls means the worker was only stopped while idle.
 */
let startup: Promise<void> | undefined;
function startupPurge(): Promise<void> {
  startup ??= (async () => {
    if (!(await sessionLeftOpen(caches))) return;
    // Only a page this worker controls can be the session that was running when it stopped. An
    // uncontrolled page of the origin (opened bypassing the worker, or loading while it was away)
    // is new since then, so it must not keep the last session's leftovers alive (it was seen to).
    if ((await self.clients.matchAll({ type: 'window' })).length > 0) return;
    await purgeSession(false);
    await remarkIfLive();
  })().catch(() => undefined);
  return startup;
}

async function handle(msg: ToWorker, source: Client | null): Promise<void> {
  await startupPurge();
  switch (msg.type) {
    case 'hello':
      return markSessionOpen(caches);
    case 'going-away': {
      // Wipe-on-close: wait out a reload or a navigation inside the app, then purge if no page is left.
      await new Promise((r) => setTimeout(r, CLOSE_GRACE_MS));
      if ((await windowClients(source?.id)).length > 0) return;
      await purgeSession(false);
      return remarkIfLive();
    }
    case 'wipe':
    case 'deep-wipe': {
      const deep = msg.type === 'deep-wipe';
      // Every other tab of the app wipes itself too: one gesture clears the whole device-side session.
      for (const c of await windowClients(source?.id)) c.postMessage({ type: 'panic', deep } satisfies FromWorker);
      await purgeSession(deep);
      // A deep wipe answers only once the worker is unregistered: the page leaves on "wiped", and a
      // registration whose unregister had not begun by then was seen to survive the page.
      if (deep) await self.registration.unregister().catch(() => false);
      source?.postMessage({ type: 'wiped', deep } satisfies FromWorker);
      return;
    }
    case 'accept-update':
      // Only the page's "Update" button sends this, after the old code verified the new release.
      return self.skipWaiting();
    default: {
      const never: never = msg;
      return never;
    }
  }
}

self.addEventListener('message', (event) => {
  const msg = toWorkerSchema.safeParse(event.data);
  if (!msg.success) return;
  // Accepting an update must not wait behind the start-up purge's storage calls: take over at once.
  if (msg.data.type === 'accept-update') { event.waitUntil(self.skipWaiting()); return; }
  event.waitUntil(handle(msg.data, event.source instanceof Client ? event.source : null));
});

// Registered before the precache route so the start-up check rides on the very first request after a start.
self.addEventListener('fetch', (event) => event.waitUntil(startupPurge()));

// The app shell, hashed by the build: the only thing this worker ever stores.
precacheAndRoute(self.__WB_MANIFEST);

// App routes open offline from the shell. Nothing else is routed: /api/*, /ws, /signal and every other
// request go straight to the network (no respondWith), so the worker never holds a copy of them.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    allowlist: [/^\/$/, /^\/r$/, /^\/d$/, /^\/scan$/, /^\/privacy$/, /^\/farewell$/],
  }),
);

// No skipWaiting() here: a new version waits until the running (old, trusted) page has checked its
// release manifest and the person accepted (issue 14). What it was installed from is recorded as the
// pending pin, so the old page can compare it with what it checks.
self.addEventListener('install', (event) =>
  event.waitUntil(
    fetchRelease(fetch, self.location.origin)
      .then((rec) => rec && writePin(caches, PIN_PENDING, rec))
      .catch(() => undefined),
  ),
);
self.addEventListener('activate', (event) =>
  event.waitUntil(
    (async () => {
      // The very first install takes the page that installed it (there is no older code to overrule);
      // an update never claims: it activates only when accepted or when no page of the old one is left.
      const first = !(await hasActivePin(caches));
      await Promise.all([
        promotePin(caches),
        // Partitioning: on every new version, every cache but the current shell, the release pin and a
        // live session's empty marker goes. Started at once, so it sees only what existed before activation.
        purgeCaches(caches, [SHELL, PIN_CACHE, SESSION_MARKER_CACHE]),
        startupPurge(),
        first ? self.clients.claim() : null,
      ]);
    })(),
  ),
);
