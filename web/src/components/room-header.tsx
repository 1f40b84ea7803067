import { useSignal } from '@preact/signals';
import type { RoomSession } from '../models/room.js';
import type { RoomStatus } from '../models/room-status.js';
import { ConnectionBadge } from './connection-badge.js';
import { Countdown } from './countdown.js';
import { MenuIcon, MoreIcon } from './icons.js';
import { SelfDestructButton } from './self-destruct-button.js';

export type RoomPanel = 'invite' | 'people' | null;

interface Props {
  room: RoomSession;
  status: RoomStatus;
  unreadElsewhere: number;
  panel: RoomPanel;
  onPanel(p: RoomPanel): void;
  onRooms(): void;
  onLeave(): void;
}

/**
 * One compact bar: rooms (phones), name and state, people, share, and a menu
 * for the rest (safety code, leave, self-destruct), so the messages keep the screen.
 */
export function RoomHeader({ room, status, unreadElsewhere, panel, onPanel, onRooms, onLeave }: Props) {
  const menu = useSignal(false);
  const explain = useSignal(false);
  const others = room.members.value.length;
  const toggle = (p: RoomPanel) => onPanel(panel === p ? null : p);
  return (
    <header class="relative border-b border-line pt-safe">
      <div class="flex items-center gap-1 px-2 py-1">
        <button type="button" class="btn-icon md:hidden relative" aria-label={unreadElsewhere ? `Your rooms, ${unreadElsewhere} unread` : 'Your rooms'} onClick={onRooms}>
          <MenuIcon />
          {unreadElsewhere > 0 && (
            <span class="badge absolute top-0 right-0" data-testid="unread-elsewhere">
              {unreadElsewhere}
            </span>
          )}
        </button>
        <div class="flex-1 min-w-0 px-1">
          <h1 class="text-base m-0 truncate">
            <bdi data-testid="room-name">{room.name.value ?? 'Room'}</bdi>
            {room.isPublic.value && (
              <span class="ml-2 text-xs text-warn" data-testid="public-badge">
                Public · not private
              </span>
            )}
          </h1>
          <div class="flex flex-wrap items-center gap-x-2 min-w-0 text-xs whitespace-nowrap">
            <ConnectionBadge status={status} />
            {status.kind === 'connected' && room.expiresAt.value && <Countdown until={room.expiresAt.value} label="Room self-destructs in" class="text-xs" />}
          </div>
        </div>
        <button type="button" class="btn-quiet text-sm" aria-expanded={panel === 'people'} aria-label={`People: ${others + 1} here`} onClick={() => toggle('people')}>
          <span data-testid="participants">{others + 1} here</span>
        </button>
        {others > 0 && (
          <button type="button" class="btn-quiet text-sm" aria-expanded={panel === 'invite'} onClick={() => toggle('invite')}>
            Share
          </button>
        )}
        <button type="button" class="btn-icon" aria-label="Room menu" aria-expanded={menu.value} aria-controls="room-menu" onClick={() => (menu.value = !menu.value)}>
          <MoreIcon />
        </button>
      </div>
      {menu.value && (
        <div id="room-menu" class="menu absolute right-2 top-full z-10 w-80 max-w-[calc(100vw-1rem)] flex flex-col gap-2 p-3" role="group" aria-label="Room menu">
          {room.safetyCode.value && (
            <div class="flex flex-col gap-1">
              <button type="button" class="btn-quiet text-left font-mono" aria-expanded={explain.value} onClick={() => (explain.value = !explain.value)} data-testid="safety-code">
                Safety code {room.safetyCode.value}
              </button>
              {explain.value && (
                <p class="m-0 text-sm text-mute" data-testid="safety-explained">
                  {room.mls
                    ? 'Everyone in the same group sees this same code, and it changes whenever someone joins or leaves and when keys refresh. Compare it with the others at the same moment, out loud or in person: a different code means you are not all in the same group: someone, the relay perhaps, split it.'
                    : 'Everyone who opened the same link sees this same code. Compare it with the others in the room, out loud or in person: a different code means someone got a different (tampered) link, and you are not in the same room.'}
                </p>
              )}
            </div>
          )}
          <button type="button" class="btn-quiet text-left" onClick={() => {
                menu.value = false;
                toggle('invite');
              }}>
            Invite people
          </button>
          <button type="button" class="btn-quiet text-left" onClick={onLeave}>
            Leave this room
          </button>
          <SelfDestructButton />
        </div>
      )}
    </header>
  );
}
