import './csp.js';
import { takeFragment } from './fragment.js';
import { pendingDirectSecret, pendingSecret } from './state.js';
// Before anything renders or any request leaves: read the secret and strip it from the address bar.
const fragment = takeFragment();
if (location.pathname === '/d') pendingDirectSecret.value = fragment;
else pendingSecret.value = fragment;
// A new invite link opened in a tab already on /r or /d changes only the fragment (no page load): switch to it, then strip it.
addEventListener('hashchange', () => {
  const next = takeFragment();
  if (!next) return;
  if (location.pathname === '/d') pendingDirectSecret.value = next;
  else if (location.pathname === '/r') pendingSecret.value = next;
});

import 'virtual:uno.css';
import { render } from 'preact';
import { App } from './app.js';
import { watchConnectivity } from './net/connectivity.js';
import { rooms } from './state.js';
import { installShield } from './privacy/shield.js';
import { watchInstall } from './pwa/install.js';
import { installPanicTriggers } from './panic/index.js';
import { watchRelease } from './release/watch.js';
import { registerServiceWorker } from './sw-register.js';
import { forbidFormMemory } from './no-form-memory.js';

// Panic triggers and the pagehide wipe are live before the first secret is held.
installPanicTriggers();
forbidFormMemory();
const root = document.getElementById('app')!;
// index.html's first paint is the landing page's heading and tagline. On the landing page the render takes those two
// elements over (Preact reuses a container's children), so the largest paint stays the early one; any other page
// renders whole, with nothing of it left over (a diff against them would leave the heading beside the page).
if (location.pathname !== '/') root.replaceChildren();
render(<App />, root);
watchInstall();
installShield();
registerServiceWorker();
// The tripwire: the code running now checks what the relay serves before any room may open.
watchRelease();
watchConnectivity(() => rooms.value.forEach((r) => r.nudge()));
// Rooms live in this tab's memory only: a reload or close ends them, so ask first (the browser words the question).
addEventListener('beforeunload', (e) => {
  if (rooms.value.some((r) => r.connection.value.phase !== 'closed')) e.preventDefault();
});
