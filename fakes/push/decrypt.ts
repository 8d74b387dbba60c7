/**
 * The receiving side of Web Push encryption (RFC 8291, `aes128gcm` content coding of RFC 8188), with
 * node:crypto only: what a browser does with a push message, given the subscription's private key and
 * auth secret. Also the subscription keys a browser would make.
 */
import { createDecipheriv, createECDH, createHmac, randomBytes } from 'node:crypto';

export interface SubscriptionKeys {
  /** The user agent's P-256 key pair (uncompressed public point, 65 bytes). */
  privateKey: Buffer;
  publicKey: Buffer;
  /** The 16-byte auth secret. */
  auth: Buffer;
}

/** Keys as `PushManager.subscribe` makes them. */
export function newSubscriptionKeys(): SubscriptionKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { privateKey: ecdh.getPrivateKey(), publicKey: ecdh.getPublicKey(), auth: randomBytes(16) };
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();
const info = (label: string) =>
  Buffer.concat([Buffer.from(`Content-Encoding: ${label}`), Buffer.from([0, 1])]);

/**
 * Decrypts one `aes128gcm` push message body (a single record).
 * Layout: salt (16) | record size (4) | key id length (1) | key id (the sender's ephemeral public key) |
 * ciphertext with its 16-byte tag; the plaintext ends with the delimiter 0x02 and zero padding.
 */
export function decryptPushBody(body: Buffer, keys: SubscriptionKeys): Buffer {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const senderPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(keys.privateKey);
  const shared = ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([
    Buffer.from('WebPush: info\0'),
    keys.publicKey,
    senderPublic,
    Buffer.from([1]),
  ]);
  const ikm = hmac(hmac(keys.auth, shared), keyInfo);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, info('aes128gcm')).subarray(0, 16);
  const nonce = hmac(prk, info('nonce')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('push message: no final-record delimiter');
  return padded.subarray(0, end);
}
