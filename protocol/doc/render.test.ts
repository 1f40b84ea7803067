import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HTTP_API } from '../src/http-api.js';
import { BLOCKS, README, renderReadme } from './render.js';

describe('protocol/README.md', () => {
  it('matches what `npm run docs` generates from the schemas (run it after changing the wire)', async () => {
    const committed = readFileSync(README, 'utf8');
    expect(await renderReadme(committed), 'protocol/README.md is stale: run `npm run docs` and commit the result').toBe(committed);
  });

  it('has every generated block, every endpoint and every message type', async () => {
    const doc = readFileSync(README, 'utf8');
    for (const b of BLOCKS) expect(doc).toContain(`<!-- generated:${b} -->`);
    for (const e of HTTP_API) expect(doc).toContain(`### \`${e.method} ${e.path}\``);
    for (const t of ['join', 'frame', 'leave', 'joined', 'sent', 'presence', 'error']) expect(doc).toContain(`#### \`${t}\``);
  });

  it('fails loudly when a block marker is missing', async () => {
    await expect(renderReadme('no markers here')).rejects.toThrow(/markers of generated block/);
  });
});
