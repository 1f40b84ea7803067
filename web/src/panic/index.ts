export { parseHotkey } from './hotkey.js';
export { panic } from './sequence.js';
export { panicSettings } from './settings.js';
export { requestShakePermission, shakeNeedsPermission } from './shake.js';
export { installPanicTriggers } from './triggers.js';
