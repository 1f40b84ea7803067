/**
 * Runs inside headless Chromium (bundled by bench/client/browser.ts): the
 * PWA's own PoW solver (its Web Workers, one per core) and frame crypto (its
 * sealMessage and RoomInbox, signing included), timed with performance.now()
 * in a cross-origin-isolated page (5 µs timer resolution).
 */
import { fromBase64url, randomBytes, toBase64url } from '../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys, newRoomSecret } from '../../protocol/src/crypto/derive.js';
import { RoomInbox, newMessageId, sealMessage, SendCounter } from '../../protocol/src/crypto/room-codec.js';
import { generateSigningIdentity } from '../../protocol/src/crypto/sign.js';
import { createMember, MlsRoom } from '../../protocol/src/mls/index.js';
import { solvePowInWorker, workerCount } from '../../web/src/pow/solve.js';

/** Solves `n` fresh challenges in the PWA's workers; returns each solve's milliseconds and its nonces (for the server's verify cost). */
async function benchPow(n: number, difficulty: number, subPuzzles: number, workerUrl: string) {
  const out: Array<{ challenge: string; ms: number; nonces: number[] }> = [];
  for (let i = 0; i < n; i++) {
    const challenge = toBase64url(randomBytes(24));
    const t0 = performance.now();
    const { nonces } = await solvePowInWorker({ challenge, difficulty, subPuzzles }, undefined, undefined, () => new Worker(workerUrl));
    out.push({ challenge, ms: performance.now() - t0, nonces });
  }
  return { solves: out, workers: workerCount(subPuzzles) };
}

/**
 * Times `n` one-frame chat messages through the PWA's path: encode, sign,
 * pad+encrypt and base64url for the wire; then back: base64url, decrypt+unpad,
 * verify (the sender's key imported once, on its first frame), reassemble.
 */
async function benchFrameCrypto(n: number) {
  const keys = await deriveRoomKeys(newRoomSecret());
  const id = await generateSigningIdentity();
  const member = 'm-bench-sender';
  const inbox = new RoomInbox(keys.contentKey, keys.roomId);
  const counter = new SendCounter();
  const sealMs: number[] = [];
  const openMs: number[] = [];
  for (let i = 0; i < n; i++) {
    const msg = { messageId: newMessageId(), meta: { k: 'text' as const, body: 'An ordinary chat message of a sentence or two, as people type them.', at: Date.now() }, bucket: 'chat' as const, order: counter.next() };
    const t0 = performance.now();
    const frames = await sealMessage(keys.contentKey, keys.roomId, member, id, msg);
    const wire = toBase64url(frames[0]!);
    const t1 = performance.now();
    const r = await inbox.receive(member, fromBase64url(wire));
    const t2 = performance.now();
    if (frames.length !== 1 || r.status !== 'message') throw new Error(`the frame did not open: ${r.status}`);
    sealMs.push(t1 - t0);
    openMs.push(t2 - t1);
  }
  return { sealMs, openMs, signed: true, isolated: crossOriginIsolated };
}

/**
 * What the throttle alone costs a main-thread task, for the frame figures beside it: a short synchronous loop
 * (a few tens of microseconds unthrottled) and one hop through the task queue (a MessageChannel message to
 * itself: how a subtle call's result comes back to the main thread, two of them per seal and per open). Chromium's CPU throttling pauses the main thread from a signal handler that
 * busy-waits (rate − 1) × the wall time since its last pause, capped at 1 ms of it, every 200 µs, idle or not;
 * so at 4× even a tiny task can wait up to about 3 ms, and its p99 shows that wait, not the task.
 */
async function benchThrottleFloor(n: number) {
  const spinMs: number[] = [];
  const hopMs: number[] = [];
  const channel = new MessageChannel();
  let sink = 0;
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    for (let j = 0; j < 20_000; j++) sink += Math.sqrt(j);
    spinMs.push(performance.now() - t);
    t = performance.now();
    await new Promise((resolve) => {
      channel.port1.onmessage = resolve;
      channel.port2.postMessage(null);
    });
    hopMs.push(performance.now() - t);
  }
  if (sink < 0) throw new Error('unreachable: keeps the loop from being optimised away');
  channel.port1.close();
  return { spinMs, hopMs };
}

let mlsGroup: MlsRoom | undefined;

/**
 * Builds an MLS group of `size` members as the PWA's rooms do (one add per
 * commit, each joiner's first act a self-update), held by its first member.
 * Only that member's state is kept: the others are needed only to join once.
 */
async function benchMlsSetup(size: number) {
  const first = await createMember('m-0');
  const room = await MlsRoom.create(first);
  room.confirm(await room.selfUpdate());
  for (let i = 1; i < size; i++) {
    const joiner = await createMember(`m-${i}`);
    const add = await room.addMember(joiner.keyPackage);
    room.confirm(add);
    const joined = await MlsRoom.join(joiner, add.welcome!);
    const update = await joined.selfUpdate();
    const r = await room.applyCommit(update.commit);
    if (r.kind !== 'applied') throw new Error(`the joiner's update did not apply: ${r.kind}`);
    joined.wipe();
  }
  mlsGroup = room;
  return { members: room.members().length };
}

/**
 * Times, `n` times, what a phone does when someone joins a group of the set-up
 * size: the acting member's commit adding one (with its Welcome), and the
 * joiner processing that Welcome. The commit is discarded after, so every
 * round adds to the same group of `size`.
 */
async function benchMlsJoin(n: number) {
  const room = mlsGroup!;
  const commitMs: number[] = [];
  const joinMs: number[] = [];
  for (let i = 0; i < n; i++) {
    const joiner = await createMember(`m-new-${i}`);
    const t0 = performance.now();
    const add = await room.addMember(joiner.keyPackage);
    const t1 = performance.now();
    const joined = await MlsRoom.join(joiner, add.welcome!);
    const t2 = performance.now();
    room.discard(add);
    joined.wipe();
    commitMs.push(t1 - t0);
    joinMs.push(t2 - t1);
  }
  return { commitMs, joinMs };
}

Object.assign(globalThis, { benchPow, benchFrameCrypto, benchThrottleFloor, benchMlsSetup, benchMlsJoin });
