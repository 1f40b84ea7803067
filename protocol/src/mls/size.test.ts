import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** Generous ceiling for the engine as the PWA would ship it, minified and gzipped. */
const MAX_GZIP_BYTES = 150_000;

/**
 * ts-mls loads these only for other suites (dynamic imports behind a switch
 * on the suite); suite 1 never reaches them, so they are not counted.
 */
const OTHER_SUITES_ONLY = [
  '@hpke/chacha20poly1305',
  '@hpke/dhkem-x448',
  '@hpke/hybridkem-x-wing',
  '@hpke/ml-kem',
  '@noble/ciphers/*',
  '@noble/curves/*',
  '@noble/post-quantum/*',
];

describe('MLS engine bundle size', () => {
  it(`stays under ${String(MAX_GZIP_BYTES)} bytes minified and gzipped`, async () => {
    const out = await build({
      entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      external: OTHER_SUITES_ONLY,
      logLevel: 'silent',
    });
    const js = out.outputFiles[0]?.contents ?? new Uint8Array();
    const gz = gzipSync(js, { level: 9 }).length;
    console.log(`mls engine: ${String(js.length)} B minified, ${String(gz)} B gzip`);
    expect(gz).toBeGreaterThan(1000);
    expect(gz).toBeLessThan(MAX_GZIP_BYTES);
  });
});
