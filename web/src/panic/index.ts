export { DEFAULT_PANIC_HOTKEY, matchesHotkey, parseHotkey, type Hotkey } from './hotkey.js';
export { LOCKED_TEXT, lockPage } from './locked.js';
export { DESTROY_BEACON_PATH, destroyBeacon, runRemoteDestroy, setRemoteDestroy } from './remote.js';
export { CLEAR_SITE_DATA_PATH, panic } from './sequence.js';
export { panicSettings } from './settings.js';
export { requestShakePermission, shakeNeedsPermission } from './shake.js';
export { installPanicTriggers } from './triggers.js';
