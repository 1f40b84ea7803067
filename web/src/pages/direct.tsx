import { signal, useSignal, useSignalEffect } from '@preact/signals';
import { DirectLinkPaste } from '../components/direct-link-paste.js';
import { MissingProtections } from '../components/missing-protections.js';
import { NatTest } from '../components/nat-panel.js';
import { DirectSession, type DirectEnv, type DirectOptions } from '../direct/session.js';
import { DirectView } from '../direct/ui/direct-view.js';
import { OptionsFields } from '../direct/ui/options-fields.js';
import { DAMAGED_LINK, START_FAILED } from '../direct/words.js';
import { navigate } from '../router.js';
import { pendingDirectSecret } from '../state.js';
import { registerWipe } from '../wipe.js';

/** The direct session this tab holds, if any. Memory only. */
export const currentDirect = signal<DirectSession | null>(null);
/** A direct link's secret the user has opened but not yet joined (they choose options first). Memory only. */
const invite = signal<string | null>(null);
registerWipe(() => (invite.value = null));

// globalThis: where WebRTC is off (Tor Browser), the bare name would throw.
const env = (): DirectEnv => ({ origin: location.origin, WebSocket, RTCPeerConnection: globalThis.RTCPeerConnection });

/** Our own sentences pass through; anything else (a browser's exception text) becomes one that says what to do. */
const sentence = (err: unknown): string => (err instanceof Error && err.message === DAMAGED_LINK ? DAMAGED_LINK : START_FAILED);

/** Direct mode ("GhostWire"): a 1:1 end-to-end encrypted WebRTC session bound to a link secret. */
export function Direct() {
  const error = useSignal<string | null>(null);
  const options = useSignal<DirectOptions>({ hideIp: false, cover: false, jitter: false });

  // Also runs when a link is opened in-app (a scanned QR) while this page is already showing.
  useSignalEffect(() => {
    const secret = pendingDirectSecret.value;
    if (!secret) return;
    pendingDirectSecret.value = null;
    currentDirect.peek()?.wipe();
    currentDirect.value = null;
    error.value = null;
    invite.value = secret;
  });

  const start = async (how: 'create' | 'stranger' | 'join') => {
    error.value = null;
    currentDirect.value?.wipe();
    currentDirect.value = null;
    try {
      if (how === 'join') {
        const secret = invite.value;
        invite.value = null;
        if (!secret) return;
        currentDirect.value = await DirectSession.join(secret, env(), options.value);
      } else {
        currentDirect.value = how === 'create' ? await DirectSession.create(env(), options.value) : await DirectSession.stranger(env(), options.value);
      }
    } catch (err) {
      error.value = sentence(err);
    }
  };

  const leave = () => {
    currentDirect.value?.wipe();
    currentDirect.value = null;
    navigate('/d');
  };

  const session = currentDirect.value;
  if (session) return <DirectView session={session} onLeave={leave} />;

  const fields = <OptionsFields value={options.value} onChange={(o) => (options.value = o)} />;
  const errorLine = error.value && (
    <p role="alert" class="m-0 text-bad">
      {error.value}
    </p>
  );

  if (invite.value) {
    return (
      <main class="max-w-xl mx-auto p-4 flex flex-col gap-4">
        <h1 class="text-2xl font-bold m-0">Join a direct session</h1>
        <p class="m-0">
          Someone sent you a direct link: a one-to-one conversation straight between your two browsers, end-to-end encrypted. Choose how to connect, then
          join.
        </p>
        {errorLine}
        {fields}
        <div class="flex flex-wrap gap-2">
          <button class="btn min-h-11" onClick={() => void start('join')}>
            Join
          </button>
          <button class="btn-quiet min-h-11" onClick={() => (invite.value = null)}>
            Not now
          </button>
        </div>
      </main>
    );
  }

  return (
    <main class="max-w-xl mx-auto p-4 flex flex-col gap-4">
      <div>
        <button class="btn-quiet min-h-11" onClick={() => navigate('/')}>
          ‹ Home
        </button>
      </div>
      <h1 class="text-2xl font-bold m-0">Direct (peer to peer)</h1>
      <p class="m-0">
        A one-to-one session straight between two browsers. The link's secret never reaches the relay; your keys are mixed with it, so a relay that swaps
        keys is caught before anything is sent.
      </p>
      {errorLine}
      <MissingProtections />
      {fields}
      <div class="flex flex-wrap gap-2">
        <button class="btn min-h-11" onClick={() => void start('create')}>
          Create direct link
        </button>
        <button class="btn-quiet min-h-11" onClick={() => void start('stranger')}>
          Meet a stranger
        </button>
      </div>
      <DirectLinkPaste />
      <NatTest hideIp={options.value.hideIp} />
      <p class="m-0 text-sm text-mute">
        Stranger mode pairs you with a random person who is waiting. There is no shared link secret, so only comparing the safety number can show a man in
        the middle.
      </p>
    </main>
  );
}
