import { randomBytes } from 'node:crypto';
import { frameEnvelope } from '../lib/payload.js';
import { gcAndSettle, spawnBenchServer } from '../lib/spawn.js';
import { openWs, WsBenchClient } from '../lib/ws-client.js';
import type { BenchTarget } from './types.js';

/** Starts the bare `ws` broadcast server (bench/servers/ws-broadcast.mjs). */
export async function startWsBaseline(): Promise<BenchTarget> {
  const child = await spawnBenchServer('bench/servers/ws-broadcast.mjs');
  const base = `ws://127.0.0.1:${child.port}/`;
  return {
    key: 'ws',
    label: 'bare ws',
    pids: [child.pid],
    maxRoomSize: Number.POSITIVE_INFINITY,
    memoryMethod: 'RSS after a forced full GC (--expose-gc, SIGUSR2) and 0.5 s settle',
    async newRoom() {
      const room = randomBytes(16).toString('base64url');
      return {
        async join() {
          const ws = await openWs(`${base}?room=${room}`);
          let ref = 0;
          return new WsBenchClient(ws, (data) => frameEnvelope(room, ref++, data));
        },
      };
    },
    gc: () => gcAndSettle([child.pid]),
    memoryUsage: () => child.memoryUsage(),
    stop: () => child.stop(),
  };
}
