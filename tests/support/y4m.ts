import { writeFileSync } from 'node:fs';

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
