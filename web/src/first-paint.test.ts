import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const html = readFileSync(new URL('../index.html', import.meta.url), 'utf8');
const landing = readFileSync(new URL('./pages/landing.tsx', import.meta.url), 'utf8');

describe('the first paint in index.html', () => {
  it('is the landing page’s own first elements, word for word, so the render puts the same in the same place', () => {
    const shell = /<div id="app">(<main class="([^"]+)"><h1 class="([^"]+)">([^<]+)<\/h1><p class="([^"]+)">([^<]+)<\/p><\/main>)<\/div>/.exec(html);
    expect(shell).not.toBeNull();
    const [, , mainClass, h1Class, h1, pClass, p] = shell!;
    expect(landing).toContain(`<main class="${mainClass}">`);
    expect(landing).toContain(`<h1 class="${h1Class}">${h1}</h1>`);
    expect(landing).toContain(`<p class="${pClass}">${p}</p>`);
  });
});
