import { networkInterfaces } from 'node:os';
import { bannerLines } from './banner.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './log.js';
import { startRelay } from './server.js';
import { tuneV8 } from './v8-tuning.js';

/** Exit status for a bad configuration (sysexits.h EX_CONFIG). */
const EX_CONFIG = 78;
/** On top of the drain's own bound: time for the store to close before the process gives up waiting. */
const EXIT_MARGIN_MS = 3000;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`ghostwire: ${err.message}\n`);
    process.exit(EX_CONFIG);
  }
}

/** Entry point: read config, start, print where to open it, drain on SIGTERM. */
async function main(): Promise<void> {
  tuneV8();
  const config = readConfig();
  const log = createLogger(config.logLevel);
  if (config.joinTokenSecretGenerated) {
    log.warn(
      config.redis
        ? 'no join-token secret configured; using a random one for this process, so other instances on this Redis reject its tokens: set JOIN_TOKEN_SECRET'
        : 'no join-token secret configured; using a random one for this process (tokens do not survive restarts or span instances)',
    );
  }
  let relay;
  try {
    relay = await startRelay(config, { log });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE' ? `port ${config.port} is already in use; set PORT to a free one` :
      code === 'EACCES' ? `may not listen on port ${config.port}; use a port above 1023 or run behind a proxy` :
      code === 'EADDRNOTAVAIL' ? `HOST ${config.host} is not an address of this machine` :
      `could not start (${(err as Error).name}); check REDIS_URL or REDIS_CLUSTER_NODES and the store`;
    process.stderr.write(`ghostwire: ${why}.\n`);
    process.exit(1);
  }
  log.info('listening', { port: relay.port, store: relay.deps.store.kind, tls: !!config.tls });
  if (config.logLevel !== 'silent') {
    const scheme = config.tls ? 'https' : 'http';
    process.stderr.write(bannerLines({ scheme, host: config.host, port: relay.port, interfaces: networkInterfaces() }).join('\n') + '\n');
  }
  const shutdown = (signal: string) => {
    log.info('draining', { signal });
    // A drain that hangs (a wedged store) must not keep the orchestrator waiting past its own kill timer.
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs + EXIT_MARGIN_MS).unref();
    relay.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error('drain failed', { err: (err as Error).name });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
