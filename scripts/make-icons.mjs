// Draws the Ghostwire icons (a ghost on a dark tile) as PNGs with no dependency
// but zlib, so the manifest's icons are reproducible: node scripts/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = (buf) => {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const BG = [11, 15, 20, 255];
const FG = [224, 231, 255, 255];
const EYE = [11, 15, 20, 255];

/** A ghost in unit coordinates scaled by `s` around the centre (s < 1 leaves a maskable safe zone). */
function ghost(s) {
  return (u, v) => {
    const x = (u - 0.5) / s + 0.5;
    const y = (v - 0.5) / s + 0.5;
    const cx = 0.5, top = 0.42, r = 0.26;
    const inHead = (x - cx) ** 2 + (y - top) ** 2 <= r * r;
    const wave = 0.78 + 0.035 * Math.cos((x - 0.24) * Math.PI * 2 / 0.173);
    const inBody = x >= cx - r && x <= cx + r && y >= top && y <= wave;
    const eye = (ex) => (x - ex) ** 2 / 0.0016 + (y - 0.43) ** 2 / 0.0036 <= 1;
    if (inHead || inBody) return eye(0.41) || eye(0.59) ? EYE : FG;
    return BG;
  };
}

mkdirSync('web/public/icons', { recursive: true });
writeFileSync('web/public/icons/icon-192.png', png(192, ghost(0.9)));
writeFileSync('web/public/icons/icon-512.png', png(512, ghost(0.9)));
writeFileSync('web/public/icons/maskable-512.png', png(512, ghost(0.62)));
writeFileSync('web/public/icons/apple-touch-icon.png', png(180, ghost(0.8)));
console.log('icons written to web/public/icons');
