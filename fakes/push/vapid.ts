/**
 * Checks a push request's VAPID authorization (RFC 8292): `Authorization: vapid t=<JWT>, k=<public key>`,
 * the JWT signed ES256 by that key, for this push service's origin, not expired.
 */
import { createPublicKey, verify } from 'node:crypto';

export interface VapidCheck {
  valid: boolean;
  /** The application server's public key (base64url), when given. */
  publicKey: string | null;
  claims: { aud?: string; sub?: string; exp?: number } | null;
  problem?: string;
}

export function checkVapid(header: string | undefined, origin: string, nowSeconds: number): VapidCheck {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!m) return { valid: false, publicKey: null, claims: null, problem: 'no vapid authorization' };
  const [jwt, k] = [m[1]!, m[2]!];
  const [head, payload, signature] = jwt.split('.');
  if (!head || !payload || !signature)
    return { valid: false, publicKey: k, claims: null, problem: 'not a JWT' };
  const point = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${head}.${payload}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as VapidCheck['claims'];
  if (!ok) return { valid: false, publicKey: k, claims, problem: 'bad signature' };
  if (claims?.aud !== origin) return { valid: false, publicKey: k, claims, problem: `aud is not ${origin}` };
  if (!claims.exp || claims.exp < nowSeconds)
    return { valid: false, publicKey: k, claims, problem: 'expired' };
  return { valid: true, publicKey: k, claims };
}
