import type { PartHeader } from '../content.js';
import {
  MAX_MESSAGE_BYTES,
  REASSEMBLY_MAX_LIFETIME_MS,
  REASSEMBLY_MAX_PENDING_BYTES,
  REASSEMBLY_MAX_PENDING_PER_SENDER,
  REASSEMBLY_MAX_SENDER_BYTES,
  REASSEMBLY_TIMEOUT_MS,
} from '../limits.js';
import { concatBytes } from './bytes.js';

/** Who a part came from: the relay member id it was verified under, and the fingerprint of the key that signed it. */
export interface PartSender {
  member: string;
  key: string;
}

export type RejectReason = 'inconsistent' | 'too-many-pending' | 'over-budget' | 'too-large';

export type AddResult =
  | { status: 'complete'; message: Uint8Array<ArrayBuffer>; evicted: PartSender[] }
  | { status: 'pending'; evicted: PartSender[] }
  | { status: 'duplicate' }
  | { status: 'rejected'; reason: RejectReason };

interface Pending {
  from: PartSender;
  /** Stream and counter of the message (crypto/streams.ts), the same on every part. */
  s: string;
  c: number;
  n: number;
  len: number;
  parts: (Uint8Array<ArrayBuffer> | undefined)[];
  received: number;
  /** Bytes actually held (what the budgets count), never the declared length. */
  bytes: number;
  startedAt: number;
  /** Last time a part added new data. */
  lastAt: number;
}

interface Usage {
  count: number;
  bytes: number;
}

export interface ReassemblerOptions {
  now?: () => number;
  timeoutMs?: number;
  lifetimeMs?: number;
  maxPendingPerSender?: number;
  maxSenderBytes?: number;
  maxPendingBytes?: number;
}

/**
 * Joins parts into messages with memory and time budgeted per sender, so a
 * member who floods unfinished messages loses only its own:
 * - each member id and each signing key may have REASSEMBLY_MAX_PENDING_PER_SENDER
 *   messages open holding REASSEMBLY_MAX_SENDER_BYTES, counted as bytes arrive
 *   (a first part that declares 2 MiB and carries nothing holds nothing);
 * - a message is dropped after REASSEMBLY_TIMEOUT_MS without new data (an
 *   empty or repeated part does not extend it) and REASSEMBLY_MAX_LIFETIME_MS
 *   after its first part in any case;
 * - when the room's total REASSEMBLY_MAX_PENDING_BYTES is reached, the key
 *   holding the most loses its oldest message, never a lighter sender.
 */
export class Reassembler {
  private readonly pending = new Map<string, Pending>();
  private readonly byMember = new Map<string, Usage>();
  private readonly byKey = new Map<string, Usage>();
  private held = 0;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly lifetimeMs: number;
  private readonly maxPerSender: number;
  private readonly maxSenderBytes: number;
  private readonly maxBytes: number;

  constructor(opts: ReassemblerOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? REASSEMBLY_TIMEOUT_MS;
    this.lifetimeMs = opts.lifetimeMs ?? REASSEMBLY_MAX_LIFETIME_MS;
    this.maxPerSender = opts.maxPendingPerSender ?? REASSEMBLY_MAX_PENDING_PER_SENDER;
    this.maxSenderBytes = opts.maxSenderBytes ?? REASSEMBLY_MAX_SENDER_BYTES;
    this.maxBytes = opts.maxPendingBytes ?? REASSEMBLY_MAX_PENDING_BYTES;
  }

