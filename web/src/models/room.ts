import { signal } from '@preact/signals';
import { fromBase64url, fromUtf8, randomBytes, toBase64url, utf8 } from '../../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys, newRoomSecret, type RoomKeys } from '../../../protocol/src/crypto/derive.js';
import { open, seal } from '../../../protocol/src/crypto/seal.js';
import { roomContentSchema, type RoomContent } from '../../../protocol/src/content.js';
import { ROOM_SECRET_BYTES } from '../../../protocol/src/limits.js';
import { createRoomResponseSchema, joinTokenResponseSchema } from '../../../protocol/src/messages/rooms-api.js';
import type { ServerMessage } from '../../../protocol/src/server-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import { ApiError, postJson } from '../net/api.js';
import { RelayClient, type ConnectionState, type WebSocketCtor } from '../net/relay-client.js';
import { registerWipe } from '../wipe.js';
import { solveRelayPow, type GhostSession } from './ghost.js';

export interface ChatMessage {
  id: string;
  mine: boolean;
  /** Pseudonymous member id of the sender (key-derived handles come with signed messages). */
  from: string;
  body: string;
  at: number;
  status: 'sending' | 'sent' | 'failed' | 'received';
  delivered?: number;
}

export interface RoomEnv {
  origin: string;
  WebSocket: WebSocketCtor;
  fetch?: typeof fetch;
  /** This tab's ghost (created on first call, and anew after it was wiped or expired). */
  ghost: () => Promise<GhostSession>;
}

/** Runs an API call as the tab's ghost; if the relay no longer knows it (401), starts a new ghost once and retries. */
async function asGhost<T>(env: RoomEnv, call: (bearer: string) => Promise<T>): Promise<T> {
  const ghost = await env.ghost();
  try {
    return await call(ghost.bearer);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    ghost.wipe();
    return call((await env.ghost()).bearer);
  }
}

/**
 * One room as the page holds it: keys in memory only, decrypted messages in
 * signals, and a relay connection. Everything it holds is forgotten by wipe().
 */
export class RoomSession {
  readonly messages = signal<ChatMessage[]>([]);
  readonly members = signal<string[]>([]);
  readonly me = signal<string | null>(null);
  readonly connection = signal<ConnectionState>({ phase: 'idle' });
  readonly expiresAt = signal<number | null>(null);
  readonly notice = signal<string | null>(null);

  private readonly client: RelayClient;
  private readonly seen = new Set<string>();
  private readonly pending = new Map<number, string>();
  private nextRef = 1;
  private unregister: () => void;

  private constructor(
    private secret: Uint8Array<ArrayBuffer>,
    private keys: RoomKeys,
    private readonly env: RoomEnv,
  ) {
    const ws = env.origin.replace(/^http/, 'ws') + '/ws';
    this.client = new RelayClient({
      url: ws,
      WebSocket: env.WebSocket,
      joinToken: async () =>
        asGhost(env, async (bearer) =>
          (await postJson(`${env.origin}/api/rooms/${keys.roomId}/join-tokens`, { accessKey: toBase64url(keys.accessKey) }, joinTokenResponseSchema, env.fetch, bearer)).token,
        ),
      onMessage: (m) => void this.onMessage(m),
      onState: (s) => (this.connection.value = s),
    });
    this.unregister = registerWipe(() => this.wipe());
  }

  /** The invite link: the secret travels only in the fragment, which browsers never send. */
  get link(): string {
    return `${this.env.origin}/r#${toBase64url(this.secret)}`;
  }

  get roomId(): string {
    return this.keys.roomId;
  }

