import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { JOIN_TOKEN_TTL_SECONDS } from '../../protocol/src/limits.js';

/** What a join token asserts: room, single-use id, expiry (epoch seconds) and the store epoch. */
const claimsSchema = z.object({ r: z.string(), j: z.string(), x: z.number().int(), e: z.string() });
export type JoinClaims = z.infer<typeof claimsSchema>;

/** Mints and checks HMAC-SHA-256 join tokens: `base64url(claims).base64url(mac)`. */
export class JoinTokens {
  constructor(
    private readonly secret: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  private mac(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }

  mint(roomId: string, epoch: string): { token: string; expiresAt: number } {
    const expiresAt = Math.floor(this.now() / 1000) + JOIN_TOKEN_TTL_SECONDS;
    const claims: JoinClaims = { r: roomId, j: randomBytes(16).toString('base64url'), x: expiresAt, e: epoch };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${body}.${this.mac(body).toString('base64url')}`, expiresAt: expiresAt * 1000 };
  }

  /** Returns the claims if the MAC is valid, the token unexpired and bound to `epoch`; null otherwise. */
  verify(token: string, epoch: string): JoinClaims | null {
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
    const claims = claimsSchema.safeParse(json);
    if (!claims.success) return null;
    if (claims.data.x * 1000 <= this.now() || claims.data.e !== epoch) return null;
    return claims.data;
  }
}
