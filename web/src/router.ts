import { signal } from '@preact/signals';

const inBrowser = typeof location !== 'undefined';

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
