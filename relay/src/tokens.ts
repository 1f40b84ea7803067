import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { INVITE_TICKET_TTL_SECONDS, JOIN_TOKEN_TTL_SECONDS } from '../../protocol/src/limits.js';

/** What a join token asserts: room, ghost, single-use id, expiry (epoch seconds) and the store epoch. */
const claimsSchema = z.object({ k: z.literal('join'), r: z.string(), g: z.string(), j: z.string(), x: z.number().int(), e: z.string() });
export type JoinClaims = z.infer<typeof claimsSchema>;

/** What an invite ticket asserts: room, expiry and store epoch (a nonce keeps tickets distinct). */
const ticketSchema = z.object({ k: z.literal('invite'), r: z.string(), n: z.string(), x: z.number().int(), e: z.string() });
export type InviteClaims = z.infer<typeof ticketSchema>;

/**
 * Mints and checks HMAC-SHA-256 join tokens and invite tickets:
 * `base64url(claims).base64url(mac)`. The `k` claim keeps one kind from
 * passing for the other.
 */
export class JoinTokens {
  constructor(
    private readonly secret: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  private mac(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }

  private sign(claims: object): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  private open<T extends z.ZodType>(token: string, schema: T, epoch: string): z.infer<T> | null {
    const [body, sig, extra] = token.split('.');
    if (!body || !sig || extra !== undefined) return null;
    const expected = this.mac(body);
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    const claims = schema.safeParse(json);
    if (!claims.success) return null;
    const c = claims.data as { x: number; e: string };
    if (c.x * 1000 <= this.now() || c.e !== epoch) return null;
    return claims.data;
  }

  /** A join token for `ghostId` into `roomId`, good for JOIN_TOKEN_TTL_SECONDS and once. */
  mint(roomId: string, ghostId: string, epoch: string): { token: string; expiresAt: number } {
    const x = Math.floor(this.now() / 1000) + JOIN_TOKEN_TTL_SECONDS;
    const claims: JoinClaims = { k: 'join', r: roomId, g: ghostId, j: randomBytes(16).toString('base64url'), x, e: epoch };
    return { token: this.sign(claims), expiresAt: x * 1000 };
  }

  /** Returns the claims if the MAC is valid, the token unexpired and bound to `epoch`; null otherwise. */
  verify(token: string, epoch: string): JoinClaims | null {
    return this.open(token, claimsSchema, epoch);
  }

  /** An invite ticket for `roomId`, good for INVITE_TICKET_TTL_SECONDS. */
  mintInvite(roomId: string, epoch: string): { ticket: string; expiresAt: number } {
    const x = Math.floor(this.now() / 1000) + INVITE_TICKET_TTL_SECONDS;
    const claims: InviteClaims = { k: 'invite', r: roomId, n: randomBytes(8).toString('base64url'), x, e: epoch };
    return { ticket: this.sign(claims), expiresAt: x * 1000 };
  }

  /** The claims of `ticket` if it is a live invite for `roomId`; null otherwise. */
  verifyInvite(ticket: string, roomId: string, epoch: string): InviteClaims | null {
    const c = this.open(ticket, ticketSchema, epoch);
    return c?.r === roomId ? c : null;
  }
}
