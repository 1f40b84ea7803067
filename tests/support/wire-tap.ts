import { createConnection, createServer, type Socket } from 'node:net';

export interface WireTap {
  url: string;
  port: number;
  /** Everything clients sent: HTTP as-is, WebSocket payloads unmasked. */
  fromClients(): Buffer;
  /** Everything the relay sent back. */
  fromRelay(): Buffer;
  /** WebSocket text payloads clients sent, one string each. */
  clientWsMessages(): string[];
  /** WebSocket text payloads the relay sent, one string each. */
  relayWsMessages(): string[];
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the relay that records every byte in both
 * directions, and unmasks client WebSocket frames (RFC 6455 §5.3), so a test
 * can search what the relay actually received.
 */
/** An RFC 6455 frame reader fed with chunks; collects text messages (reassembling fragments). */
function wsReader(onPayload: (p: Buffer) => void, onText: (t: string) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  let fragments: Buffer[] = [];
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 2) return;
      const b0 = pending[0]!;
      const b1 = pending[1]!;
      let len = b1 & 0x7f;
      let off = 2;
      if (len === 126) {
        if (pending.length < 4) return;
        len = pending.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (pending.length < 10) return;
        len = Number(pending.readBigUInt64BE(2));
        off = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      const mask = masked ? pending.subarray(off, off + 4) : null;
      if (masked) off += 4;
      if (pending.length < off + len) return;
      const payload = Buffer.from(pending.subarray(off, off + len));
      if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
      pending = pending.subarray(off + len);
      onPayload(payload);
      const opcode = b0 & 0x0f;
      if (opcode === 1 || opcode === 0) fragments.push(payload);
      if ((b0 & 0x80) !== 0 && (opcode === 1 || opcode === 0) && fragments.length) {
        onText(Buffer.concat(fragments).toString('utf8'));
        fragments = [];
      }
    }
  };
}

export async function startWireTap(targetPort: number): Promise<WireTap> {
  const up: Buffer[] = [];
  const down: Buffer[] = [];
  const wsMessages: string[] = [];
  const relayMessages: string[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((client) => {
    sockets.add(client);
    const relay = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(relay);
    let upgraded = false;
    let relayUpgraded = false;
    let relayHead = Buffer.alloc(0);
    const readClient = wsReader((p) => up.push(p), (t) => wsMessages.push(t));
    const readRelay = wsReader(() => undefined, (t) => relayMessages.push(t));

    client.on('data', (chunk) => {
      relay.write(chunk);
      if (upgraded) return readClient(chunk);
      const text = chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end >= 0 && /^upgrade:\s*websocket/im.test(text.slice(0, end))) {
        up.push(chunk.subarray(0, end + 4));
        upgraded = true;
        readClient(Buffer.from(chunk.subarray(end + 4)));
      } else {
        up.push(chunk);
      }
    });
    relay.on('data', (chunk) => {
      down.push(chunk);
      client.write(chunk);
      if (relayUpgraded) return readRelay(chunk);
      relayHead = Buffer.concat([relayHead, chunk]);
      const end = relayHead.indexOf('\r\n\r\n');
      if (end >= 0 && relayHead.subarray(0, 12).toString('latin1') === 'HTTP/1.1 101') {
        relayUpgraded = true;
        readRelay(relayHead.subarray(end + 4));
      } else if (end >= 0) {
        relayHead = Buffer.alloc(0);
      }
    });
    const end = () => {
      client.destroy();
      relay.destroy();
      sockets.delete(client);
      sockets.delete(relay);
    };
    client.on('close', end);
    relay.on('close', end);
    client.on('error', end);
    relay.on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    fromClients: () => Buffer.concat(up),
    fromRelay: () => Buffer.concat(down),
    clientWsMessages: () => [...wsMessages],
    relayWsMessages: () => [...relayMessages],
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The forms a secret string could take in captured bytes: UTF-8, UTF-16LE and base64 at all three alignments. */
export function encodings(secret: string): Buffer[] {
  const b = Buffer.from(secret, 'utf8');
  const forms = [b, Buffer.from(secret, 'utf16le')];
  for (let shift = 0; shift < 3; shift++) {
    // Drop the edge characters whose base64 depends on neighbouring bytes.
    const b64 = Buffer.concat([Buffer.alloc(shift), b]).toString('base64');
    const inner = b64.slice(shift ? 4 : 0, -4);
    forms.push(Buffer.from(inner), Buffer.from(inner.replace(/\+/g, '-').replace(/\//g, '_')));
  }
  return forms;
}

/**
 * The forms raw key bytes could take on disk or on the wire: the bytes
 * themselves, lower-case hex, and base64/base64url at all three alignments,
 * each as UTF-8 and as UTF-16LE text (how a JS engine may write a string).
 */
export function byteEncodings(bytes: Uint8Array): Array<{ form: string; bytes: Buffer }> {
  const b = Buffer.from(bytes);
  const out: Array<{ form: string; bytes: Buffer }> = [{ form: 'raw', bytes: b }];
  const text: Array<[string, string]> = [['hex', b.toString('hex')]];
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift), b]).toString('base64');
    const inner = b64.slice(shift ? 4 : 0, -4);
    text.push([`base64@${shift}`, inner], [`base64url@${shift}`, inner.replace(/\+/g, '-').replace(/\//g, '_')]);
  }
  for (const [form, t] of text) out.push({ form: `${form}/utf8`, bytes: Buffer.from(t) }, { form: `${form}/utf16le`, bytes: Buffer.from(t, 'utf16le') });
  return out;
}

/** encodings() with a name for each form, for reporting where a secret was found. */
export function namedEncodings(secret: string): Array<{ form: string; bytes: Buffer }> {
  const names = ['utf8', 'utf16le', ...[0, 1, 2].flatMap((s) => [`base64@${s}`, `base64url@${s}`])];
  return encodings(secret).map((bytes, i) => ({ form: names[i]!, bytes }));
}
