import { lookalikeKey, type KeyLabel } from '../../../protocol/src/crypto/fingerprint.js';

/**
 * Every key seen in a room (ours included), by handle skeleton, for the
 * page's life of the room: a look-alike that joins after the original left
 * is caught too.
 */
export class LookalikeWatch {
  private readonly bySkeleton = new Map<string, Map<string, string>>();

  /**
   * Remembers `label`; true if another key's handle looks like this one's.
   * When the look-alike is new, `onNew` gets every fingerprint and handle
   * under the skeleton, so all of them can be marked.
   */
  note(label: KeyLabel, onNew: (fingerprints: Set<string>, handles: string[]) => void): boolean {
    const skeleton = lookalikeKey(label.handle);
    let keys = this.bySkeleton.get(skeleton);
    if (!keys) this.bySkeleton.set(skeleton, (keys = new Map<string, string>()));
    const known = keys.has(label.fingerprint);
    keys.set(label.fingerprint, label.handle);
    if (keys.size < 2) return false;
    if (!known) onNew(new Set(keys.keys()), [...keys.values()]);
    return true;
  }

  clear(): void {
    this.bySkeleton.clear();
  }
}
