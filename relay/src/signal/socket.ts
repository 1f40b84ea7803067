import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import { SIGNAL_RATE_BURST, SIGNAL_RATE_PER_SECOND, SIGNAL_MAX_MESSAGE_BYTES, SIGNAL_SLOW_CONSUMER_BYTES } from '../../../protocol/src/limits.js';
import {
  SIGNAL_CLIENT_MESSAGE_TYPES,
  signalClientMessageSchema,
  type SignalClientMessage,
  type SignalRelayed,
  type SignalServerMessage,
} from '../../../protocol/src/signal-message.js';
import type { DirectPath } from '../../../protocol/src/messages/signal-path.js';
import type { Metrics } from '../metrics.js';
import type { ManagedSocket, RouteSocket, SocketRoute } from '../ws/managed-socket.js';
import type { JoinResult, SignalPeer, SignalRooms, StrangerResult } from './hub.js';

/** What /signal adds to a managed socket: direct rooms, stranger pairing, and relaying what it parsed (re-encoded, unknown fields dropped), never the raw bytes. */
class SignalConnection implements SignalPeer, RouteSocket<SignalClientMessage> {
  /** Whether the other peer is here, as the hub told this peer (works the same for rooms spread over instances). */
  private paired = false;
  private pathReported = false;

  constructor(
    private readonly sock: ManagedSocket,
    private readonly hub: SignalRooms,
    private readonly metrics: Pick<Metrics, 'directPaths'>,
  ) {}

  send(msg: SignalServerMessage): boolean {
    if (msg.type === 'joined') this.paired = msg.peer;
    else if (msg.type === 'peer') this.paired = msg.event === 'join';
    return this.sock.send(JSON.stringify(msg));
  }

  fail(code: ErrorCode, message: string, closeCode?: CloseCode): void {
    this.sock.fail(code, message, closeCode);
  }

  ended(): void {
    this.hub.leave(this);
  }

  async handle(msg: SignalClientMessage): Promise<void> {
    switch (msg.type) {
      case 'join':
        { this.enter(await this.hub.join(msg.room, this)); return; }
      case 'stranger':
        { this.enter(await this.hub.stranger(this)); return; }
      case 'key':
      case 'confirm':
      case 'rtc':
      case 'data':
        { this.relay(msg); return; }
      case 'leave':
        { this.sock.close(CloseCode.Normal, 'left'); return; }
      case 'path':
        { this.countPath(msg.path); return; }
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  private enter(result: JoinResult | StrangerResult): void {
    switch (result) {
      case 'ok':
      case 'waiting':
      case 'paired':
        return this.sock.joined();
      case 'full':
        return this.fail(ErrorCode.RoomFull, 'Two people are already in this direct session. Ask for a new direct link.', CloseCode.RoomFull);
      case 'busy':
        return this.fail(ErrorCode.Unavailable, 'Too many strangers are waiting right now. Try again in a minute.', CloseCode.Unavailable);
      case 'again':
        return this.fail(ErrorCode.BadRequest, 'This socket is already in a direct session; open a new one for another.', CloseCode.ProtocolError);
      default: {
        const never: never = result;
        return never;
      }
    }
  }

  /** One report per socket, and only from a paired room: an aggregate a lone client cannot pump. */
  private countPath(path: DirectPath): void {
    if (this.pathReported || !this.paired) return;
    this.pathReported = true;
    this.metrics.directPaths[path]++;
  }

  private relay(msg: SignalRelayed): void {
    const r = this.hub.relay(this, msg);
    if (r === 'not-joined') return this.fail(ErrorCode.NotJoined, 'Join a direct room (or be paired with a stranger) first.');
    if (r === 'no-peer') return this.fail(ErrorCode.NoPeer, 'The other person is not here yet; wait for them to open the link.');
  }
}

/** The /signal route: SDP, ICE and keys between two peers, on the shared socket layer. Each message costs one token. */
export function signalRoute(hub: SignalRooms, metrics: Pick<Metrics, 'directPaths'>): SocketRoute<SignalClientMessage> {
  return {
    name: 'signal',
    schema: signalClientMessageSchema,
    types: SIGNAL_CLIENT_MESSAGE_TYPES,
    limits: { ratePerSecond: SIGNAL_RATE_PER_SECOND, rateBurst: SIGNAL_RATE_BURST, slowConsumerBytes: SIGNAL_SLOW_CONSUMER_BYTES, cost: () => 1, maxMessageBytes: SIGNAL_MAX_MESSAGE_BYTES },
    open: (sock) => new SignalConnection(sock, hub, metrics),
  };
}
