import { describe, expect, it } from 'vitest';
import { devtoolsLikelyOpen, installShield, shieldSettings, shielded } from './shield.js';

describe('screen shield (best effort)', () => {
  it('guesses docked devtools from the window chrome size', () => {
    expect(devtoolsLikelyOpen({ outerWidth: 1280, innerWidth: 1280, outerHeight: 800, innerHeight: 720 })).toBe(false);
    expect(devtoolsLikelyOpen({ outerWidth: 1280, innerWidth: 900, outerHeight: 800, innerHeight: 720 })).toBe(true);
  });

  it('blurs on window blur only when the setting is on, and clears on focus', () => {
    const target = new EventTarget() as unknown as Window;
    const remove = installShield(target);
    target.dispatchEvent(new Event('blur'));
    expect(shielded.value).toBeNull();
    shieldSettings.blurOnBlur.value = true;
    target.dispatchEvent(new Event('blur'));
    expect(shielded.value).toBe('focus');
    target.dispatchEvent(new Event('focus'));
    expect(shielded.value).toBeNull();
    remove();
    shieldSettings.blurOnBlur.value = false;
  });
});
