// Signs a built release: Ed25519 over the exact bytes of
// dist/web/.well-known/ghostwire/manifest.json, written beside it as
// signature.json. Node's own crypto (Ed25519 is stable there since Node 12);
// nothing to install. The private key (PKCS#8 PEM, as release-keygen writes it)
// comes from --key <file>, GHOSTWIRE_RELEASE_KEY_FILE, or GHOSTWIRE_RELEASE_KEY
// (the PEM text itself, for CI secrets). Never commit it.
// Usage: npm run release:sign [-- --key path/to/key.pem] [--dir dist/web]
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MANIFEST_PATH, SIGNATURE_PATH } from '../sw/src/release-pin.js';
import { parseManifest } from '../web/src/release/manifest.js';
import { SIGNATURE_FORMAT, type ReleaseSignature } from '../web/src/release/signature.js';

/** The raw public key of an Ed25519 key, base64url (what the app pins and README prints). */
export function rawPublicKey(key: KeyObject): string {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('the release key must be an Ed25519 key');
  return jwk.x;
}

/** Signs manifest text with a PKCS#8 PEM private key; returns the signature file's content. */
export function signManifest(manifestText: string, pem: string): string {
  const key = createPrivateKey(pem);
  const data = Buffer.from(manifestText, 'utf8');
  const sig = sign(null, data, key);
  if (!verify(null, data, createPublicKey(key), sig)) throw new Error('the signature does not verify with its own key');
  const out: ReleaseSignature = { format: SIGNATURE_FORMAT, algorithm: 'Ed25519', publicKey: rawPublicKey(key), signature: sig.toString('base64url') };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const dir = resolve(arg('--dir') ?? join(import.meta.dirname, '../dist/web'));
  const keyFile = arg('--key') ?? process.env.GHOSTWIRE_RELEASE_KEY_FILE;
  const pem = keyFile ? readFileSync(keyFile, 'utf8') : process.env.GHOSTWIRE_RELEASE_KEY;
  if (!pem) {
    console.error('release:sign: no key. Pass --key <file>, or set GHOSTWIRE_RELEASE_KEY_FILE or GHOSTWIRE_RELEASE_KEY (PKCS#8 PEM).');
    process.exit(1);
  }
  const text = readFileSync(join(dir, MANIFEST_PATH), 'utf8');
  const m = await parseManifest(text);
  if (!m) {
    console.error(`release:sign: ${MANIFEST_PATH} is not a valid manifest (or its root does not match its files). Run npm run build.`);
    process.exit(1);
  }
  const sigText = signManifest(text, pem);
  writeFileSync(join(dir, SIGNATURE_PATH), sigText);
  console.log(`signed version ${m.version}, root ${m.root}, with key ${rawPublicKey(createPrivateKey(pem))}`);
}
