import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { readStamp } from './payload.js';
import type { BenchClient } from '../targets/types.js';

/** Opens a `ws` client socket (no compression) and resolves once it is open. */
export function openWs(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** A bench member on a plain `ws` socket: `envelope` turns a payload into what the target expects. */
export class WsBenchClient implements BenchClient {
  onStamp: ((sentNs: bigint) => void) | null = null;
  closeCode: number | null = null;

  constructor(
    readonly ws: WebSocket,
    private readonly envelope: (data: string) => string,
  ) {
    ws.on('message', (data: Buffer) => {
      const stamp = readStamp(data);
      if (stamp !== null) this.onStamp?.(stamp);
    });
    ws.on('close', (code) => (this.closeCode = code));
    ws.on('error', () => undefined);
  }

  sendFrame(data: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(this.envelope(data));
  }

  private get socket(): Socket | undefined {
    return (this.ws as unknown as { _socket?: Socket })._socket;
  }

  pause(): void {
    this.socket?.pause();
  }

  resume(): void {
    this.socket?.resume();
  }

  close(): void {
    this.ws.terminate();
  }
}
