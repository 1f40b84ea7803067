import { DIRECT_FRAME_BYTES } from '../../../../protocol/src/limits.js';
import { shieldSettings } from '../../privacy/shield.js';
import { COVER_MIB_PER_HOUR } from '../camouflage.js';
import { describePath } from '../path.js';
import type { DirectSession } from '../session.js';
import { QrDetails } from './qr-details.js';

/** Everything but the chat: safety number, choices during the session, and the security log (collapsed). */
export function SessionPanel({ session }: { session: DirectSession }) {
  const s = session.state.value;
  const coverOn = s.cover.mine || s.cover.theirs;
  return (
    <section id="direct-panel" aria-label="Session details" class="border-b border-line p-3 flex flex-col gap-4 max-h-[60dvh] overflow-y-auto">
      <div class="flex flex-col gap-2" aria-label="Safety number" role="group">
        <h2 class="text-base m-0">Safety number</h2>
        <p class="m-0 text-sm text-mute">Read it to each other in person or on a call. If both screens show the same digits, nobody is listening in between.</p>
        {s.safety ? (
          <>
            <code class="text-base tracking-wider" data-testid="safety-number" data-qr={s.safety.qr}>
              {s.safety.groups.join(' ')}
            </code>
            <QrDetails summary="Safety number as a QR code" text={s.safety.qr} label="Safety number QR code" size={160} />
            <div>
              <button class="btn-quiet min-h-11" aria-pressed={s.verified} onClick={() => session.markVerified()} disabled={s.verified}>
                {s.verified ? 'Verified' : 'Mark verified'}
              </button>
            </div>
          </>
        ) : (
          <span class="text-sm text-mute">It appears once both devices have exchanged keys.</span>
        )}
        {s.path && (
          <p class="m-0 text-sm" data-testid="path" data-local={s.path.local} data-remote={s.path.remote}>
            {describePath(s.path)}
          </p>
        )}
      </div>
      <fieldset class="border border-line rounded-lg p-3 flex flex-col gap-3 m-0">
        <legend class="text-sm text-mute">During this session</legend>
        <label class="flex gap-3 items-start min-h-11">
          <input class="mt-1 w-5 h-5" type="checkbox" checked={s.cover.mine} onChange={(e) => session.setCover((e.currentTarget).checked)} />
          <span>
            Cover traffic (best effort), about {COVER_MIB_PER_HOUR.toFixed(1)} MiB per hour each way.{' '}
            <span data-testid="cover-state">
              {coverOn
                ? s.cover.mine
                  ? 'On for both of you.'
                  : 'On for both of you, because the other person asked for it.'
                : 'Off.'}
            </span>
          </span>
        </label>
        <label class="flex gap-3 items-start min-h-11">
          <input class="mt-1 w-5 h-5" type="checkbox" checked={s.jitter} onChange={(e) => session.setJitter((e.currentTarget).checked)} />
          <span>Send jitter: delay my messages a little so timing says less (best effort).</span>
        </label>
        <label class="flex gap-3 items-start min-h-11">
          <input
            class="mt-1 w-5 h-5"
            type="checkbox"
            checked={shieldSettings.blurOnBlur.value}
            onChange={(e) => (shieldSettings.blurOnBlur.value = (e.currentTarget).checked)}
          />
          <span>Blur messages when I switch away from this window (best effort: it cannot stop a screenshot or a camera).</span>
        </label>
      </fieldset>
      <details>
        <summary class="min-h-11 flex items-center cursor-pointer">Security log</summary>
        <ul class="text-sm m-0 pl-5 flex flex-col gap-1" aria-label="Security log">
          {s.audit.map((e, i) => (
            <li key={i} data-kind={e.kind} data-ok={e.ok === undefined ? undefined : String(e.ok)}>
              {e.ok === false ? '✗ ' : e.ok ? '✓ ' : ''}
              {e.text}
            </li>
          ))}
        </ul>
        <p class="text-sm text-mute m-0 mt-2" data-testid="traffic" data-sizes={s.stats.sizes.join(',')}>
          Packets sent: {s.stats.framesSent}, each {DIRECT_FRAME_BYTES} bytes ({s.stats.coverSent} of them cover). Cover packets received and thrown away:{' '}
          {s.stats.coverDropped}. Packets not opened because the other side sent too much: {s.stats.framesRefused}.
        </p>
      </details>
    </section>
  );
}
