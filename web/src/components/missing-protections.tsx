import { detectCapabilities, missingProtections } from '../capabilities.js';

/** What this browser lacks of the app's protections, in plain sentences; renders nothing where all are there. */
export function MissingProtections() {
  const lines = missingProtections(detectCapabilities());
  if (!lines.length) return null;
  return (
    <section aria-label="Missing in this browser" class="border border-line rounded-lg p-3 text-sm flex flex-col gap-1">
      <h2 class="text-base m-0">Missing in this browser</h2>
      {lines.map((l) => (
        <p key={l} class="m-0">{l}</p>
      ))}
    </section>
  );
}
