import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../../protocol/src/codes.js';
import { GONE_TEXT, roomStatus } from './room-status.js';

const base = { joinedOnce: true, expiresAt: 100_000, since: 1_000, now: 2_000 };

describe('roomStatus', () => {
  it('says connecting first, reconnecting (with when) after having been in', () => {
    expect(roomStatus({ phase: 'connecting', attempt: 0 }, { ...base, joinedOnce: false })).toEqual({ kind: 'connecting' });
    expect(roomStatus({ phase: 'open' }, base)).toEqual({ kind: 'connected' });
    expect(roomStatus({ phase: 'waiting', attempt: 1, retryInMs: 12_000, reason: 'Connection lost.' }, base)).toEqual({ kind: 'reconnecting', reason: 'Connection lost.', retryAt: 13_000 });
  });

  it('tells each way a room is gone apart', () => {
    const closed = (code: number, o = {}) => roomStatus({ phase: 'closed', reason: 'x', code }, { ...base, ...o });
    expect(closed(CloseCode.RoomGone, { joinedOnce: false })).toMatchObject({ kind: 'gone', reason: 'not-found' });
    expect(closed(CloseCode.RoomGone)).toMatchObject({ reason: 'ended' });
    expect(closed(CloseCode.RoomGone, { now: 99_000 })).toMatchObject({ reason: 'expired' });
    expect(closed(CloseCode.RoomFull)).toMatchObject({ reason: 'full' });
    expect(closed(CloseCode.Unauthorized)).toMatchObject({ reason: 'refused' });
    expect(closed(CloseCode.Destroyed)).toMatchObject({ reason: 'destroyed' });
    expect(closed(CloseCode.ProtocolError)).toMatchObject({ reason: 'broken' });
  });

  it('says a rotating invite expired when the relay asked for a fresh ticket', () => {
    const conn = { phase: 'closed' as const, reason: 'x', code: CloseCode.Unauthorized, error: 'invite_required' };
    expect(roomStatus(conn, { ...base, joinedOnce: false })).toMatchObject({ kind: 'gone', reason: 'invite-expired' });
    expect(GONE_TEXT['invite-expired'].body).toMatch(/expired|older/);
  });

  it('gives every gone state a sentence that says what to do', () => {
    for (const t of Object.values(GONE_TEXT)) expect(t.body).toMatch(/(Create|Ask|Try|Enter|Open|Reload)/);
  });
});
