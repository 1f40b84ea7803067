import type { SignalServerMessage } from '../../protocol/src/signal-message.js';
import { RecordingSocket } from './recording-socket.js';

/** A test client on /signal that records everything it receives and how the socket closed. */
export class SignalSocket extends RecordingSocket<SignalServerMessage> {
  static async open(base: string, headers: Record<string, string> = {}): Promise<SignalSocket> {
    return RecordingSocket.connect((ws) => new SignalSocket(ws), base, '/signal', headers);
  }
}
