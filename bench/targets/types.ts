/**
 * What the load generator needs from a server under test. Each target
 * (bare ws, Socket.IO, Ghostwire) implements it; every Ghostwire-specific
 * step lives in targets/ghostwire.ts.
 */

/** One joined member, as the load generator drives it. */
export interface BenchClient {
  /** Sends one frame whose sealed-size payload (`data`, base64url) carries the send time. */
  sendFrame(data: string): void;
  /** Called with the send stamp (process.hrtime.bigint()) of every frame this member receives. */
  onStamp: ((sentNs: bigint) => void) | null;
  /** Stops reading from the socket (a member that stops reading) or starts again. */
  pause(): void;
  resume(): void;
  /** The close code once the socket closed, else null. */
  readonly closeCode: number | null;
  close(): void;
}

export interface BenchRoom {
  /** Joins member `index` (the target decides which instance it lands on) and resolves once it receives frames. */
  join(index: number): Promise<BenchClient>;
}

export interface BenchTarget {
  /** Short key used in results (ws, socketio, ghostwire, ghostwire-redis). */
  key: string;
  label: string;
  /** Every process whose CPU and RSS count as "the server" (relays and their Redis together). */
  pids: number[];
  /** Largest room this target can hold, members. */
  maxRoomSize: number;
  /** Why a room size past maxRoomSize is refused, for the table. */
  roomSizeNote?: string;
  newRoom(size: number): Promise<BenchRoom>;
  /** Asks the server to collect garbage before a memory reading (only the bench's own servers can). */
  gc?(): Promise<void>;
  /** process.memoryUsage() at the last gc(), where the target is one Node process that prints it (bench/servers/gc-on-signal.cjs). */
  memoryUsage?(): NodeJS.MemoryUsage | undefined;
  /** How memory was read, for the results (GC'd or settled). */
  memoryMethod: string;
  /** Anything worth reporting after the run (e.g. Redis output-buffer disconnections). */
  finalNotes?(): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** A target that cannot run on this build, with the reason the table shows. */
export interface Unavailable {
  key: string;
  label: string;
  unavailable: string;
}
