import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';
import { createGhost, over } from '../support/ghost.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, joinedSocket, textFrame, type TestSocket } from '../support/ws-client.js';

/** V8 prints one `pretenuring:` line per GC that looked at allocation-site feedback, and none while pretenuring is off. */
const TRACE = '--trace-pretenuring-statistics';
const pretenuringLines = (lines: string[]) => lines.filter((l) => l.includes('pretenuring:'));

/** Object literals kept across young GCs: the feedback V8 pretenures on. */
const LONG_LIVED_LITERALS = `
const keep = [];
const make = (i) => ({ a: i, b: [i], c: 'x' + i });
for (let r = 0; r < 40; r++) {
  for (let i = 0; i < 50000; i++) keep.push(make(i));
  if (keep.length > 400000) keep.splice(0, 200000);
}`;

const ROOMS = 4;
const MEMBERS = 40;
const FRAMES = 300;

describe('the relay process runs with allocation-site pretenuring off (relay/src/v8-tuning.ts)', () => {
  let relay: RelayProcess;
  /** Lines V8 printed before the relay listened: GCs while the packages load, before main() sets the flag. */
  let atStart = 0;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    relay = await startRelayProcess({ POW_DIFFICULTY: '1', POW_MAX_DIFFICULTY: '1', WS_RATE_PER_SECOND: '100000', WS_RATE_BURST: '100000', WS_MAX_SOCKETS_PER_GHOST: '1000' }, { nodeArgs: [TRACE] });
    atStart = pretenuringLines(relay.output).length;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await relay?.stop();
  });

  it('the probe works: a plain Node process with the same trace flag prints pretenuring decisions', () => {
    const r = spawnSync(process.execPath, [TRACE, '-e', LONG_LIVED_LITERALS], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(pretenuringLines(r.stdout.split('\n')).length).toBeGreaterThan(0);
  });

  it('prints none once it listens, through joins and fanout', async () => {
    for (let r = 0; r < ROOMS; r++) {
      const ghost = await createGhost(over(relay.url));
      const keys = await createRoom(relay.url, { capacity: MEMBERS, ghost });
      const members: TestSocket[] = [];
      for (let m = 0; m < MEMBERS; m++) members.push(await joinedSocket(relay.url, keys, ghost));
      sockets.push(...members);
      const { data } = await textFrame(keys, 0, 'x'.repeat(1000));
      for (let ref = 0; ref < FRAMES; ref++) members[0]!.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref, data });
      await members[MEMBERS - 1]!.next('frame', (f) => f.seq >= FRAMES);
    }
    await relay.stop();
    // Without the flag, this traffic printed 14 more lines (checked by building the relay without tuneV8).
    expect(pretenuringLines(relay.output).slice(atStart)).toEqual([]);
  });
});
