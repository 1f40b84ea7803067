import { beforeEach, describe, expect, it } from 'vitest';
import type { ToWorker } from '../../../sw/src/messages.js';
import { panic, resetPanicForTests, type PanicDeps } from './sequence.js';

function recorder(overrides: Partial<PanicDeps> = {}) {
  const log: string[] = [];
  const deps: PanicDeps = {
    wipeAll: () => (log.push('wipeAll'), 1),
    runRemoteDestroy: () => (log.push('destroy'), true),
    clearStorage: () => void log.push('storage'),
    lockPage: () => void log.push('lock'),
    tellWorker: (m: ToWorker) => (log.push(`worker:${m.type}`), true),
    workerWiped: async () => (log.push('worker-ack'), true),
    clearSiteData: async () => void log.push('clear-site-data'),
    blank: () => void log.push('blank'),
    ...overrides,
  };
  return { log, deps };
}

describe('panic', () => {
  beforeEach(resetPanicForTests);

  it('wipes, destroys remotely, purges the worker and blanks, in that order and synchronously', () => {
    const { log, deps } = recorder();
    void panic({}, deps);
    // Nothing awaited before blanking: all of it happened inside the call.
    expect(log).toEqual(['wipeAll', 'lock', 'destroy', 'storage', 'worker:wipe', 'blank']);
  });

  it('keeps going when a step throws', () => {
    const { log, deps } = recorder({
      wipeAll: () => {
        throw new Error('boom');
      },
    });
    void panic({}, deps);
    expect(log.at(-1)).toBe('blank');
  });

  it('runs once even if triggered twice', () => {
    const { log, deps } = recorder();
    void panic({}, deps);
    void panic({}, deps);
    expect(log.filter((s) => s === 'blank')).toHaveLength(1);
  });

  it('on a deep wipe waits for the worker and Clear-Site-Data before blanking', async () => {
    const { log, deps } = recorder();
    await panic({ deep: true }, deps);
    expect(log).toContain('worker:deep-wipe');
    expect(log.indexOf('worker-ack')).toBeLessThan(log.indexOf('blank'));
    expect(log.indexOf('clear-site-data')).toBeLessThan(log.indexOf('blank'));
  });

  it('does not wait forever for a relay that does not answer', async () => {
    const { log, deps } = recorder({ clearSiteData: () => new Promise(() => undefined) });
    await panic({ deep: true }, deps);
    expect(log.at(-1)).toBe('blank');
  });

  it('does not message the worker back when the worker relayed the panic', () => {
    const { log, deps } = recorder();
    void panic({ fromWorker: true }, deps);
    expect(log.some((s) => s.startsWith('worker:'))).toBe(false);
    expect(log.at(-1)).toBe('blank');
  });
});
