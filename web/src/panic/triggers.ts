import { onWorkerMessage, tellWorker } from '../sw-register.js';
import { wipeAll } from '../wipe.js';
import { matchesHotkey, parseHotkey } from './hotkey.js';
import { lockPage } from './locked.js';
import { panic } from './sequence.js';
import { panicSettings } from './settings.js';
import { SHAKE_SENSITIVITY_THRESHOLDS, ShakeDetector } from './shake.js';

/**
 * Wires every panic trigger and the page-lifecycle wipes to one window:
 * the hotkey, a shake, optional wipe on hide/blur, a panic in another tab
 * (relayed by the worker), and the wipe on pagehide that keeps secrets out
 * of the back/forward cache. Returns a function that removes them.
 */
export function installPanicTriggers(win: Window = window): () => void {
  let shake = new ShakeDetector(SHAKE_SENSITIVITY_THRESHOLDS[panicSettings.shakeSensitivity.value]);
  const doPanic = () => void panic({ deep: panicSettings.deep.value });

  const onKey = (ev: KeyboardEvent) => {
    const hk = parseHotkey(panicSettings.hotkey.value);
    if (!hk || !matchesHotkey(ev, hk)) return;
    ev.preventDefault();
    ev.stopPropagation();
    doPanic();
  };
  const onMotion = (ev: DeviceMotionEvent) => {
    const threshold = SHAKE_SENSITIVITY_THRESHOLDS[panicSettings.shakeSensitivity.value];
    if (shake.threshold !== threshold) shake = new ShakeDetector(threshold);
    if (panicSettings.shake.value && shake.feed(ev, ev.timeStamp)) doPanic();
  };
  const onHidden = () => {
    if (panicSettings.wipeWhen.value === 'hidden' && win.document.visibilityState === 'hidden') doPanic();
  };
  const onBlur = () => {
    if (panicSettings.wipeWhen.value === 'blur') doPanic();
  };
  // Chrome keeps even no-store pages in the back/forward cache: nothing secret may be in the page when it goes in.
  const onPageHide = () => {
    wipeAll();
    lockPage(win.document);
    tellWorker({ type: 'going-away' });
  };
  // Restored from the back/forward cache: it was wiped on the way in; start afresh rather than show a husk.
  const onPageShow = (ev: PageTransitionEvent) => {
    if (!ev.persisted) return;
    lockPage(win.document);
    win.location.reload();
  };

  win.addEventListener('keydown', onKey, { capture: true });
  win.addEventListener('devicemotion', onMotion);
  win.document.addEventListener('visibilitychange', onHidden);
  win.addEventListener('blur', onBlur);
  win.addEventListener('pagehide', onPageHide);
  win.addEventListener('pageshow', onPageShow);
  const stopWorker = onWorkerMessage((msg) => {
    if (msg.type === 'panic') void panic({ deep: msg.deep, fromWorker: true });
  });
  return () => {
    win.removeEventListener('keydown', onKey, { capture: true });
    win.removeEventListener('devicemotion', onMotion);
    win.document.removeEventListener('visibilitychange', onHidden);
    win.removeEventListener('blur', onBlur);
    win.removeEventListener('pagehide', onPageHide);
    win.removeEventListener('pageshow', onPageShow);
    stopWorker();
  };
}
