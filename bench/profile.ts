/**
 * `npx tsx bench/profile.ts [--size=10] [--ms=4000] [--rate=20000] [--redis] [--idle=1000] [--nonreader]`
 *
 * Where the relay's time goes: runs the saturation scenario (a) against one
 * relay started under V8's sampling profiler (bench/servers/cpu-prof.cjs), then prints the functions with the
 * most self time (share of the busy samples); with --rate=N, scenario (b) at N deliveries/s instead; with --redis, against two
 * relays over one Redis (both profiled, and the CPU split with redis-server).
 * With --idle=N it instead joins N idle members (rooms of 100) and prints the relay's process.memoryUsage() per
 * connection. With --nonreader it runs scenario (d) as a timeline: a room of 10 at 20,000 deliveries/s,
 * the last member's socket paused after 3 s, and the others' latency per quarter second (pinned as the
 * bench pins), so a spike at the pause or the cut would show. Needs `npm run build` first. Reports, never assertions.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stampedPayload } from './lib/payload.js';
import { fixedRate, idleMemory, joinAll, saturation } from './lib/scenarios.js';
import { cpuSeconds, pin } from './lib/proc.js';
import { startGhostwire, startGhostwireRedis } from './targets/ghostwire.js';

const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

/** Self samples per function (name and file:line), largest first, as shares of the busy (not idle) samples. */
function topSelf(p: CpuProfile, n: number): string[] {
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const counts = new Map<string, number>();
  for (const id of p.samples) {
    const f = byId.get(id)!.callFrame;
    const file = f.url.replace(/^.*\/(node_modules\/)?/, (m) => (m.includes('node_modules') ? 'node_modules/' : ''));
    const key = `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const idle = counts.get('(idle)') ?? 0;
  counts.delete('(idle)');
  const total = p.samples.length - idle;
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, c]) => `${((100 * c) / total).toFixed(1).padStart(5)} %  ${k}`);
}

/** Busy samples grouped by where the code lives: a package under node_modules, Node's own modules, the relay bundle, or a native frame (writev is the socket writes). */
function byPackage(p: CpuProfile, n: number): string[] {
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const counts = new Map<string, number>();
  let total = 0;
  for (const id of p.samples) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') continue;
    total++;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.url)?.[1];
    const key = pkg ?? (f.url.startsWith('node:') ? 'node (JS)' : f.url ? 'relay' : `native: ${f.functionName}`);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, c]) => `${((100 * c) / total).toFixed(1).padStart(5)} %  ${k}`);
}

async function profileSaturation(size: number, ms: number, redis: boolean, rate: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-prof-'));
  const t = redis ? await startGhostwireRedis(dir) : await startGhostwire(dir);
  if ('unavailable' in t) throw new Error(t.unavailable);
  const cpu0 = t.pids.map(cpuSeconds);
  try {
    if (rate > 0) {
      const r = await fixedRate(t, size, rate, { warmupMs: 1000, measureMs: ms });
      console.log(`room ${size} at ${rate}/s: achieved ${Math.round(r.deliveriesPerSec)}/s, server CPU ${r.serverCpuPerSec.toFixed(3)} cores, p99 ${r.p99Ms.toFixed(2)} ms`);
    } else {
      const s = await saturation(t, size, { warmupMs: 1000, measureMs: ms });
      console.log(`room ${size}: ${Math.round(s.deliveriesPerSec)} deliveries/s, ${Math.round(s.deliveriesPerCpuSec ?? 0)} per server CPU-s`);
    }
    // Relays first, then redis-server: the split of the target's CPU over the whole run (joins included).
    console.log(`CPU seconds per process (${redis ? 'relay, relay, redis-server' : 'relay'}): ${t.pids.map((p, i) => (cpuSeconds(p) - cpu0[i]!).toFixed(2)).join(', ')}`);
  } finally {
    await t.stop();
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no .cpuprofile written in ${dir}`);
  for (const file of files) {
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    console.log(`${join(dir, file)}: ${p.samples.length} samples of the whole process life (joins and warm-up included); shares of the busy ones:`);
    for (const line of topSelf(p, 25)) console.log(line);
    console.log('  by where the code lives:');
    for (const line of byPackage(p, 10)) console.log(`  ${line}`);
  }
}

async function profileIdle(count: number): Promise<void> {
  const snapshots = mkdtempSync(join(tmpdir(), 'gw-heap-'));
  const t = await startGhostwire(undefined, snapshots);
  const readings: NodeJS.MemoryUsage[] = [];
  const gc = t.gc?.bind(t);
  t.gc = async () => {
    await gc?.();
    const m = t.memoryUsage();
    if (m) readings.push(m);
  };
  try {
    const r = await idleMemory(t, count, 100, 1000);
    console.log(`idle: ${r.connections} connections, RSS ${Math.round(r.bytesPerConnection)} B each`);
    const [before, after] = readings;
    if (before && after) {
      for (const k of ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'] as const) {
        console.log(`  ${k.padEnd(12)} ${Math.round((after[k] - before[k]) / count)} B per connection`);
      }
    }
    console.log(`heap snapshots before and after: ${snapshots}`);
  } finally {
    await t.stop();
  }
}

/** Scenario (d) second by second: does the others' latency jump when one member stops reading, or when the relay cuts it? */
async function nonReaderTimeline(): Promise<void> {
  pin(process.pid, 0);
  const t = await startGhostwire(mkdtempSync(join(tmpdir(), 'gw-nonreader-')));
  for (const pid of t.pids) pin(pid, 1);
  const clients = await joinAll(await t.newRoom(10), 10);
  const victim = clients[9]!;
  const senders = clients.slice(0, 9);
  const start = performance.now();
  const buckets: number[][] = [];
  for (const c of senders) {
    c.onStamp = (stamp) => (buckets[Math.floor((performance.now() - start) / 250)] ??= []).push(Number(process.hrtime.bigint() - stamp) / 1e6);
  }
  const framesPerSec = 20000 / 9;
  let sent = 0;
  const tick = setInterval(() => {
    const due = Math.floor(((performance.now() - start) / 1000) * framesPerSec) - sent;
    for (let i = 0; i < due; i++) senders[sent++ % senders.length]!.sendFrame(stampedPayload());
  }, 1);
  await new Promise((r) => setTimeout(r, 3000));
  victim.pause();
  await new Promise((r) => setTimeout(r, 5000));
  clearInterval(tick);
  victim.resume();
  await new Promise((r) => setTimeout(r, 1000));
  console.log(`member paused at 3000 ms; its close code (read after it resumed): ${victim.closeCode ?? 'none'}`);
  buckets.forEach((b, i) => {
    if (i < 4 || b.length === 0) return; // the first second warms up
    b.sort((x, y) => x - y);
    const q = (f: number) => b[Math.min(b.length - 1, Math.floor(b.length * f))]!.toFixed(2);
    console.log(`${String(i * 250).padStart(5)} ms  ${String(b.length).padStart(5)} deliveries  p50 ${q(0.5)}  p99 ${q(0.99)}  max ${q(1)} ms`);
  });
  for (const c of clients) c.close();
  await t.stop();
}

const idle = arg('idle', 0);
(process.argv.includes('--nonreader') ? nonReaderTimeline() : idle > 0 ? profileIdle(idle) : profileSaturation(arg('size', 10), arg('ms', 4000), process.argv.includes('--redis'), arg('rate', 0))).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
