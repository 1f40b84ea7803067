import type { BenchClient, BenchRoom, BenchTarget } from '../targets/types.js';
import { stampedPayload } from './payload.js';
import { totalCpu, totalRss } from './proc.js';
import { newHistogram, percentiles, type Percentiles } from './stats.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowNs = () => process.hrtime.bigint();
const seconds = (from: bigint, to: bigint) => Number(to - from) / 1e9;

/** At most this many frames are sent in one timer tick when the sender falls behind its schedule. */
const MAX_BURST = 500;
/** Members who send in a room (they take turns); the rest only receive. */
const MAX_SENDERS = 10;
/** Saturation keeps about this many deliveries in flight (frames = this / (room size - 1)). */
const SATURATION_INFLIGHT_DELIVERIES = 2000;
/** Joins in flight at once while filling rooms. */
const JOIN_CONCURRENCY = 100;

/** Runs fn(0..n-1) with at most `concurrency` in flight; results in index order. */
export async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
  return out;
}

export async function joinAll(room: BenchRoom, size: number): Promise<BenchClient[]> {
  return pool(size, JOIN_CONCURRENCY, (i) => room.join(i));
}

async function closeAll(clients: BenchClient[]): Promise<void> {
  for (const c of clients) c.close();
  await sleep(500); // let the server process the closes before the next scenario measures anything
}

const sendersOf = (clients: BenchClient[]) => clients.slice(0, Math.max(1, Math.min(MAX_SENDERS, clients.length - 1)));

export interface Timing {
  warmupMs: number;
  measureMs: number;
}

export interface SaturationResult {
  deliveriesPerSec: number;
  serverCpuPerSec: number;
  deliveriesPerCpuSec: number | null;
}

/**
 * (a) Saturation: senders keep a window of frames in flight so the server
 * always has work; reports deliveries per second of wall time and per second
 * of server CPU. A frame stays in flight until every member has it (not just
 * one probe member): with one probe, the members the load generator reads
 * later fell ever further behind, and a server with a send-buffer cap rightly
 * cut them as slow consumers, so the figure measured the load generator.
 */
export async function saturation(target: BenchTarget, size: number, t: Timing): Promise<SaturationResult> {
  const clients = await joinAll(await target.newRoom(size), size);
  const senders = sendersOf(clients);
  const window = Math.max(4, Math.ceil(SATURATION_INFLIGHT_DELIVERIES / (size - 1)));
  let delivered = 0;
  let sent = 0;
  /** Frames every member has (or that the guard gave up on). */
  let done = 0;
  /** Receipts each frame in flight still waits for, by its stamp. */
  const owed = new Map<bigint, number>();
  let running = true;
  let lastStamp = 0n;
  const pump = () => {
    while (running && sent - done < window) {
      // Stamps name frames here, so no two may be equal.
      const now = process.hrtime.bigint();
      const stamp = now > lastStamp ? now : lastStamp + 1n;
      lastStamp = stamp;
      owed.set(stamp, size - 1);
      senders[sent % senders.length]!.sendFrame(stampedPayload(stamp));
      sent++;
    }
  };
  for (const c of clients) {
    c.onStamp = (stamp) => {
      delivered++;
      const left = owed.get(stamp);
      if (left === undefined) return;
      if (left > 1) {
        owed.set(stamp, left - 1);
        return;
      }
      owed.delete(stamp);
      done++;
      pump();
    };
  }
  // A frame some member never gets (dropped, refused) must not stall the loop forever.
  let lastDone = -1;
  const guard = setInterval(() => {
    if (done === lastDone) {
      done = sent;
      owed.clear();
    }
    lastDone = done;
    pump();
  }, 250);
  pump();
  await sleep(t.warmupMs);
  const t0 = nowNs();
  const c0 = totalCpu(target.pids);
  const d0 = delivered;
  await sleep(t.measureMs);
  const t1 = nowNs();
  const c1 = totalCpu(target.pids);
  const d1 = delivered;
  running = false;
  clearInterval(guard);
  await closeAll(clients);
  const dt = seconds(t0, t1);
  return { deliveriesPerSec: (d1 - d0) / dt, serverCpuPerSec: (c1 - c0) / dt, deliveriesPerCpuSec: c1 > c0 ? (d1 - d0) / (c1 - c0) : null };
}

export interface RateResult extends Percentiles {
  /** Deliveries per second actually measured at the receivers. */
  deliveriesPerSec: number;
  /** Server CPU seconds per second of wall time (1.0 = one core busy). */
  serverCpuPerSec: number;
}

