import { randomBytes } from 'node:crypto';
import type { Socket as NetSocket } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { frameEnvelope, readStamp } from '../lib/payload.js';
import { gcAndSettle, spawnBenchServer } from '../lib/spawn.js';
import type { BenchClient, BenchTarget } from './types.js';

class SocketIoClient implements BenchClient {
  onStamp: ((sentNs: bigint) => void) | null = null;
  closeCode: number | null = null;
  private ref = 0;

  constructor(
    private readonly socket: Socket,
    private readonly room: string,
  ) {
    socket.on('f', (data: string) => {
      const stamp = readStamp(data);
      if (stamp !== null) this.onStamp?.(stamp);
    });
    socket.on('disconnect', () => (this.closeCode ??= 1006));
  }

  sendFrame(data: string): void {
    this.socket.emit('f', frameEnvelope(this.room, this.ref++, data));
  }

  /** The `ws` socket under engine.io's WebSocket transport (Node), reached to stop reading. */
  private get raw(): NetSocket | undefined {
    const engine = (this.socket.io as unknown as { engine?: { transport?: { ws?: { _socket?: NetSocket } } } }).engine;
    return engine?.transport?.ws?._socket;
  }

  pause(): void {
    this.raw?.pause();
  }

  resume(): void {
    this.raw?.resume();
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Starts the Socket.IO 4 broadcast server (bench/servers/socketio-broadcast.mjs). */
export async function startSocketIo(): Promise<BenchTarget> {
  const child = await spawnBenchServer('bench/servers/socketio-broadcast.mjs');
  const url = `http://127.0.0.1:${child.port}`;
  return {
    key: 'socketio',
    label: 'Socket.IO 4',
    pids: [child.pid],
    maxRoomSize: Number.POSITIVE_INFINITY,
    memoryMethod: 'RSS after a forced full GC (--expose-gc, SIGUSR2) and 0.5 s settle',
    async newRoom() {
      const room = randomBytes(16).toString('base64url');
      return {
        async join() {
          const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, query: { room }, perMessageDeflate: false } as never);
          await new Promise<void>((resolve, reject) => {
            socket.once('connect', () => resolve());
            socket.once('connect_error', reject);
          });
          return new SocketIoClient(socket, room);
        },
      };
    },
    gc: () => gcAndSettle([child.pid]),
    memoryUsage: () => child.memoryUsage(),
    stop: () => child.stop(),
  };
}
