import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';

/**
 * The relay's `frame` message split around its seq: `head + seq + tail` is
 * byte for byte `JSON.stringify({ v, type: 'frame', room, seq, from, data })`,
 * so the store's script can number a frame and finish its bytes itself.
 */
export function frameParts(room: string, from: string, data: string): { head: string; tail: string } {
  return {
    head: `{"v":${PROTOCOL_VERSION},"type":"frame","room":${JSON.stringify(room)},"seq":`,
    tail: `,"from":${JSON.stringify(from)},"data":${JSON.stringify(data)}}`,
  };
}
