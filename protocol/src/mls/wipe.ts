import { zeroOutUint8Array, type ClientState, type KeySchedule, type SecretTree } from 'ts-mls';

/** Every secret in a secret tree: each node's two ratchets and their kept unused generations. */
function secretTreeValues(tree: SecretTree): Uint8Array[] {
  return tree.flatMap((node) =>
    [node.handshake, node.application].flatMap((g) => [g.secret, ...Object.values(g.unusedGenerations)]),
  );
}

/** Zeroes one epoch's key schedule (RFC 9420 §8): nothing of the epoch can be derived after. */
export function zeroKeySchedule(ks: KeySchedule): void {
  for (const v of Object.values(ks) as Uint8Array[]) zeroOutUint8Array(v);
}

/**
 * Zeroes every secret a group state holds that ts-mls keeps as bytes: the key
 * schedule, the secret tree, past epochs' receive data, the private path and
 * the signature key. Best effort: the engine may have copied some (WebCrypto
 * imports keys per operation and the copies are not ours to reach).
 */
export function zeroState(state: ClientState): void {
  zeroKeySchedule(state.keySchedule);
  secretTreeValues(state.secretTree).forEach(zeroOutUint8Array);
  for (const d of state.historicalReceiverData.values()) {
    secretTreeValues(d.secretTree).forEach(zeroOutUint8Array);
    zeroOutUint8Array(d.senderDataSecret);
    zeroOutUint8Array(d.resumptionPsk);
  }
  Object.values(state.privatePath.privateKeys).forEach(zeroOutUint8Array);
  zeroOutUint8Array(state.signaturePrivateKey);
}
