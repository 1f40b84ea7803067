import { LocalBus } from './bus/bus.js';
import { loadConfig } from './config.js';
import type { Deps } from './deps.js';
import { createLogger } from './log.js';
import { newMetrics } from './metrics.js';
import { PowIssuer } from './pow/issuer.js';
import { MemoryStore } from './store/memory.js';
import { JoinTokens } from './tokens.js';

/** Deps for in-process tests: embedded store, silent log, a temp static dir unless given. */
export function testDeps(env: Record<string, string> = {}): Deps {
  const config = loadConfig({ STATIC_DIR: '/nonexistent-ghostwire-static', LOG_LEVEL: 'silent', POW_DIFFICULTY: '8', ...env });
  const now = Date.now;
  const store = new MemoryStore(now);
  return {
    config,
    store,
    tokens: new JoinTokens(config.joinTokenSecret),
    pow: new PowIssuer(config.joinTokenSecret, store, config.pow),
    bus: new LocalBus(),
    log: createLogger('silent'),
    metrics: newMetrics(),
    now,
  };
}
