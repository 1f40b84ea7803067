import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { computeWindow } from './virtual-window.js';

/** Lists shorter than this render every row; longer ones only the rows on screen. */
export const VIRTUALISE_AFTER = 300;
const ESTIMATE_PX = 64;

interface Props<T> {
  items: readonly T[];
  keyOf(item: T): string;
  render(item: T): ComponentChildren;
  label: string;
  class?: string;
}

/**
 * A message list that stays at the bottom while new rows arrive (unless the
 * reader scrolled up), and keeps only the visible rows in the DOM once it is
 * long. Row heights are measured as rows render.
 */
export function VirtualList<T>({ items, keyOf, render, label, class: cls = '' }: Props<T>) {
  const box = useRef<HTMLOListElement>(null);
  const heights = useRef(new Map<string, number>());
  const pinned = useRef(true);
  const [, setTick] = useState(0);
  const virtual = items.length > VIRTUALISE_AFTER;

  const el = box.current;
  const win = virtual && el
    ? computeWindow(items.map((i) => heights.current.get(keyOf(i))), el.scrollTop, el.clientHeight, ESTIMATE_PX)
    : { start: virtual ? Math.max(0, items.length - 30) : 0, end: items.length, padTop: 0, padBottom: 0 };

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

  // A narrower window (a phone rotated, a keyboard opened) reflows rows without a render: stay at the bottom if we were.
  // Scroll anchoring is off on the list (style below): it would move the list first and its scroll event would unpin it.
  useLayoutEffect(() => {
    const node = box.current;
    if (!node || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      if (pinned.current) node.scrollTop = node.scrollHeight;
    });
    ro.observe(node);

  }, []);

  const onScroll = () => {
    const node = box.current!;
    pinned.current = node.scrollHeight - node.scrollTop - node.clientHeight < 8;
    if (virtual) setTick((t) => t + 1);
  };

  return (
    // tabIndex: a scrolling region must be reachable by keyboard (WCAG 2.1.1; axe scrollable-region-focusable).
    <ol ref={box} class={cls} aria-label={label} tabIndex={0} style={{ overflowAnchor: 'none' }} onScroll={onScroll} data-virtual={virtual ? 'on' : 'off'}>
      {win.padTop > 0 && <li aria-hidden="true" style={{ height: `${win.padTop}px` }} />}
      {items.slice(win.start, win.end).map((item) => (
        <li key={keyOf(item)} data-key={keyOf(item)}>
          {render(item)}
        </li>
      ))}
      {win.padBottom > 0 && <li aria-hidden="true" style={{ height: `${win.padBottom}px` }} />}
    </ol>
  );
}
