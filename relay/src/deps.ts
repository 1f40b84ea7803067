import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { Store } from './store/store.js';
import type { JoinTokens } from './tokens.js';

/** Everything createApp needs, built once at the edge (main.ts or a test). */
export interface Deps {
  config: Config;
  store: Store;
  tokens: JoinTokens;
  log: Logger;
  metrics: Metrics;
  now: () => number;
}