  /** Creates a room on the relay from a fresh secret and joins it. */
  static async create(env: RoomEnv): Promise<RoomSession> {
    const secret = newRoomSecret();
    const keys = await deriveRoomKeys(secret);
    const body = { roomId: keys.roomId, accessKeyHash: keys.accessKeyHash };
    const created = await asGhost(env, async (bearer) => {
      const post = (extra = {}) => postJson(`${env.origin}/api/rooms`, { ...body, ...extra }, createRoomResponseSchema, env.fetch, bearer);
      try {
        return await post();
      } catch (err) {
        // Under load the relay asks for a proof of work before it registers a room.
        if (!(err instanceof ApiError) || err.code !== 'pow_required') throw err;
        return post({ pow: await solveRelayPow(env.origin, env.fetch) });
      }
    });
    const s = new RoomSession(secret, keys, env);
    s.expiresAt.value = created.expiresAt;
    s.client.connect();
    return s;
  }

  /** Joins the room whose secret came from an invite link's fragment. */
  static async join(secretText: string, env: RoomEnv): Promise<RoomSession> {
    let secret: Uint8Array<ArrayBuffer>;
    try {
      secret = fromBase64url(secretText);
    } catch {
      throw new Error('This invite link is damaged. Ask for the link again.');
    }
    if (secret.length !== ROOM_SECRET_BYTES) throw new Error('This invite link is damaged. Ask for the link again.');
    const s = new RoomSession(secret, await deriveRoomKeys(secret), env);
    s.client.connect();
    return s;
  }

  /** Encrypts and sends a text message; it shows at once as "sending". */
  async send(body: string): Promise<void> {
    const text = body.trim();
    if (!text) return;
    const content: RoomContent = { k: 'text', id: toBase64url(randomBytes(12)), body: text, at: Date.now() };
    const ref = this.nextRef++;
    this.seen.add(content.id);
    this.pending.set(ref, content.id);
    this.messages.value = [...this.messages.value, { id: content.id, mine: true, from: this.me.value ?? '', body: text, at: content.at, status: 'sending' }];
    const sealed = await seal(this.keys.contentKey, this.keys.roomId, utf8(JSON.stringify(content)));
    const ok = this.client.send({ v: PROTOCOL_VERSION, type: 'frame', room: this.keys.roomId, ref, data: toBase64url(sealed) });
    if (!ok) this.update(content.id, { status: 'failed' });
  }

  private update(id: string, patch: Partial<ChatMessage>): void {
    this.messages.value = this.messages.value.map((m) => (m.id === id ? { ...m, ...patch } : m));
  }

  private async onMessage(msg: ServerMessage): Promise<void> {
    switch (msg.type) {
      case 'joined':
        this.me.value = msg.member;
        this.members.value = msg.members;
        this.expiresAt.value = msg.expiresAt;
        this.notice.value = null;
        return;
      case 'presence':
        this.members.value =
          msg.event === 'join' ? [...this.members.value.filter((m) => m !== msg.member), msg.member] : this.members.value.filter((m) => m !== msg.member);
        return;
      case 'sent': {
        const id = this.pending.get(msg.ref);
        if (id) {
          this.pending.delete(msg.ref);
          this.update(id, { status: 'sent', delivered: msg.delivered });
        }
        return;
      }
      case 'frame': {
        let content: RoomContent;
        try {
          const plain = await open(this.keys.contentKey, this.keys.roomId, fromBase64url(msg.data));
          const parsed = roomContentSchema.safeParse(JSON.parse(fromUtf8(plain)));
          if (!parsed.success) return;
          content = parsed.data;
        } catch {
          // Not sealed with this room's key: forged, tampered or from another room. Drop it.
          return;
        }
        if (this.seen.has(content.id)) return;
        this.seen.add(content.id);
        this.messages.value = [...this.messages.value, { id: content.id, mine: false, from: msg.from, body: content.body, at: content.at, status: 'received' }];
        return;
      }
      case 'error':
        this.notice.value = msg.message;
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  /** Reconnects at once if waiting (the browser came back online). */
  nudge(): void {
    this.client.nudge();
  }

  leave(): void {
    this.wipe();
  }

  /** Closes the connection and forgets the secret, keys and every decrypted message. */
  wipe(): void {
    this.client.close();
    this.secret.fill(0);
    this.keys.accessKey.fill(0);
    this.messages.value = [];
    this.members.value = [];
    this.seen.clear();
    this.pending.clear();
    this.unregister();
  }
}
