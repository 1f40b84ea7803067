import { takeFragment } from './fragment.js';
import { pendingSecret } from './state.js';
// Before anything renders or any request leaves: read the secret and strip it from the address bar.
pendingSecret.value = takeFragment();

import 'virtual:uno.css';
import { render } from 'preact';
import { App } from './app.js';
import { installE2eGhostSeam } from './panic/e2e-seam.js';
import { installPanicTriggers } from './panic/index.js';
import { registerServiceWorker } from './sw-register.js';

// Panic triggers and the pagehide wipe are live before the first secret is held.
installPanicTriggers();
installE2eGhostSeam();
render(<App />, document.getElementById('app')!);
registerServiceWorker();
