/**
 * The server's VAPID keys (Web Push): a P-256 key pair made at first start (as `web-push` makes them; the
 * package itself loads only to send) and kept in the data directory (`vapid.json`, mode 600), so that
 * browsers' subscriptions outlive restarts. The same private
 * key, through HMAC, signs the Approve / Deny actions a notification carries.
 */
import { createECDH, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Reads the VAPID keys of `home`, creating them (mode 600) when absent or unreadable. */
export function ensureVapidKeys(home: string): VapidKeys {
  const file = path.join(home, 'vapid.json');
  if (existsSync(file)) {
    try {
      const keys = JSON.parse(readFileSync(file, 'utf8')) as Partial<VapidKeys>;
      if (
        typeof keys.publicKey === 'string' &&
        typeof keys.privateKey === 'string' &&
        B64URL.test(keys.publicKey) &&
        B64URL.test(keys.privateKey)
      ) {
        chmodSync(file, 0o600);
        return { publicKey: keys.publicKey, privateKey: keys.privateKey };
      }
    } catch {
      // A damaged file is replaced below; subscriptions made with the old key must subscribe again.
    }
  }
  const keys = generateVapidKeys();
  writeFileSync(file, `${JSON.stringify(keys)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return keys;
}

/** A P-256 key pair, base64url: the uncompressed public point (65 bytes) and the private scalar (32). */
function generateVapidKeys(): VapidKeys {
  const curve = createECDH('prime256v1');
  curve.generateKeys();
  const padded = (b: Buffer, size: number) => Buffer.concat([Buffer.alloc(Math.max(0, size - b.length)), b]);
  return {
    publicKey: padded(curve.getPublicKey(), 65).toString('base64url'),
    privateKey: padded(curve.getPrivateKey(), 32).toString('base64url'),
  };
}

/** Signs (and checks) one decision on one pending request: `approve` or `deny` of `requestId` of `taskId`. */
export function actionSigner(keys: VapidKeys) {
  const secret = createHash('sha256').update(`gluon push actions\n${keys.privateKey}`).digest();
  const sign = (taskId: string, requestId: string, action: 'approve' | 'deny') =>
    createHmac('sha256', secret).update(`${taskId}\n${requestId}\n${action}`).digest('base64url');
  return {
    sign,
    verify(taskId: string, requestId: string, action: 'approve' | 'deny', signature: string): boolean {
      const expected = Buffer.from(sign(taskId, requestId, action));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}
