/** Byte helpers that work the same in browsers, workers and Node. */

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (s: string): Uint8Array<ArrayBuffer> => enc.encode(s);
export const fromUtf8 = (b: Uint8Array): string => dec.decode(b);

/** Cryptographically random bytes from the platform's CSPRNG. */
export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  crypto.getRandomValues(out);
  return out;
}

/** The platform's own base64 on typed arrays (TC39 "Uint8Array to/from base64": Chromium 140, Firefox 133, Safari 18.2), where it exists. */
interface NativeBase64 {
  toBase64?: (this: Uint8Array, opts: { alphabet: 'base64url'; omitPadding: boolean }) => string;
}
interface NativeBase64Ctor {
  fromBase64?: (s: string, opts: { alphabet: 'base64url' }) => Uint8Array<ArrayBuffer>;
}
const nativeTo = (Uint8Array.prototype as NativeBase64).toBase64;
const nativeFrom = (Uint8Array as NativeBase64Ctor).fromBase64;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** base64url without padding (RFC 4648 §5); one pass over the bytes where the platform has it built in. */
export function toBase64url(bytes: Uint8Array): string {
  if (nativeTo) return nativeTo.call(bytes, { alphabet: 'base64url', omitPadding: true });
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes base64url (padding optional); throws on characters outside the alphabet. */
export function fromBase64url(s: string): Uint8Array<ArrayBuffer> {
  // Checked here, not left to the decoders: the built-in one skips ASCII whitespace, atob as well.
  if (!BASE64URL.test(s)) throw new Error('not base64url');
  if (nativeFrom) return nativeFrom(s, { alphabet: 'base64url' });
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Compares without an early exit, so timing does not reveal the first differing byte. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i % (a.length || 1)] ?? 0) ^ (b[i % (b.length || 1)] ?? 0);
  return diff === 0;
}

/** Overwrites a buffer with zeros (best effort: engines may have copied it). */
export function zero(bytes: Uint8Array | undefined | null): void {
  bytes?.fill(0);
}

export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/** Lower-case hex of bytes (test vectors and fingerprints). */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Decodes hex (even length, 0-9a-f in either case); throws otherwise. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('not hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
