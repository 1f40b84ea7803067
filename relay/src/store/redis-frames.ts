import type { RedisClient, ScriptCommands, SendArgs, SendMessage } from './redis-commands.js';
import { inOneWrite } from './redis-connect.js';
import { roomSlotKeys, type KeyLayout, type RoomKeys } from './redis-keys.js';
import { HEAT_TAU_MS, type FramePlan, type SeqResult } from './store.js';

/** A batch is sent early once it holds this many frames, or this many bytes of them: one script call stays bounded. */
const MAX_FRAMES = 64;
const MAX_BYTES = 1024 * 1024;

/** The part of a plan that differs between messages of one script call. */
export const messageOf = (plan: FramePlan): SendMessage => ({ tail: plan.tail, busHeader: plan.busHeader ?? '', backlogExpiresAt: plan.backlogExpiresAt });

/** What SEND_FRAMES and COMMIT take for `messages` of the room whose keys are `k`. */
export function roomSendArgs(k: RoomKeys, cluster: boolean, head: string, backlogMax: number, now: number, messages: SendMessage[]): SendArgs {
  return { now, heatTauMs: HEAT_TAU_MS, head, backlogMax, publish: cluster ? 'SPUBLISH' : 'PUBLISH', channel: k.channel, messages };
}

interface Batch {
  head: string;
  backlogMax: number;
  now: number;
  bytes: number;
  messages: SendMessage[];
  waiters: { resolve(r: SeqResult): void; reject(err: unknown): void }[];
}

/**
 * The frames of one room that this instance gets in one turn of its event
 * loop are numbered, kept and published by one SEND_FRAMES call at the end of
 * the turn (the check phase, where the relay's socket writes are flushed too:
 * raw-socket.ts), not one script call each. A script call has a cost of its
 * own in Redis and in ioredis whatever it carries (BENCHMARKS.md, run F);
 * nothing waits longer than the turn it arrived in.
 *
 * Order: a room's frames are numbered in the order sendFrame was called
 * (consecutive seqs); a commit or a leave in the room sends the room's
 * pending frames first (flushRoom), so both keep their place after them.
 */
export class FrameBatches {
  private readonly pending = new Map<string, Batch>();
  private scheduled = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly cmd: ScriptCommands,
    private readonly keys: KeyLayout,
    private readonly cluster: boolean,
  ) {}

  /** Queues a frame for this turn's call; resolves with its seq ({0, 0}: the room is gone). */
  add(roomId: string, plan: FramePlan, now: number): Promise<SeqResult> {
    let b = this.pending.get(roomId);
    // A batch shares head and backlog size: a frame that differs (never, for one room's frames) starts a new one.
    if (b && (b.head !== plan.head || b.backlogMax !== plan.backlogMax)) {
      this.flushRoom(roomId);
      b = undefined;
    }
    if (!b) {
      b = { head: plan.head, backlogMax: plan.backlogMax, now, bytes: 0, messages: [], waiters: [] };
      this.pending.set(roomId, b);
    }
    if (now > b.now) b.now = now;
    b.messages.push(messageOf(plan));
    b.bytes += plan.tail.length;
    const batch = b;
    const done = new Promise<SeqResult>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    if (b.messages.length >= MAX_FRAMES || b.bytes >= MAX_BYTES) this.flushRoom(roomId);
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushAll);
    }
    return done;
  }

  /** Sends the room's pending frames now (before a command that must come after them). */
  flushRoom(roomId: string): void {
    const b = this.pending.get(roomId);
    if (!b) return;
    this.pending.delete(roomId);
    const k = this.keys.room(roomId);
    this.cmd.sendFrames(roomSlotKeys(k), roomSendArgs(k, this.cluster, b.head, b.backlogMax, b.now, b.messages)).then(
      ({ first, members }) => {
        for (let i = 0; i < b.waiters.length; i++) b.waiters[i]!.resolve({ seq: first === 0 ? 0 : first + i, members });
      },
      (err: unknown) => {
        for (const w of b.waiters) w.reject(err);
      },
    );
  }

  /** The turn's end: every room's batch, in one write on a single server (a Cluster pipelines per node itself). */
  private readonly flushAll = (): void => {
    this.scheduled = false;
    inOneWrite(this.redis, () => {
      for (const roomId of [...this.pending.keys()]) this.flushRoom(roomId);
    });
  };
}
