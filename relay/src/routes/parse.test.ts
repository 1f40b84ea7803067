import { describe, expect, it } from 'vitest';
import { MAX_HTTP_BODY_BYTES } from '../../../protocol/src/limits.js';
import { createApp } from '../app.js';
import { testDeps } from '../test-deps.js';

describe('request bodies', () => {
  it('counts bytes, not characters: a body under the limit in characters but over it in UTF-8 is 413', async () => {
    const { app } = createApp(testDeps());
    // Three bytes per character: a third of the limit in characters, past it in bytes.
    const text = JSON.stringify({ publicKey: '€'.repeat(Math.ceil(MAX_HTTP_BODY_BYTES / 3) + 1) });
    expect(text.length).toBeLessThan(MAX_HTTP_BODY_BYTES);
    const res = await app.request('/api/ghosts', { method: 'POST', body: text, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'too_large' });
  });

  it('refuses a declared Content-Length past the limit without reading the body', async () => {
    const { app } = createApp(testDeps());
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        pulled++;
        ctrl.enqueue(new Uint8Array(1024));
      },
    });
    const res = await app.request('/api/rooms', {
      method: 'POST',
      body,
      headers: { 'content-length': String(MAX_HTTP_BODY_BYTES + 1) },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    // A stream pulls once ahead on its own; nothing past that was read.
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('answers TRACE-like methods and wrong methods with 405 and Allow', async () => {
    const { app } = createApp(testDeps());
    const res = await app.request('/', { method: 'PROPFIND' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect((await app.request('/api/pow', { method: 'DELETE' })).headers.get('allow')).toBe('GET, HEAD');
  });
});
