import { afterEach, describe, expect, it } from 'vitest';
import { registerWipe } from '../wipe.js';
import { LOCKED_TEXT } from './locked.js';
import { installPanicTriggers } from './triggers.js';

/** Just enough of a window and document for the lifecycle handlers (no DOM library here). */
function fakeWindow() {
  const win = new EventTarget() as EventTarget & { document: unknown; location: { reload(): void }; reloads: number };
  const body = { children: [] as unknown[], replaceChildren: (...c: unknown[]) => void (body.children = c) };
  const doc = Object.assign(new EventTarget(), {
    body,
    visibilityState: 'visible',
    createElement: () => ({ setAttribute() {}, className: '', textContent: '' }),
  });
  win.document = doc;
  win.reloads = 0;
  win.location = {
    reload: () => {
      win.reloads++;
    },
  };
  return { win, body };
}

const pageEvent = (type: string, persisted: boolean) => Object.assign(new Event(type), { persisted });

describe('page lifecycle wipes', () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  it('wipes every holder and locks the page on pagehide, before a back/forward snapshot', () => {
    const { win, body } = fakeWindow();
    uninstall = installPanicTriggers(win as unknown as Window);
    let wiped = false;
    registerWipe(() => (wiped = true));
    win.dispatchEvent(pageEvent('pagehide', true));
    expect(wiped).toBe(true);
    expect(body.children).toHaveLength(1);
    expect((body.children[0] as { textContent: string }).textContent).toBe(LOCKED_TEXT);
  });

  it('reloads a page restored from the back/forward cache, and leaves a normal show alone', () => {
    const { win } = fakeWindow();
    uninstall = installPanicTriggers(win as unknown as Window);
    win.dispatchEvent(pageEvent('pageshow', false));
    expect(win.reloads).toBe(0);
    win.dispatchEvent(pageEvent('pageshow', true));
    expect(win.reloads).toBe(1);
  });
});
