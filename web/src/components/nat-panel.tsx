import { useSignal } from '@preact/signals';
import { fetchIce } from '../direct/ice.js';
import type { Diagnosis, PathVerdict } from '../direct/nat-diagnostics.js';
import { probeNat } from '../direct/nat-probe.js';

const VERDICT: Record<PathVerdict, string> = {
  works: 'works',
  failed: 'failed',
  'not-offered': 'not offered by this relay',
  'not-tried': 'not tried (hide my IP)',
  pending: 'trying…',
};

/** Which paths were tried and what failed, in plain words (from nat-diagnostics.ts). */
export function NatDiagnosis({ d, label }: { d: Diagnosis; label: string }) {
  return (
    <section class="text-sm flex flex-col gap-1" aria-label={label}>
      <ul class="m-0 pl-5">
        <li data-path="direct" data-verdict={d.direct}>Direct between your addresses: {VERDICT[d.direct]}</li>
        <li data-path="stun" data-verdict={d.stun}>Through your NAT (STUN): {VERDICT[d.stun]}</li>
        <li data-path="turn" data-verdict={d.turn}>Through the TURN relay: {VERDICT[d.turn]}</li>
      </ul>
      {d.findings.map((f) => (
        <p key={f} class="m-0" data-testid="nat-finding">{f}</p>
      ))}
    </section>
  );
}

/** "Test my connection": gathers candidates against this relay's ICE servers and says what this network allows. */
export function NatTest({ hideIp }: { hideIp: boolean }) {
  const busy = useSignal(false);
  const result = useSignal<Diagnosis | null>(null);
  const run = async () => {
    busy.value = true;
    result.value = null;
    try {
      result.value = await probeNat(await fetchIce(location.origin), hideIp);
    } finally {
      busy.value = false;
    }
  };
  return (
    <div class="flex flex-col gap-2">
      <div class="flex flex-wrap gap-2 items-center">
        <button class="btn-quiet" onClick={() => void run()} disabled={busy.value}>
          {busy.value ? 'Testing…' : 'Test my connection'}
        </button>
        <span class="text-sm text-mute">Asks only this relay's STUN and TURN servers; nothing is sent to another person.</span>
      </div>
      {result.value && <NatDiagnosis d={result.value} label="Connection test" />}
    </div>
  );
}
