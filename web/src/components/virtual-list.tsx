import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { computeWindow } from './virtual-window.js';

/** Lists shorter than this render every row; longer ones only the rows on screen. */
export const VIRTUALISE_AFTER = 300;
const ESTIMATE_PX = 64;
/** Within this many px of the end counts as "at the bottom". */
const PIN_SLACK_PX = 24;

interface Props<T> {
  items: readonly T[];
  keyOf(item: T): string;
  render(item: T): ComponentChildren;
  label: string;
  class?: string;
  /** Rendered above the first row, inside the scroller (an introduction that should not take fixed height). */
  before?: ComponentChildren;
  /** Which new rows count for the "N new" pill (others' messages, not one's own). */
  countsAsNew?(item: T): boolean;
}

/**
 * A message list that stays at the bottom while new rows arrive, images load
 * or held messages open (unless the reader scrolled up: then an "N new" pill
 * says how many arrived and takes them down), and keeps only the visible rows
 * in the DOM once it is long. Row heights are measured as rows render.
 */
export function VirtualList<T>({ items, keyOf, render, label, class: cls = '', before, countsAsNew }: Props<T>) {
  const box = useRef<HTMLOListElement>(null);
  const heights = useRef(new Map<string, number>());
  const pinned = useRef(true);
  /** Keys present when the reader scrolled away from the bottom; anything else is new to them. */
  const known = useRef<Set<string> | null>(null);
  /** Where this list last scrolled itself to the end: a scroll event at or below it is ours (or content that grew), not the reader moving up. */
  const stuckAt = useRef(-1);
  const [, setTick] = useState(0);
  const stick = (node: HTMLElement) => {
    node.scrollTop = node.scrollHeight;
    stuckAt.current = node.scrollTop;
  };
  const virtual = items.length > VIRTUALISE_AFTER;

  const el = box.current;
  const win = virtual && el
    ? computeWindow(items.map((i) => heights.current.get(keyOf(i))), el.scrollTop, el.clientHeight, ESTIMATE_PX)
    : { start: virtual ? Math.max(0, items.length - 30) : 0, end: items.length, padTop: 0, padBottom: 0 };
  const fresh = known.current ? items.filter((i) => !known.current!.has(keyOf(i)) && (countsAsNew?.(i) ?? true)).length : 0;

  const toBottom = () => {
    const node = box.current;
    if (!node) return;
    stick(node);
    pinned.current = true;
    known.current = null;
    setTick((t) => t + 1);
  };

  useLayoutEffect(() => {
    const node = box.current;
    if (!node) return;
    let changed = false;
    // A row's share of the scroll height is its box plus the list's gap (a flex column's row-gap).
    const gap = parseFloat(getComputedStyle(node).rowGap) || 0;
    for (const li of Array.from(node.children) as HTMLElement[]) {
      const k = li.dataset.key;
      if (!k) continue;
      const h = li.getBoundingClientRect().height + gap;
      if (heights.current.get(k) !== h) {
        heights.current.set(k, h);
        changed = true;
      }
    }
    if (pinned.current) stick(node);
    if (changed && virtual) setTick((t) => t + 1);
  });

  // A narrower window (a phone rotated, a keyboard opened) reflows rows without a render: stay at the bottom if we were.
  // Scroll anchoring is off on the list (style below): it would move the list first, and its scroll event would unpin it.
  useLayoutEffect(() => {
    const node = box.current;
    if (!node || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      if (pinned.current) stick(node);
    });
    ro.observe(node);
    return () => ro.disconnect();
  }, []);

  const onScroll = () => {
    const node = box.current!;
    const atBottom = node.scrollHeight - node.scrollTop - node.clientHeight < PIN_SLACK_PX;
    // Rows rendered between our scroll to the end and its (asynchronous) scroll event make the list
    // look scrolled up when nobody moved it: only a scroll above where we put it unpins.
    if (!atBottom && pinned.current && node.scrollTop >= stuckAt.current - 1) {
      stick(node);
      if (virtual) setTick((t) => t + 1);
      return;
    }
    if (atBottom !== pinned.current) {
      pinned.current = atBottom;
      known.current = atBottom ? null : new Set(items.map(keyOf));
      setTick((t) => t + 1);
    } else if (virtual) setTick((t) => t + 1);
  };

  return (
    <div class="relative flex-1 min-h-0 flex flex-col">
      <ol
        ref={box}
        class={cls}
        aria-label={label}
        // Scrollable by keyboard too (arrow keys, Page Up/Down) once focused.
        tabIndex={0}
        style={{ overflowAnchor: 'none' }}
        onScroll={onScroll}
        // An image decoding after its row rendered grows the row: stay at the bottom if we were there.
        onLoadCapture={() => {
          if (pinned.current && box.current) stick(box.current);
        }}
        data-virtual={virtual ? 'on' : 'off'}
        data-testid="message-scroller"
      >
        {before !== undefined && <li>{before}</li>}
        {/* Spacers and rows never shrink: in a flex column an empty spacer would shrink to nothing, and the list could not scroll past the rows on screen. */}
        {win.padTop > 0 && <li aria-hidden="true" style={{ height: `${win.padTop}px`, flexShrink: 0 }} />}
        {items.slice(win.start, win.end).map((item) => (
          <li key={keyOf(item)} data-key={keyOf(item)} style={{ flexShrink: 0 }}>
            {render(item)}
          </li>
        ))}
        {win.padBottom > 0 && <li aria-hidden="true" style={{ height: `${win.padBottom}px`, flexShrink: 0 }} />}
      </ol>
      {fresh > 0 && (
        <button type="button" class="btn absolute bottom-3 left-1/2 -translate-x-1/2 shadow-lg" onClick={toBottom} data-testid="new-pill">
          {fresh} new ↓
        </button>
      )}
    </div>
  );
}
