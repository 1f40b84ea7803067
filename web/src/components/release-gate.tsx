import type { ComponentChildren } from 'preact';
import { route } from '../router.js';
import { checkRelease, releaseVerdict, roomsAllowed } from '../release/watch.js';
import { ReleaseWarning } from './release-warning.js';

/** Pages that take a secret from the link: they wait for the check, so no secret reaches unchecked code. */
const SECRET_ROUTES = new Set(['/r', '/d']);

/** Renders the page only when the check of the relay's code allows it; a warning replaces every page. */
export function ReleaseGate({ children }: { children: ComponentChildren }) {
  const v = releaseVerdict.value;
  if (v.kind === 'warning') return <ReleaseWarning verdict={v} />;
  if (!SECRET_ROUTES.has(route.value) || roomsAllowed(v)) return <>{children}</>;
  if (v.kind === 'unreachable') {
    return (
      <main class="p-6 flex flex-col gap-3 items-start" data-testid="release-unreachable">
        <p role="alert" class="m-0">
          The app could not check the code this relay serves, so it will not open the room yet. Check your connection, then try again.
        </p>
        <button class="btn" onClick={() => void checkRelease()}>
          Try again
        </button>
      </main>
    );
  }
  return (
    <p role="status" class="p-6 m-0 text-mute" data-testid="release-checking">
      Checking that this relay serves Ghostwire's released code…
    </p>
  );
}
