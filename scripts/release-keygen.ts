// Makes an Ed25519 release key pair: the private key (PKCS#8 PEM) goes to the
// file named (mode 0600; keep it off the relay and out of git), the public key
// (raw, base64url) is printed: publish it, and put it in
// web/src/release/keys.ts if you ship your own build as "official".
// Usage: npm run release:keygen -- path/to/release-key.pem
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { rawPublicKey } from './release-sign.js';

const out = process.argv[2];
if (!out) {
  console.error('release:keygen: name a file for the private key: npm run release:keygen -- release-key.pem');
  process.exit(1);
}
if (existsSync(out)) {
  console.error(`release:keygen: ${out} exists; refusing to overwrite a key.`);
  process.exit(1);
}
const { privateKey } = generateKeyPairSync('ed25519');
writeFileSync(out, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
console.log(`private key: ${out}\npublic key:  ${rawPublicKey(privateKey)}`);
