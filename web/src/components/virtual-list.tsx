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
  const [, setTick] = useState(0);
  const virtual = items.length > VIRTUALISE_AFTER;

  const el = box.current;
  const win = virtual && el
    ? computeWindow(items.map((i) => heights.current.get(keyOf(i))), el.scrollTop, el.clientHeight, ESTIMATE_PX)
    : { start: virtual ? Math.max(0, items.length - 30) : 0, end: items.length, padTop: 0, padBottom: 0 };
  const fresh = known.current ? items.filter((i) => !known.current!.has(keyOf(i)) && (countsAsNew?.(i) ?? true)).length : 0;

  const toBottom = () => {
    const node = box.current;
    if (!node) return;
    node.scrollTop = node.scrollHeight;
    pinned.current = true;
    known.current = null;
    setTick((t) => t + 1);
  };

  useLayoutEffect(() => {
    const node = box.current;
    if (!node) return;
    let changed = false;
    for (const li of Array.from(node.children) as HTMLElement[]) {
      const k = li.dataset.key;
      if (!k) continue;
      const h = li.getBoundingClientRect().height;
      if (heights.current.get(k) !== h) {
        heights.current.set(k, h);
        changed = true;
      }
    }
    if (pinned.current) node.scrollTop = node.scrollHeight;
    if (changed && virtual) setTick((t) => t + 1);
  });

  const onScroll = () => {
    const node = box.current!;
    const atBottom = node.scrollHeight - node.scrollTop - node.clientHeight < PIN_SLACK_PX;
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
        onScroll={onScroll}
        // An image decoding after its row rendered grows the row: stay at the bottom if we were there.
        onLoadCapture={() => {
          if (pinned.current && box.current) box.current.scrollTop = box.current.scrollHeight;
        }}
        data-virtual={virtual ? 'on' : 'off'}
        data-testid="message-scroller"
      >
        {before !== undefined && <li>{before}</li>}
        {win.padTop > 0 && <li aria-hidden="true" style={{ height: `${win.padTop}px` }} />}
        {items.slice(win.start, win.end).map((item) => (
          <li key={keyOf(item)} data-key={keyOf(item)}>
            {render(item)}
          </li>
        ))}
        {win.padBottom > 0 && <li aria-hidden="true" style={{ height: `${win.padBottom}px` }} />}
      </ol>
      {fresh > 0 && (
        <button type="button" class="btn absolute bottom-3 left-1/2 -translate-x-1/2 shadow-lg" onClick={toBottom} data-testid="new-pill">
          {fresh} new ↓
        </button>
      )}
    </div>
  );
}
