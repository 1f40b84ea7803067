/// <reference lib="webworker" />
import jsQR from 'jsqr';

/** Decodes QR codes off the main thread for browsers without BarcodeDetector. */
self.onmessage = (ev: MessageEvent<{ id: number; width: number; height: number; pixels: ArrayBuffer }>) => {
  const { id, width, height, pixels } = ev.data;
  const found = jsQR(new Uint8ClampedArray(pixels), width, height, { inversionAttempts: 'attemptBoth' });
  (self as unknown as Worker).postMessage({ id, text: found?.data ?? null });
};
