/** What a wiped page shows: a fixed sentence, built without any app state. */
export const LOCKED_TEXT = 'This Ghostwire session is closed. Nothing of it is kept on this page.';

/** Replaces everything on the page with the locked notice, synchronously (before a snapshot or a back-forward restore). */
export function lockPage(doc: Document = document): void {
  const main = doc.createElement('main');
  main.setAttribute('data-locked', '');
  main.className = 'max-w-xl mx-auto p-6';
  main.textContent = LOCKED_TEXT;
  doc.body.replaceChildren(main);
}
