import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  certPath: string;
  keyPath: string;
  /** The certificate itself, to trust as a CA in clients. */
  cert: Buffer;
  cleanup(): void;
}

/** A throwaway self-signed P-256 certificate for localhost and 127.0.0.1 (openssl; Node cannot make X.509). */
export function selfSignedCert(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'gw-tls-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyPath, '-out', certPath],
    { stdio: 'ignore' },
  );
  return { certPath, keyPath, cert: readFileSync(certPath), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
