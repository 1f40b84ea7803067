import { median, ratio } from './stats.js';

/** One repetition's figures for one target: flat metric keys (see metricLabel) to numbers, null where it could not run. */
export type Figures = Record<string, number | null>;

export interface TargetResult {
  key: string;
  label: string;
  unavailable?: string;
  notes: Record<string, unknown>;
  reps: Figures[];
  errors: Record<string, string>;
  median: Figures;
  /** median / the bare ws server's median of the same metric in this run. */
  vsWs: Figures;
}

/** Medians over repetitions of every metric any repetition has. */
export function medians(reps: Figures[]): Figures {
  const keys = new Set(reps.flatMap((r) => Object.keys(r)));
  return Object.fromEntries([...keys].map((k) => [k, median(reps.map((r) => r[k]))]));
}

export function ratios(of: Figures, to: Figures): Figures {
  return Object.fromEntries(Object.keys(of).map((k) => [k, ratio(of[k], to[k])]));
}

/** What a metric key means, for the table. */
export function metricLabel(key: string): string {
  const [kind, size, what] = key.split('.');
  switch (kind) {
    case 'sat':
      return what === 'perCpuSec' ? `(a) room ${size}: deliveries per server CPU-s` : `(a) room ${size}: deliveries/s (wall)`;
    case 'rate': {
      const w: Record<string, string> = { cpu: 'server CPU (cores)', p50: 'p50 ms', p99: 'p99 ms', p999: 'p99.9 ms', achieved: 'deliveries/s achieved' };
      return `(b) room ${size} @20k/s: ${w[what ?? ''] ?? what}`;
    }
    case 'idle':
      return size === 'bytesPerConn' ? '(c) idle: RSS bytes per connection' : size === 'heapPerConn' ? '(c) idle: JS heap bytes per connection' : '(c) idle: connections';
    case 'slow': {
      const w: Record<string, string> = { p99Without: 'others p99 ms, all reading', p99With: 'others p99 ms, one not reading', change: 'p99 change', dropped: 'non-reader close code' };
      return `(d) ${w[size ?? ''] ?? size}`;
    }
    default:
      return key;
  }
}

function fmt(v: number | null | undefined, key: string): string {
  if (v === null || v === undefined) return 'n/a';
  if (key.endsWith('change')) return `${(v * 100).toFixed(1)}%`;
  if (key.startsWith('slow.dropped')) return v === 0 ? 'not dropped' : String(v);
  if (Math.abs(v) >= 10_000) return `${(v / 1000).toFixed(1)}k`;
  if (Math.abs(v) >= 100) return v.toFixed(0);
  return v.toFixed(v >= 10 ? 1 : 2);
}

