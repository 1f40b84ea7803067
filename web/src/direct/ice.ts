import { iceResponseSchema, type IceResponse } from '../../../protocol/src/messages/signal-ice.js';

/** GET /api/ice; on any failure, no servers (host candidates still work on a LAN, and the relay fallback remains). */
export async function fetchIce(origin: string, fetchImpl: typeof fetch = fetch): Promise<IceResponse> {
  try {
    const res = await fetchImpl(`${origin}/api/ice`, { cache: 'no-store', credentials: 'omit' });
    const parsed = iceResponseSchema.safeParse(await res.json());
    if (res.ok && parsed.success) return parsed.data;
  } catch {
    // Fall through to the empty answer.
  }
  return { iceServers: [], turn: false, expiresAt: null };
}
