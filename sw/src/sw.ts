/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

// The app shell, hashed by the build: the only thing this worker ever stores.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// App routes open offline from the shell; /api, /ws and everything else go to the network, never to a cache.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    allowlist: [/^\/$/, /^\/r$/, /^\/d$/, /^\/scan$/, /^\/privacy$/, /^\/farewell$/],
  }),
);

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
