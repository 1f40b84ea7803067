import { signal } from '@preact/signals';

const inBrowser = typeof location !== 'undefined';

// The home-screen shortcut opens /r?new: the create form lives on the start page.
if (inBrowser && location.pathname === '/r' && new URLSearchParams(location.search).has('new')) history.replaceState(null, '', '/?new');

/** The current path; the app's only router state. */
export const route = signal<string>(inBrowser ? location.pathname : '/');

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route.value = new URL(path, location.origin).pathname;
}

if (inBrowser) {
  addEventListener('popstate', () => {
    route.value = location.pathname;
  });
}
