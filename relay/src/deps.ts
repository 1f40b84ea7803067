import type { Bus } from './bus/bus.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { PowIssuer } from './pow/issuer.js';
import type { Store } from './store/store.js';
import type { JoinTokens } from './tokens.js';

/** Everything createApp needs, built once at the edge (main.ts or a test). */
export interface Deps {
  config: Config;
  store: Store;
  tokens: JoinTokens;
  pow: PowIssuer;
  /** Cross-instance fanout and ghost destruction (LocalBus with the embedded store). */
  bus: Bus;
  log: Logger;
  metrics: Metrics;
  now: () => number;
}