/** Sends frames on a fixed schedule and records the latency of every delivery to `measured` members. */
async function atRate(target: BenchTarget, clients: BenchClient[], measured: Set<BenchClient>, framesPerSec: number, t: Timing): Promise<RateResult> {
  const senders = sendersOf(clients);
  const hist = newHistogram();
  let measuring = false;
  let received = 0;
  for (const c of clients) {
    c.onStamp = measured.has(c)
      ? (stamp) => {
          if (!measuring) return;
          received++;
          hist.recordValue(Math.max(1, Number((nowNs() - stamp) / 1000n)));
        }
      : null;
  }
  let sent = 0;
  const start = performance.now();
  const tick = setInterval(() => {
    const due = Math.min(MAX_BURST, Math.floor(((performance.now() - start) / 1000) * framesPerSec) - sent);
    for (let i = 0; i < due; i++) {
      senders[sent % senders.length]!.sendFrame(stampedPayload());
      sent++;
    }
  }, 1);
  await sleep(t.warmupMs);
  measuring = true;
  const t0 = nowNs();
  const c0 = totalCpu(target.pids);
  await sleep(t.measureMs);
  const t1 = nowNs();
  const c1 = totalCpu(target.pids);
  measuring = false;
  clearInterval(tick);
  await sleep(200); // let in-flight frames land outside the window
  const dt = seconds(t0, t1);
  return { ...percentiles(hist), deliveriesPerSec: received / dt, serverCpuPerSec: (c1 - c0) / dt };
}

/** (b) A fixed rate of deliveries per second into one room: server CPU and latency percentiles. */
export async function fixedRate(target: BenchTarget, size: number, deliveriesPerSec: number, t: Timing): Promise<RateResult> {
  const clients = await joinAll(await target.newRoom(size), size);
  try {
    return await atRate(target, clients, new Set(clients), deliveriesPerSec / (size - 1), t);
  } finally {
    await closeAll(clients);
  }
}

export interface IdleResult {
  connections: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  bytesPerConnection: number;
  /**
   * The JS heap (heapUsed after the forced GC) per connection, where the target reports it (one Node process).
   * RSS grows only where the process has no free pages left over from earlier work, so it moves with what
   * ran before; the heap in use does not.
   */
  heapPerConnection: number | null;
}

/** Members joined and closed before the idle reading, so code compiled on first use is not counted per connection. */
const IDLE_WARMUP = 200;

/** (c) `count` idle joined connections in rooms of `roomSize`: server RSS (and JS heap, where reported) per connection. */
export async function idleMemory(target: BenchTarget, count: number, roomSize: number, settleMs: number): Promise<IdleResult> {
  const size = Math.min(roomSize, target.maxRoomSize);
  const warm = Math.min(IDLE_WARMUP, count);
  const warmRooms = await pool(Math.ceil(warm / size), 10, () => target.newRoom(size));
  await closeAll(await pool(warm, JOIN_CONCURRENCY, (i) => warmRooms[Math.floor(i / size)]!.join(i % size)));
  await target.gc?.();
  await sleep(settleMs);
  const heapBefore = target.memoryUsage?.()?.heapUsed;
  const rssBeforeBytes = totalRss(target.pids);
  const rooms = await pool(Math.ceil(count / size), 10, () => target.newRoom(size));
  const clients = await pool(count, JOIN_CONCURRENCY, (i) => rooms[Math.floor(i / size)]!.join(i % size));
  await sleep(settleMs);
  await target.gc?.();
  const rssAfterBytes = totalRss(target.pids);
  const heapAfter = target.memoryUsage?.()?.heapUsed;
  await closeAll(clients);
  const heapPerConnection = heapBefore !== undefined && heapAfter !== undefined ? (heapAfter - heapBefore) / count : null;
  return { connections: count, rssBeforeBytes, rssAfterBytes, bytesPerConnection: (rssAfterBytes - rssBeforeBytes) / count, heapPerConnection };
}

export interface SlowConsumerResult {
  /** The other members' p99 while everyone reads. */
  p99WithoutMs: number;
  /** The other members' p99 while one member has stopped reading. */
  p99WithMs: number;
  /** p99 with / p99 without − 1. */
  p99Change: number;
  /** The close code the non-reading member got (read after it resumed), or null if it was never dropped. */
  droppedWithCode: number | null;
}

/** (d) One member stops reading at a fixed rate: does the server drop it, and do the others notice? */
export async function slowConsumer(target: BenchTarget, size: number, deliveriesPerSec: number, t: Timing): Promise<SlowConsumerResult> {
  const clients = await joinAll(await target.newRoom(size), size);
  const victim = clients[clients.length - 1]!;
  const others = new Set(clients.filter((c) => c !== victim));
  try {
    const fps = deliveriesPerSec / (size - 1);
    const before = await atRate(target, clients, others, fps, t);
    victim.pause();
    const during = await atRate(target, clients, others, fps, t);
    victim.resume();
    const end = Date.now() + 5000;
    while (victim.closeCode === null && Date.now() < end) await sleep(50);
    return { p99WithoutMs: before.p99Ms, p99WithMs: during.p99Ms, p99Change: during.p99Ms / before.p99Ms - 1, droppedWithCode: victim.closeCode };
  } finally {
    await closeAll(clients);
  }
}
