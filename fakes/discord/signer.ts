/**
 * Signs requests the way Discord signs interactions: Ed25519 over `timestamp + body` with the
 * application's key pair (generated here with node:crypto), hex-encoded in `X-Signature-Ed25519`, the
 * timestamp (Unix seconds) in `X-Signature-Timestamp`.
 */
import { generateKeyPairSync, sign } from 'node:crypto';

export interface Signer {
  /** The public key as Discord shows it: 64 hex digits (give it to the bot). */
  publicKeyHex: string;
  sign(body: string, timestamp: string): string;
}

export function createSigner(): Signer {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The SPKI encoding of an Ed25519 key ends with the 32 raw key bytes.
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    publicKeyHex: raw.toString('hex'),
    sign: (body, timestamp) => sign(null, Buffer.from(timestamp + body), privateKey).toString('hex'),
  };
}