  /** Bytes currently held by unfinished messages. */
  get reservedBytes(): number {
    return this.held;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Bytes one signing key holds in unfinished messages. */
  bytesOfKey(key: string): number {
    return this.byKey.get(key)?.bytes ?? 0;
  }

  /** Stream and counter of every unfinished message (so a gap is not declared for a message still arriving). */
  *inProgress(): Iterable<{ key: string; stream: string; counter: number }> {
    for (const p of this.pending.values()) yield { key: p.from.key, stream: p.s, counter: p.c };
  }

  /** Adds one verified part. */
  add(from: PartSender, header: PartHeader, data: Uint8Array<ArrayBuffer>): AddResult {
    this.sweep();
    if (header.n === 1) {
      return data.length === header.len ? { status: 'complete', message: data, evicted: [] } : { status: 'rejected', reason: 'inconsistent' };
    }
    const id = `${from.member}\u0000${header.m}`;
    let p = this.pending.get(id);
    if (!p) {
      if (header.len > MAX_MESSAGE_BYTES) return { status: 'rejected', reason: 'too-large' };
      if (count(this.byMember, from.member) >= this.maxPerSender || count(this.byKey, from.key) >= this.maxPerSender) {
        return { status: 'rejected', reason: 'too-many-pending' };
      }
      const now = this.now();
      p = { from, s: header.s, c: header.c, n: header.n, len: header.len, parts: new Array<Uint8Array<ArrayBuffer> | undefined>(header.n), received: 0, bytes: 0, startedAt: now, lastAt: now };
      this.pending.set(id, p);
      usage(this.byMember, from.member).count++;
      usage(this.byKey, from.key).count++;
    }
    if (p.n !== header.n || p.len !== header.len || p.s !== header.s || p.c !== header.c || p.bytes + data.length > p.len) {
      this.drop(id);
      return { status: 'rejected', reason: 'inconsistent' };
    }
    if (p.parts[header.i]) return { status: 'duplicate' };
    const mine = Math.max(usage(this.byMember, from.member).bytes, usage(this.byKey, from.key).bytes);
    if (mine + data.length > this.maxSenderBytes) {
      this.drop(id);
      return { status: 'rejected', reason: 'over-budget' };
    }
    const evicted = this.makeRoom(from, data.length);
    if (!evicted) {
      this.drop(id);
      return { status: 'rejected', reason: 'over-budget' };
    }
    p.parts[header.i] = data;
    p.received++;
    this.hold(p, data.length);
    // Only new data keeps a message alive: an empty part must not pin its sender's budget.
    if (data.length > 0) p.lastAt = this.now();
    if (p.received < p.n) return { status: 'pending', evicted };
    const message = p.bytes === p.len ? concatBytes(...(p.parts as Uint8Array[])) : null;
    this.drop(id);
    return message ? { status: 'complete', message, evicted } : { status: 'rejected', reason: 'inconsistent' };
  }

  /**
   * Frees room for `need` more bytes from `from` by dropping the oldest
   * unfinished message of the key that holds the most, as long as that key
   * holds more than `from` would; null if `from` is itself the heaviest.
   */
  private makeRoom(from: PartSender, need: number): PartSender[] | null {
    const evicted: PartSender[] = [];
    while (this.held + need > this.maxBytes) {
      const mine = this.bytesOfKey(from.key) + need;
      let heaviest: string | undefined;
      let most = 0;
      for (const [key, u] of this.byKey) {
        if (key !== from.key && u.bytes > most) [heaviest, most] = [key, u.bytes];
      }
      if (heaviest === undefined || most <= mine) return null;
      let oldest: [string, Pending] | undefined;
      for (const entry of this.pending) {
        if (entry[1].from.key === heaviest && (!oldest || entry[1].startedAt < oldest[1].startedAt)) oldest = entry;
      }
      if (!oldest) return null;
      evicted.push(oldest[1].from);
      this.drop(oldest[0]);
    }
    return evicted;
  }

  /** Drops unfinished messages silent past the timeout or older than their lifetime; returns how many. */
  sweep(): number {
    const now = this.now();
    let n = 0;
    for (const [id, p] of this.pending) {
      if (p.lastAt < now - this.timeoutMs || p.startedAt < now - this.lifetimeMs) {
        this.drop(id);
        n++;
      }
    }
    return n;
  }

  private hold(p: Pending, bytes: number): void {
    p.bytes += bytes;
    this.held += bytes;
    usage(this.byMember, p.from.member).bytes += bytes;
    usage(this.byKey, p.from.key).bytes += bytes;
  }

  private drop(id: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    for (const part of p.parts) part?.fill(0);
    this.held -= p.bytes;
    release(this.byMember, p.from.member, p.bytes);
    release(this.byKey, p.from.key, p.bytes);
    this.pending.delete(id);
  }

  /** Forgets everything (wipe). */
  clear(): void {
    for (const id of [...this.pending.keys()]) this.drop(id);
  }
}

function usage(map: Map<string, Usage>, who: string): Usage {
  let u = map.get(who);
  if (!u) map.set(who, (u = { count: 0, bytes: 0 }));
  return u;
}

const count = (map: Map<string, Usage>, who: string): number => map.get(who)?.count ?? 0;

function release(map: Map<string, Usage>, who: string, bytes: number): void {
  const u = map.get(who);
  if (!u) return;
  u.count--;
  u.bytes -= bytes;
  if (u.count <= 0) map.delete(who);
}