/** A plain-text table: one row per metric, one column per target, Ghostwire and Socket.IO with their ratio to bare ws. */
export function table(results: TargetResult[]): string {
  const keys = [...new Set(results.flatMap((r) => Object.keys(r.median)))].sort((a, b) => order(a) - order(b) || a.localeCompare(b, 'en', { numeric: true }));
  const header = ['metric', ...results.map((r) => r.label)];
  const rows = keys.map((k) => [
    metricLabel(k),
    ...results.map((r) => {
      if (r.unavailable) return 'n/a*';
      const v = r.median[k];
      if (v === undefined || v === null) return r.errors[k] ? 'error' : 'n/a';
      const x = r.key === 'ws' || k.startsWith('slow.dropped') || k.endsWith('change') ? null : r.vsWs[k];
      return x === null || x === undefined ? fmt(v, k) : `${fmt(v, k)} (${x.toFixed(2)}×)`;
    }),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  for (const r of results) if (r.unavailable) out.push(`* ${r.label}: ${r.unavailable}`);
  for (const r of results) for (const [k, e] of Object.entries(r.errors)) out.push(`! ${r.label}, ${k}: ${e}`);
  return out.join('\n');
}

function order(key: string): number {
  return ['sat', 'rate', 'idle', 'slow'].indexOf(key.split('.')[0]!);
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

/**
 * Each repetition's ratio of `of` to `to` for one metric (repetition i of both ran back to back in
 * this run): how far the verdict on the medians could move on a machine this noisy.
 */
export function pairedRatios(of: TargetResult | undefined, to: TargetResult | undefined, key: string): number[] {
  if (!of || !to) return [];
  return of.reps.flatMap((r, i) => {
    const v = ratio(r[key], to.reps[i]?.[key]);
    return v === null ? [] : [v];
  });
}

/** Compares the medians with the targets; met is null where a figure is missing. */
export function checkTargets(results: TargetResult[], sizes: number[]): TargetCheck[] {
  const by = (key: string) => results.find((r) => r.key === key && !r.unavailable);
  const ws = by('ws');
  const sio = by('socketio');
  const gw = by('ghostwire');
  const gw2 = by('ghostwire-redis');
  const gw3 = by('ghostwire-cluster');
  const out: TargetCheck[] = [];
  const check = (target: string, value: number | null | undefined, ok: (v: number) => boolean, show: (v: number) => string) =>
    out.push({ target, measured: typeof value === 'number' ? show(value) : 'n/a', met: typeof value === 'number' ? ok(value) : null });
  const x = (v: number) => `${v.toFixed(3)}×`;
  // A ratio of medians, then each repetition's own ratio when there are several.
  const xr = (of: TargetResult | undefined, to: TargetResult | undefined, key: string) => (v: number) => {
    const each = pairedRatios(of, to, key);
    return each.length > 1 ? `${x(v)} (each repetition: ${each.map((e) => e.toFixed(2)).join(', ')})` : x(v);
  };
  for (const n of sizes) {
    const k = `sat.${n}.perCpuSec`;
    // Issue 18's goals (0.9× and 1.2×; they were 0.8× and 1.3× before it).
    check(`room ${n}: saturated fanout ≥ 0.9× bare ws (embedded store)`, gw?.vsWs[k], (v) => v >= 0.9, xr(gw, ws, k));
    check(`room ${n}: saturated fanout ≥ 0.5× bare ws (2 instances over Redis)`, gw2?.vsWs[k], (v) => v >= 0.5, xr(gw2, ws, k));
    check(`room ${n}: saturated fanout ≥ 2× Socket.IO`, ratio(gw?.median[k], sio?.median[k]), (v) => v >= 2, xr(gw, sio, k));
    check(`room ${n} @20k/s: server CPU ≤ 1.2× bare ws`, gw?.vsWs[`rate.${n}.cpu`], (v) => v <= 1.2, xr(gw, ws, `rate.${n}.cpu`));
    const p99 = gw?.median[`rate.${n}.p99`];
    const wsP99 = ws?.median[`rate.${n}.p99`];
    check(`room ${n} @20k/s: p99 ≤ 1.5× bare ws + 5 ms`, typeof p99 === 'number' && typeof wsP99 === 'number' ? p99 - (1.5 * wsP99 + 5) : null, (v) => v <= 0, (v) => `${p99?.toFixed(2)} ms vs limit ${(1.5 * (wsP99 ?? 0) + 5).toFixed(2)} ms (${v <= 0 ? 'under' : 'over'} by ${Math.abs(v).toFixed(2)} ms)`);
    check(`room ${n} @20k/s: p99 < 100 ms with 2 instances over Redis`, gw2?.median[`rate.${n}.p99`], (v) => v < 100, (v) => `${v.toFixed(2)} ms`);
    check(`room ${n}: total deliveries/s grow with instances (3 on a Cluster > 2 over one Redis)`, ratio(gw3?.median[`sat.${n}.perSec`], gw2?.median[`sat.${n}.perSec`]), (v) => v > 1, xr(gw3, gw2, `sat.${n}.perSec`));
  }
  check('idle memory ≤ 1.5× bare ws per connection', gw?.vsWs['idle.bytesPerConn'], (v) => v <= 1.5, xr(gw, ws, 'idle.bytesPerConn'));
  const code = gw?.median['slow.dropped'];
  check('a non-reading member is dropped at its send-buffer cap', code, (v) => v === 4408, (v) => (v === 0 ? 'not dropped' : `closed with ${v}`));
  check("the others' p99 moves by ≤ 10% with a non-reading member", gw?.median['slow.change'], (v) => v <= 0.1, (v) => `${(v * 100).toFixed(1)}%`);
  return out;
}
