import type { BrowserContext, Page } from 'playwright-core';

/**
 * Turns a context's PWA into a hostile direct peer: the real app does the
 * handshake, and this script keeps what any peer holds anyway (its own
 * session key and data channel) so the test can then speak the documented
 * frame format directly: IV ‖ AES-256-GCM(u32 length ‖ JSON content ‖ zeros),
 * exactly DIRECT_FRAME_BYTES, with the session's associated data.
 */
export async function armHostilePeer(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    interface Hostile {
      key?: CryptoKey;
      aad?: Uint8Array;
      dc?: RTCDataChannel;
      rawSend: (this: RTCDataChannel, data: ArrayBufferView<ArrayBuffer>) => void;
    }
    const rawSend = RTCDataChannel.prototype.send as Hostile['rawSend'];
    const h: Hostile = { rawSend };
    (window as unknown as { __hostile: Hostile }).__hostile = h;
    const encrypt = SubtleCrypto.prototype.encrypt;
    SubtleCrypto.prototype.encrypt = function (this: SubtleCrypto, alg: AlgorithmIdentifier | AesGcmParams, key: CryptoKey, data: BufferSource) {
      const ad = typeof alg === 'object' && 'additionalData' in alg ? alg.additionalData : undefined;
      if (ad && ArrayBuffer.isView(ad)) {
        const bytes = new Uint8Array(ad.buffer, ad.byteOffset, ad.byteLength).slice();
        if (new TextDecoder().decode(bytes.subarray(0, 24)).includes('/direct/')) {
          h.key = key;
          h.aad = bytes;
        }
      }
      return encrypt.call(this, alg, key, data);
    };
    RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: ArrayBufferView<ArrayBuffer>) {
      h.dc = this;
      rawSend.call(this, data);
    } as typeof RTCDataChannel.prototype.send;
  });
}

/**
 * Sends `count` valid text messages, one 4096-byte frame each, spread evenly
 * over `spreadMs` (0: as fast as the channel takes them), respecting the
 * channel's buffer. Resolves to how long it took, in ms.
 */
export function flood(page: Page, count: number, spreadMs: number, frameBytes: number): Promise<number> {
  return page.evaluate(
    async ({ count, spreadMs, frameBytes }) => {
      const h = (window as unknown as { __hostile: { key?: CryptoKey; aad?: Uint8Array<ArrayBuffer>; dc?: RTCDataChannel; rawSend: (this: RTCDataChannel, d: Uint8Array) => void } }).__hostile;
      const { key, aad, dc } = h;
      if (!key || !aad || !dc) throw new Error('the hostile peer has no session yet');
      const enc = new TextEncoder();
      const t0 = performance.now();
      for (let i = 0; i < count; i++) {
        const due = t0 + (i * spreadMs) / count;
        const wait = due - performance.now();
        if (wait > 4) await new Promise((r) => setTimeout(r, wait));
        while (dc.bufferedAmount > 4 * 1024 * 1024) await new Promise((r) => setTimeout(r, 5));
        const body = enc.encode(JSON.stringify({ k: 'text', id: `flood${String(i).padStart(10, '0')}`, body: `flood message ${i}`, at: Date.now() }));
        const plain = new Uint8Array(frameBytes - 12 - 16);
        new DataView(plain.buffer).setUint32(0, body.length);
        plain.set(body, 4);
        const iv = crypto.getRandomValues(new Uint8Array(12));
        const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, key, plain));
        const frame = new Uint8Array(frameBytes);
        frame.set(iv);
        frame.set(ct, 12);
        h.rawSend.call(dc, frame);
      }
      return performance.now() - t0;
    },
    { count, spreadMs, frameBytes },
  );
}

/** Starts recording, in the page, the gaps between animation frames and long tasks. */
export async function watchResponsiveness(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __gaps: number[]; __long: number[]; __watching: boolean };
    w.__gaps = [];
    w.__long = [];
    w.__watching = true;
    let last = performance.now();
    const tick = (t: number) => {
      w.__gaps.push(t - last);
      last = t;
      if (w.__watching) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(e.duration);
    }).observe({ type: 'longtask' });
  });
}

/** Stops recording; the largest gap between animation frames and the longest task, in ms. */
export function responsiveness(page: Page): Promise<{ maxFrameGapMs: number; maxLongTaskMs: number; frames: number }> {
  return page.evaluate(() => {
    const w = window as unknown as { __gaps: number[]; __long: number[]; __watching: boolean };
    w.__watching = false;
    return { maxFrameGapMs: Math.max(0, ...w.__gaps), maxLongTaskMs: Math.max(0, ...w.__long), frames: w.__gaps.length };
  });
}

/**
 * Clicks the button whose text is one of `names` from inside the page and
 * waits for its aria-expanded to change and the next frame to paint;
 * returns the time measured from outside the page, so time the page's main
 * thread was busy before it could start counts too.
 */
export async function clickToPaintMs(page: Page, names: string[]): Promise<number> {
  const t0 = performance.now();
  await page.evaluate(async (names) => {
    const b = [...document.querySelectorAll('button')].find((x) => names.includes(x.textContent?.trim() ?? ''));
    if (!b) throw new Error(`no button named ${names.join(' or ')}`);
    const before = b.getAttribute('aria-expanded');
    b.click();
    await new Promise<void>((resolve) => {
      const check = () => (b.getAttribute('aria-expanded') !== before ? requestAnimationFrame(() => resolve()) : setTimeout(check, 0));
      check();
    });
  }, names);
  return performance.now() - t0;
}
