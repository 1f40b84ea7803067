import { networkInterfaces } from 'node:os';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startRelay } from './server.js';

/** Entry point: read config, start, print where to open it, drain on SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ghostwire: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  if (config.joinTokenSecretGenerated) {
    log.warn('no join-token secret configured; using a random one for this process (tokens do not survive restarts or span instances)');
  }
  const relay = await startRelay(config, { log });
  log.info('listening', { port: relay.port, store: relay.deps.store.kind });
  if (config.logLevel !== 'silent') {
    const lines = [`  Ghostwire relay ready`, `  Local:   ${relay.url}/`];
    if (config.host === '0.0.0.0' || config.host === '::') {
      for (const addrs of Object.values(networkInterfaces())) {
        for (const a of addrs ?? []) {
          if (a.family === 'IPv4' && !a.internal) lines.push(`  Network: http://${a.address}:${relay.port}/`);
        }
      }
    }
    process.stderr.write(lines.join('\n') + '\n');
  }
  const shutdown = (signal: string) => {
    log.info('draining', { signal });
    void relay.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
