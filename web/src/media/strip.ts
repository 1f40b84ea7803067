import { MAX_IMAGE_BYTES, MAX_IMAGE_DIMENSION, MAX_IMAGE_INPUT_BYTES } from '../../../protocol/src/limits.js';

/** A media problem the user can act on; the message is the sentence to show. */
export class MediaError extends Error {
  override name = 'MediaError';
}

export interface StrippedImage {
  blob: Blob;
  mime: 'image/jpeg';
  width: number;
  height: number;
}

const MB = 1024 * 1024;
/** Qualities tried in turn until the image fits MAX_IMAGE_BYTES. */
const JPEG_QUALITIES = [0.85, 0.7, 0.5];

async function encode(bitmap: ImageBitmap, width: number, height: number, quality: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new MediaError('This image could not be prepared. Try another one.'))), 'image/jpeg', quality));
}

/**
 * Re-encodes an image through a canvas so only pixels survive: no Exif, GPS,
 * XMP, ICC or comments (the canvas encoder writes none of them). Orientation
 * is applied to the pixels first. Scales to MAX_IMAGE_DIMENSION and lowers
 * quality until it fits MAX_IMAGE_BYTES, else says what to do.
 */
export async function stripImage(file: Blob): Promise<StrippedImage> {
  if (file.size > MAX_IMAGE_INPUT_BYTES) {
    throw new MediaError(`That file is larger than ${MAX_IMAGE_INPUT_BYTES / MB} MB. Choose a smaller image.`);
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new MediaError('This file is not an image this browser can read. Choose a JPEG, PNG or WebP image.');
  }
  try {
    const scale = Math.min(1, MAX_IMAGE_DIMENSION / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    for (const q of JPEG_QUALITIES) {
      const blob = await encode(bitmap, width, height, q);
      if (blob.size <= MAX_IMAGE_BYTES) return { blob, mime: 'image/jpeg', width, height };
    }
    throw new MediaError(`This image is larger than ${MAX_IMAGE_BYTES / MB} MB even after compression. Choose a smaller image or crop it.`);
  } finally {
    bitmap.close();
  }
}
