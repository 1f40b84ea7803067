import { takeFragment } from './fragment.js';
import { pendingDirectSecret, pendingSecret } from './state.js';
// Before anything renders or any request leaves: read the secret and strip it from the address bar.
const fragment = takeFragment();
if (location.pathname === '/d') pendingDirectSecret.value = fragment;
else pendingSecret.value = fragment;

import 'virtual:uno.css';
import { render } from 'preact';
import { App } from './app.js';
import { registerServiceWorker } from './sw-register.js';

render(<App />, document.getElementById('app')!);
registerServiceWorker();
