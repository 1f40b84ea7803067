/**
 * How relay instances tell each other what their own sockets must hear:
 * frames and presence for a room, and "this ghost was destroyed, close its
 * sockets". One instance alone needs nothing (LocalBus); several share Redis
 * pub/sub (RedisBus). Delivery is best effort, as pub/sub is: an instance
 * that is disconnected at the moment of a publish misses it.
 */
export interface Bus {
  /** This process's id on the bus (random per start); an instance ignores its own messages. */
  readonly instanceId: string;
  /** Starts receiving a room's messages from other instances; resolves once subscribed. */
  subscribeRoom(roomId: string): Promise<void>;
  unsubscribeRoom(roomId: string): Promise<void>;
  /** Hands an encoded server message to the other instances' members of the room, except member `except`. */
  publishRoom(roomId: string, frame: Buffer, except?: string): Promise<void>;
  /**
   * The header a store's sendFrame prefixes to a frame it publishes for the
   * other instances (numbering and publishing in one step); undefined when
   * there is nobody to publish to.
   */
  frameHeader(roomId: string, except?: string): string | undefined;
  /** Tells every other instance to close the ghost's sockets. */
  publishGhostClosed(ghostId: string): Promise<void>;
  /** Registers the receivers (the hub). */
  onRoom(handler: (roomId: string, frame: Buffer, except: string | undefined) => void): void;
  onGhostClosed(handler: (ghostId: string) => void): void;
  /** Present when /signal peers can meet across instances. */
  readonly direct?: DirectLink;
  close(): Promise<void>;
}

/** Instance-to-instance messages for /signal: each instance hears one channel of its own. */
export interface DirectLink {
  readonly instanceId: string;
  /** Sends one message to the instance that holds a peer. */
  publish(instanceId: string, message: string): void;
  onMessage(handler: (message: string) => void): void;
}

/** The bus of a single instance: there is nobody else to tell. */
export class LocalBus implements Bus {
  readonly instanceId = 'local';
  async subscribeRoom(): Promise<void> {}
  async unsubscribeRoom(): Promise<void> {}
  async publishRoom(): Promise<void> {}
  frameHeader(): undefined {
    return undefined;
  }
  async publishGhostClosed(): Promise<void> {}
  onRoom(): void {}
  onGhostClosed(): void {}
  async close(): Promise<void> {}
}
