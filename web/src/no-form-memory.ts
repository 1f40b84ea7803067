/**
 * Every form control gets autocomplete="off". Besides autofill, Chromium
 * keeps the state of ordinary fields (text typed, boxes ticked) in its
 * session-restore files (Sessions/Session_*, Tabs_*) so a restored tab can
 * refill them; it skips fields marked off. Components set it themselves; this
 * observer is the backstop for any control that forgot.
 */
export function forbidFormMemory(root: Document = document): MutationObserver {
  const mark = (n: ParentNode) => {
    for (const el of n.querySelectorAll('input:not([autocomplete="off"]), select:not([autocomplete="off"]), textarea:not([autocomplete="off"])')) el.setAttribute('autocomplete', 'off');
  };
  mark(root);
  const mo = new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n instanceof Element) (n.matches('input, select, textarea') ? n.setAttribute('autocomplete', 'off') : mark(n));
  });
  mo.observe(root.documentElement, { childList: true, subtree: true });
  return mo;
}
