import { Hono } from 'hono';
import type { StatsResponse } from '../../../protocol/src/messages/stats-api.js';
import type { Deps } from '../deps.js';
import { COUNTER_BUCKETS } from '../store/store.js';

/** Stats are reused this long per instance, so polling the endpoint cannot load the store. */
const STATS_CACHE_MS = 2000;
/** Room creation rate is averaged over this many whole minutes plus the current one. */
const RATE_MINUTES = 4;

export function statsRoutes(deps: Deps): Hono {
  const r = new Hono();
  let cached: { at: number; body: StatsResponse } | undefined;
  r.get('/', async (c) => {
    const now = deps.now();
    if (!cached || now - cached.at > STATS_CACHE_MS) {
      const [s, messagesLastHour, roomsCreatedLastHour, recentRooms, powDifficulty] = await Promise.all([
        deps.store.stats(now),
        deps.store.recentCount('msg', now, COUNTER_BUCKETS - 1),
        deps.store.recentCount('room', now, COUNTER_BUCKETS - 1),
        deps.store.recentCount('room', now, RATE_MINUTES),
        deps.pow.difficulty(),
      ]);
      const minutes = RATE_MINUTES + (now % 60_000) / 60_000;
      cached = {
        at: now,
        body: {
          activeGhosts: s.activeGhosts,
          activeRooms: s.activeRooms,
          publicRooms: s.publicRooms,
          messagesLastHour,
          roomsCreatedLastHour,
          roomCreationPerMinute: Math.round((recentRooms / minutes) * 100) / 100,
          meanSessionSeconds: s.endedSessions ? Math.round(s.endedSessionMs / s.endedSessions / 1000) : null,
          powDifficulty,
        },
      };
    }
    return c.json(cached.body);
  });
  return r;
}
