import { z } from 'zod';
import { sha256, toHex, utf8 } from '../../../protocol/src/crypto/bytes.js';

/**
 * The release manifest: every file the PWA serves, with its SHA-256 and size,
 * and a root hash over that list. The build writes it (scripts/release-manifest.ts);
 * `npm run release:sign` signs its exact bytes; the running app checks what the
 * relay serves against it. Paths are absolute URL paths ("/index.html").
 */
export const MANIFEST_FORMAT = 'ghostwire-release-manifest/1';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  app: z.literal('ghostwire'),
  version: z.string().regex(/^\d+\.\d+\.\d+(?:-[\w.]+)?$/),
  protocolVersion: z.number().int().positive(),
  /** App routes that answer with /index.html's bytes (the relay's APP_ROUTES). */
  routes: z.array(z.string().startsWith('/')).max(32),
  files: z.record(z.string().startsWith('/'), z.object({ sha256: hex64, size: z.number().int().nonnegative() })),
  root: hex64,
});
export type ReleaseManifest = z.infer<typeof manifestSchema>;
export type FileEntry = ReleaseManifest['files'][string];

/** One line per file, sorted by path (code unit order, as JS sorts), so the root is independent of key order. */
export function rootInput(files: Record<string, FileEntry>): string {
  return Object.keys(files)
    .sort()
    .map((p) => `${files[p]!.sha256} ${files[p]!.size} ${p}\n`)
    .join('');
}

/** The root hash: SHA-256 of rootInput(), hex. */
export async function rootOf(files: Record<string, FileEntry>): Promise<string> {
  return toHex(await sha256(utf8(rootInput(files))));
}

/** SHA-256 of some bytes, hex. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(await sha256(bytes));
}

/** Parses manifest text and checks its root against its own file list; null if either fails. */
export async function parseManifest(text: string): Promise<ReleaseManifest | null> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const m = manifestSchema.safeParse(json);
  if (!m.success) return null;
  return (await rootOf(m.data.files)) === m.data.root ? m.data : null;
}

/** Compares dotted versions numerically (pre-release tags ignored): <0, 0 or >0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('-')[0]!.split('.').map(Number);
  const pb = b.split('-')[0]!.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
