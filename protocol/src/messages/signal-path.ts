import { z } from 'zod';
import { versionSchema } from './common.js';

/**
 * How a direct session's bytes travel, by the selected ICE pair's candidate
 * types: `host` (straight between addresses), `srflx` (through NAT mappings
 * found by STUN), `relay` (through TURN), or `relay-fallback` (no WebRTC path:
 * sealed frames through /signal).
 */
export const DIRECT_PATHS = ['host', 'srflx', 'relay', 'relay-fallback'] as const;
export type DirectPath = (typeof DIRECT_PATHS)[number];

/**
 * Client → /signal, once a session has a path: which kind, for the relay's
 * aggregate counters. Never an address; the relay counts one report per socket.
 */
export const signalPathSchema = z.object({
  v: versionSchema,
  type: z.literal('path'),
  path: z.enum(DIRECT_PATHS),
});
