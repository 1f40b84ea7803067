/** Why scanning stopped, in words a person can act on. */
export class ScanError extends Error {
  override name = 'ScanError';
}

interface Detector {
  detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>>;
}

/** The platform's BarcodeDetector when it can read QR codes; null otherwise. */
async function nativeDetector(): Promise<Detector | null> {
  const BD = (globalThis as { BarcodeDetector?: { new (o: { formats: string[] }): Detector; getSupportedFormats(): Promise<string[]> } }).BarcodeDetector;
  if (!BD) return null;
  try {
    return (await BD.getSupportedFormats()).includes('qr_code') ? new BD({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

/** Largest frame edge sent to the worker decoder: enough for a phone-held QR, cheap to decode. */
const MAX_EDGE = 640;

/**
 * Scans the camera until a QR code is read or `signal` aborts. Uses
 * BarcodeDetector where present, a jsQR worker otherwise. The camera is
 * released in every case.
 */
export async function scanQr(video: HTMLVideoElement, signal: AbortSignal): Promise<string> {
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch (err) {
    const name = (err as DOMException).name;
    throw new ScanError(
      name === 'NotAllowedError'
        ? 'Camera access was denied. Allow the camera for this site in your browser settings, or open the invite link directly.'
        : name === 'NotFoundError'
          ? 'No camera was found. Open the invite link directly instead.'
          : 'The camera could not be started. Close other apps using it and try again.',
    );
  }
  const stop = () => stream.getTracks().forEach((t) => t.stop());
  signal.addEventListener('abort', stop, { once: true });
  video.srcObject = stream;
  await video.play().catch(() => undefined);

  const native = await nativeDetector();
  const worker = native ? null : new Worker(new URL('./decoder.worker.ts', import.meta.url), { type: 'module' });
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let seq = 0;
  try {
    while (!signal.aborted) {
      await new Promise((r) => setTimeout(r, 120));
      if (video.readyState < 2 || !video.videoWidth) continue;
      if (native) {
        const codes = await native.detect(video).catch(() => []);
        if (codes[0]) return codes[0].rawValue;
        continue;
      }
      const scale = Math.min(1, MAX_EDGE / Math.max(video.videoWidth, video.videoHeight));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      ctx!.drawImage(video, 0, 0, canvas.width, canvas.height);
      const img = ctx!.getImageData(0, 0, canvas.width, canvas.height);
      const id = ++seq;
      const text = await new Promise<string | null>((resolve) => {
        worker!.onmessage = (ev: MessageEvent<{ id: number; text: string | null }>) => {
          if (ev.data.id === id) resolve(ev.data.text);
        };
        worker!.postMessage({ id, width: img.width, height: img.height, pixels: img.data.buffer }, [img.data.buffer]);
      });
      if (text) return text;
    }
    throw new ScanError('Scanning was stopped.');
  } finally {
    worker?.terminate();
    stop();
    video.srcObject = null;
  }
}
