import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** The QR exactly as the page shows it (`[data-testid=qr]`), rasterised in the page at `px`×`px`, as grayscale bytes. */
export async function qrPixels(page: Page, px: number): Promise<Uint8Array> {
  const gray = await page.evaluate(async (size) => {
    const svg = document.querySelector('[data-testid=qr]')!;
    const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(svg)], { type: 'image/svg+xml' }));
    const img = new Image();
    img.src = url;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = c.height = size;
    const ctx = c.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, 0, 0, size, size);
    URL.revokeObjectURL(url);
    const d = ctx.getImageData(0, 0, size, size).data;
    return Array.from({ length: size * size }, (_, i) => d[i * 4]!);
  }, px);
  return Uint8Array.from(gray);
}

/**
 * Writes a one-frame Y4M video (4:2:0, the layout Chromium's fake capture
 * device reads) with a grayscale image centred on a white background.
 */
export function writeY4m(path: string, gray: Uint8Array, size: number, width = 640, height = 480): void {
  const y = new Uint8Array(width * height).fill(255);
  const ox = Math.floor((width - size) / 2);
  const oy = Math.floor((height - size) / 2);
  for (let r = 0; r < size; r++) y.set(gray.subarray(r * size, (r + 1) * size), (oy + r) * width + ox);
  const chroma = new Uint8Array((width / 2) * (height / 2)).fill(128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(path, Buffer.concat([header, Buffer.from('FRAME\n'), y, chroma, chroma]));
}
