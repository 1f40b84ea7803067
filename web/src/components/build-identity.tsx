import { groupHex } from '../release/format.js';
import { releaseVerdict } from '../release/watch.js';
import type { Verdict } from '../release/audit.js';
import type { Release, Signer } from '../release/release.js';

/** What the signature says about who made a build, in the words the Privacy page uses. */
export function signerText(s: Signer): string {
  switch (s.kind) {
    case 'official':
      return 'signed by the Ghostwire release key';
    case 'other-key':
      return `signed by another key (${s.publicKey.slice(0, 12)}…), not Ghostwire's release key: someone built and signed this themselves`;
    case 'unsigned':
      return 'unsigned build: someone built this themselves';
    case 'bad-signature':
      return 'its signature does not verify';
    default: {
      const never: never = s;
      return never;
    }
  }
}

/** The release the running code came from, as far as the check knows it. */
function shown(v: Verdict): { release: Release | null; check: string } {
  switch (v.kind) {
    case 'checking':
      return { release: null, check: 'Checking what the relay serves…' };
    case 'unsupported':
      return { release: null, check: 'This browser runs no service worker here (a private window or Tor Browser), so nothing is pinned and nothing can be compared.' };
    case 'first-use':
      return { release: v.served, check: 'First visit: what the relay says it serves. There is nothing to compare it with yet; from the next visit on, changes are checked.' };
    case 'ok':
      return { release: v.running, check: 'Checked at start: the relay serves exactly this release, every file matching.' };
    case 'update':
      return { release: v.running, check: `The relay offers version ${v.next.manifest.version}, checked and ready (see the banner).` };
    case 'warning':
      return { release: v.running, check: `The relay serves other code: ${v.reason}` };
    case 'unreachable':
      return { release: v.running, check: 'The check could not reach the relay.' };
    default: {
      const never: never = v;
      return never;
    }
  }
}

/** Privacy page: version, root hash and signature of the running build, and what to compare them with. */
export function BuildIdentity() {
  const { release, check } = shown(releaseVerdict.value);
  const m = release?.manifest;
  return (
    <section aria-labelledby="build-h" class="flex flex-col gap-2" data-testid="build-identity">
      <h2 id="build-h" class="text-lg m-0">
        This build
      </h2>
      {m && release ? (
        <dl class="m-0 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          <dt class="text-mute">Version</dt>
          <dd class="m-0" data-testid="build-version">{m.version}</dd>
          <dt class="text-mute">Root</dt>
          <dd class="m-0 font-mono text-sm break-all" data-testid="build-root">{groupHex(m.root)}</dd>
          <dt class="text-mute">Signature</dt>
          <dd class="m-0" data-testid="build-signer">{signerText(release.signer)}</dd>
        </dl>
      ) : (
        <p class="m-0 text-mute">No release manifest is known for this build.</p>
      )}
      <p class="m-0 text-sm" data-testid="build-check">{check}</p>
      <p class="m-0 text-mute text-sm">
        Compare the root with the one published for this version in Ghostwire's README and release notes, or with the one your relay's operator publishes for their own
        build. The build is reproducible: <code>npm ci && npm run build</code> of the same commit prints the same root.
      </p>
    </section>
  );
}
