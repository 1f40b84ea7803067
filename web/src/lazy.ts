import { signal } from '@preact/signals';
import { h, type ComponentType, type VNode } from 'preact';

/**
 * A page whose code loads on first render, so the landing page's initial
 * JS stays small (the budget is checked by scripts/check-budget.mjs).
 * Shows `fallback` until the chunk arrives; a failed load shows a sentence
 * that says what to do.
 */
export function lazyPage(load: () => Promise<ComponentType>, fallback: string): () => VNode {
  const loaded = signal<ComponentType | null>(null);
  const failed = signal(false);
  let started = false;
  return function LazyPage() {
    if (!started) {
      started = true;
      load().then(
        (c) => (loaded.value = c),
        () => (failed.value = true),
      );
    }
    const Page = loaded.value;
    if (Page) return h(Page, {});
    return h('p', { class: 'p-6 text-mute', role: 'status' }, failed.value ? 'This page could not be loaded. Check your connection and reload.' : fallback);
  };
}
