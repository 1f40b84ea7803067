import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';

const HEAD = `{"v":${PROTOCOL_VERSION},"type":"frame","room":"`;

/**
 * The relay's `frame` message split around its seq: `head + seq + tail` is
 * byte for byte `JSON.stringify({ v, type: 'frame', room, seq, from, data })`,
 * so the store's script can number a frame and finish its bytes itself.
 * All three strings must be base64url (schema-checked ids and sealed frames):
 * JSON escapes nothing in them, so they are spliced in as they are rather than
 * passing a 5.5 kB string through JSON.stringify for every frame.
 */
export function frameParts(room: string, from: string, data: string): { head: string; tail: string } {
  return { head: `${HEAD}${room}","seq":`, tail: `,"from":"${from}","data":"${data}"}` };
}

/** The `sent` ack, byte for byte `JSON.stringify({ v, type: 'sent', room, ref, seq, delivered })` for a base64url room and integers. */
export function sentAck(room: string, ref: number, seq: number, delivered: number): string {
  return `{"v":${PROTOCOL_VERSION},"type":"sent","room":"${room}","ref":${ref},"seq":${seq},"delivered":${delivered}}`;
}

const COMMIT_HEAD = `{"v":${PROTOCOL_VERSION},"type":"commit","room":"`;

/**
 * The relay's `commit` message split around its seq, as frameParts splits a
 * frame: byte for byte `JSON.stringify({ v, type: 'commit', room, seq, from, epoch, data, welcome })`
 * for base64url strings and an integer epoch (`welcome` left out when absent).
 */
export function commitParts(room: string, from: string, epoch: number, data: string, welcome?: string): { head: string; tail: string } {
  const w = welcome === undefined ? '' : `,"welcome":"${welcome}"`;
  return { head: `${COMMIT_HEAD}${room}","seq":`, tail: `,"from":"${from}","epoch":${epoch},"data":"${data}"${w}}` };
}
