/** Which slice of a list to render, and the space the rest stands for. */
export interface ListWindow {
  start: number;
  end: number;
  padTop: number;
  padBottom: number;
}

/**
 * Picks the rows that intersect the viewport (plus `overscan` pixels each
 * side) from per-row heights; unmeasured rows count as `estimate`. O(n).
 */
export function computeWindow(heights: ReadonlyArray<number | undefined>, scrollTop: number, viewport: number, estimate: number, overscan = 600): ListWindow {
  const from = Math.max(0, scrollTop - overscan);
  const to = scrollTop + viewport + overscan;
  let y = 0;
  let start = heights.length;
  let padTop = 0;
  for (let i = 0; i < heights.length; i++) {
    const h = heights[i] ?? estimate;
    if (y + h > from) {
      start = i;
      padTop = y;
      break;
    }
    y += h;
  }
  let end = start;
  for (; end < heights.length && y < to; end++) y += heights[end] ?? estimate;
  let padBottom = 0;
  for (let i = end; i < heights.length; i++) padBottom += heights[i] ?? estimate;
  return { start, end, padTop, padBottom };
}
