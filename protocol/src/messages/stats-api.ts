import { z } from 'zod';

/** GET /api/stats — aggregate counts only: nothing about any one ghost or room. */
export const statsResponseSchema = z.object({
  activeGhosts: z.number().int().min(0),
  activeRooms: z.number().int().min(0),
  publicRooms: z.number().int().min(0),
  messagesLastHour: z.number().int().min(0),
  roomsCreatedLastHour: z.number().int().min(0),
  /** Rooms created per minute, over the last few minutes. */
  roomCreationPerMinute: z.number().min(0),
  /** Mean length of the sessions that ended in the last hour; null when none did. */
  meanSessionSeconds: z.number().min(0).nullable(),
  /** Current proof-of-work difficulty (leading zero bits). */
  powDifficulty: z.number().int(),
});
export type StatsResponse = z.infer<typeof statsResponseSchema>;
