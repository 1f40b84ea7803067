import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Verdict } from './audit.js';
import type { Release } from './release.js';

/** Each check the page starts waits here until the test settles it. */
const checks: Array<(v: Verdict) => void> = [];
vi.mock('./check.js', () => ({ checkOnce: () => new Promise<Verdict>((resolve) => checks.push(resolve)) }));

const release = { manifest: { version: '0.1.0' } } as unknown as Release;
const UPDATE: Verdict = { kind: 'update', running: release, next: release };
const WARNING: Verdict = { kind: 'warning', running: release, reason: 'changed' };

/** Lets every pending promise chain run. */
const flush = () => new Promise((r) => setTimeout(r, 0));

let postMessage: ReturnType<typeof vi.fn>;
let watch: typeof import('./watch.js');

beforeEach(async () => {
  checks.length = 0;
  postMessage = vi.fn();
  const registration = { waiting: { postMessage }, addEventListener: () => undefined };
  vi.stubGlobal('navigator', { serviceWorker: { controller: null, getRegistration: () => Promise.resolve(registration), addEventListener: () => undefined } });
  vi.stubGlobal('location', { reload: vi.fn() });
  // The module keeps whether an update was accepted: each case starts from a fresh page.
  vi.resetModules();
  watch = await import('./watch.js');
});
afterEach(() => vi.unstubAllGlobals());

describe('acceptUpdate', () => {
  /** The update prompt is up and a second check is running (a new worker was found, say) when the person presses "Update". */
  async function updateShownWhileCheckRuns(): Promise<void> {
    void watch.checkRelease();
    await flush();
    checks[0]!(UPDATE);
    await flush();
    void watch.checkRelease();
    await flush();
  }

  it('asks the waiting worker to take over only once the check in flight has finished, and still finds the update', async () => {
    await updateShownWhileCheckRuns();
    const accepting = watch.acceptUpdate();
    await flush();
    expect(postMessage).not.toHaveBeenCalled();
    checks[1]!(UPDATE);
    await accepting;
    expect(postMessage.mock.calls).toEqual([[{ type: 'accept-update' }]]);
  });

  it('does not ask when the check in flight ends in a warning', async () => {
    await updateShownWhileCheckRuns();
    const accepting = watch.acceptUpdate();
    checks[1]!(WARNING);
    await accepting;
    expect(postMessage).not.toHaveBeenCalled();
    expect(watch.releaseVerdict.value.kind).toBe('warning');
  });

  it('starts no check once accepted (its requests would reach the old worker while it is retired)', async () => {
    void watch.checkRelease();
    await flush();
    checks[0]!(UPDATE);
    await watch.acceptUpdate();
    void watch.checkRelease();
    await flush();
    expect(checks).toHaveLength(1);
    expect(postMessage).toHaveBeenCalledTimes(1);
  });
});
