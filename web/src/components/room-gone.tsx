import { GONE_TEXT, type GoneReason } from '../models/room-status.js';
import { navigate } from '../router.js';

/**
 * What replaces a room that can no longer be used: what happened and what to
 * do. No composer, countdown or invite link: a gone room offers nothing that
 * looks alive.
 */
export function RoomGone({ reason, onClose }: { reason: GoneReason; onClose?: () => void }) {
  const t = GONE_TEXT[reason];
  return (
    <main class="max-w-xl mx-auto p-6 flex flex-col gap-4 pt-page" data-testid="room-gone" data-reason={reason}>
      <h1 class="text-2xl m-0">{t.title}</h1>
      <p class="m-0 text-lg" data-testid="room-gone-body">
        {t.body}
      </p>
      <div class="flex flex-wrap gap-3">
        <button class="btn" onClick={() => (onClose?.(), navigate('/?new'))}>
          Create a room
        </button>
        {onClose && (
          <button class="btn-quiet" onClick={onClose}>
            Close this room
          </button>
        )}
        <button class="btn-quiet" onClick={() => (onClose?.(), navigate('/'))}>
          Back to start
        </button>
      </div>
    </main>
  );
}
