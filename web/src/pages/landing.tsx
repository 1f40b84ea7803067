import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { ActiveGhosts } from '../components/active-ghosts.js';
import { InstallOffer } from '../components/app-banner.js';
import { CreateRoomForm } from '../components/create-room-form.js';
import { EnterGhost } from '../components/enter-ghost.js';
import { PasteInvite } from '../components/paste-invite.js';
import { ghostView } from '../ghost-view.js';
import { lazyPage } from '../lazy.js';
import type { RoomSettings } from '../models/room.js';
import { MissingProtections } from '../components/missing-protections.js';
import { navigate } from '../router.js';
import { openRoom } from '../state.js';
import { userMessage } from '../user-message.js';

// The lobby validates the relay's answer and checks each room's secret: schemas and crypto the landing page loads only once a ghost has entered.
const LazyLobby = lazyPage(() => import('../components/lobby.js').then((m) => () => <m.Lobby />), 'Loading public rooms…');

/** What Ghostwire is and is not, and the ways in: create a room, paste an invite, scan a QR code. */
export function Landing() {
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const ghost = ghostView.value;
  // "/?new" (the home-screen shortcut, "Create a room" on a gone room): straight to the create form.
  const wantsNew = typeof location !== 'undefined' && new URLSearchParams(location.search).has('new');
  useEffect(() => {
    if (wantsNew && ghost) document.getElementById('room-name')?.focus();
  }, [wantsNew, !!ghost]);

  const create = async (settings: RoomSettings) => {
    busy.value = true;
    error.value = null;
    try {
      // Loaded on demand: the ghost and room models pull in the crypto and wire schemas the landing page does not need.
      const [{ RoomSession }, { ensureGhost }] = await Promise.all([import('../models/room.js'), import('../models/ghost.js')]);
      openRoom(await RoomSession.create({ origin: location.origin, WebSocket, ghost: () => ensureGhost(location.origin), ...(settings.mls ? { mls: true } : {}) }, settings));
      navigate('/r');
    } catch (err) {
      error.value = userMessage(err, 'The room could not be created. Check your connection and try again.');
    } finally {
      busy.value = false;
    }
  };

  return (
    <main class="max-w-xl mx-auto p-5 flex flex-col gap-5 pt-page">
      <h1 class="text-3xl font-bold m-0">Ghostwire</h1>
      <p class="m-0 text-lg">Ephemeral, anonymous, end-to-end encrypted chat. No account. Nothing outlives its timer.</p>
      {!wantsNew && (
        <ul class="m-0 pl-5 text-mute flex flex-col gap-1">
          <li>Messages are encrypted in your browser. The relay only forwards ciphertext of one fixed size.</li>
          <li>The room's secret lives only in the link's <code>#fragment</code>, which browsers never send to a server.</li>
          <li>It protects what you say, not every trace that you said it: the relay still sees when you connect and from which address.</li>
        </ul>
      )}
      <ActiveGhosts />
      <MissingProtections />
      {ghost ? (
        <section aria-labelledby="entered-h" class="flex flex-col gap-3">
          <h2 id="entered-h" class="text-lg m-0" data-testid="entered">
            You are in, anonymously
          </h2>
          <p class="m-0 text-sm text-mute">
            In each room you get a new name, made for that room only: it is all the others see, and two rooms cannot tell it is you. Your session ends when you self-destruct, close the tab, or stay idle too long.
          </p>
          <h3 class="text-base m-0">Create a room</h3>
          <CreateRoomForm busy={busy.value} onCreate={(s) => void create(s)} />
          {error.value && (
            <p role="alert" class="m-0 text-bad">
              {error.value}
            </p>
          )}
        </section>
      ) : (
        <>
          {wantsNew && <p class="m-0">To create a room, enter anonymously first.</p>}
          <EnterGhost />
        </>
      )}
      <section aria-label="Join a room" class="flex flex-col gap-3">
        <PasteInvite />
        <div>
          <button class="btn-quiet" onClick={() => navigate('/scan')}>
            Scan a QR code
          </button>
        </div>
      </section>
      {ghost && <LazyLobby />}
      <nav aria-label="More" class="flex flex-wrap gap-x-5 gap-y-2">
        <a class="text-ghost underline py-2" href="/d" onClick={(e) => {
          e.preventDefault();
          navigate('/d');
        }}>
          Direct mode (one to one, peer to peer)
        </a>
        <a class="text-ghost underline py-2" href="/privacy" onClick={(e) => {
          e.preventDefault();
          navigate('/privacy');
        }}>
          Privacy
        </a>
      </nav>
      <InstallOffer />
    </main>
  );
}
