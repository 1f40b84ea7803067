import { useEffect, useRef } from 'preact/hooks';
import { panic } from '../panic/index.js';
import { shortRoot } from '../release/format.js';
import type { Verdict } from '../release/audit.js';

/** The sentence the issue asks for, word for word; tests look for it. */
export const RELEASE_WARNING =
  "This relay is serving code that was not released by Ghostwire's release key. Your messages could be read if you go on.";

/**
 * Blocks the whole app (no page renders behind it, so no room can open) when
 * the old code found that the relay serves other code. The only way on is out.
 */
export function ReleaseWarning({ verdict }: { verdict: Extract<Verdict, { kind: 'warning' }> }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const running = verdict.running?.manifest;
  return (
    <main role="alertdialog" aria-modal="true" aria-labelledby="release-warning-h" aria-describedby="release-warning-text" class="min-h-screen p-6 max-w-2xl mx-auto flex flex-col gap-4" data-testid="release-warning">
      <h1 id="release-warning-h" ref={heading} tabIndex={-1} class="text-2xl m-0 text-bad outline-none">
        Stop: this is not Ghostwire's released code
      </h1>
      <p id="release-warning-text" class="m-0 text-lg">
        {RELEASE_WARNING}
      </p>
      <p class="m-0 text-mute" data-testid="release-warning-reason">
        What the app found: {verdict.reason}
      </p>
      {running && (
        <p class="m-0 text-mute text-sm">
          You installed version {running.version} (root <code>{shortRoot(running.root)}</code>). That code is still what runs in this tab, and it has opened no room.
        </p>
      )}
      <p class="m-0">Leave now: the app forgets this session and closes the tab's page. Then use a relay you trust, or ask this relay's operator what changed.</p>
      <div class="flex flex-wrap gap-3">
        <button class="btn" onClick={() => void panic()}>
          Leave
        </button>
      </div>
      <details class="text-sm text-mute">
        <summary class="cursor-pointer">What does this mean?</summary>
        <p>
          The relay carries only encrypted messages, but it also serves the app's code. The copy you installed checks every new version against a release manifest signed
          with the key it was installed with. What this relay serves now does not pass that check, so it may be code that reads your room links and messages.
        </p>
        <p>
          Opening the app again is not safe either: once the browser replaces its copy, the new code runs without this check. The full explanation is in docs/self-hosting.md
          ("What users see") of Ghostwire's source.
        </p>
      </details>
    </main>
  );
}
