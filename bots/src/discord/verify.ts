/**
 * The first thing the interactions endpoint does: check Discord's Ed25519 signature over the raw body
 * (`X-Signature-Timestamp` + body, with `discord-interactions`' verifyKey), before any parsing. A request
 * with a missing, invalid, stale (more than 5 minutes off) or replayed signature is refused.
 */
import { verifyKey } from 'discord-interactions';

export type Verdict = { ok: true } | { ok: false; reason: 'missing' | 'invalid' | 'stale' | 'replayed' };

export interface VerifierOptions {
  /** The application's public key, 64 hex digits. */
  publicKey: string;
  /** How far the signed timestamp may be from now (300 s by default). */
  maxAgeSeconds?: number;
  now?: () => number;
}

/** Builds the check; it remembers recent signatures to refuse a replay within the time window. */
export function createVerifier(opts: VerifierOptions) {
  const maxAgeMs = (opts.maxAgeSeconds ?? 300) * 1000;
  const now = opts.now ?? Date.now;
  const seen = new Map<string, number>();

  /**
   * Rules, in order: both headers present (else missing); the timestamp is whole seconds within the
   * window of now (else stale); the signature verifies over timestamp + raw body (else invalid); the same
   * signature was not accepted before within the window (else replayed).
   */
  return async function verify(
    rawBody: Buffer,
    signature: string | undefined,
    timestamp: string | undefined,
  ): Promise<Verdict> {
    if (!signature || !timestamp) return { ok: false, reason: 'missing' };
    if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'invalid' };
    const at = now();
    if (Math.abs(at - Number(timestamp) * 1000) > maxAgeMs) return { ok: false, reason: 'stale' };
    if (!/^[0-9a-f]{128}$/i.test(signature)) return { ok: false, reason: 'invalid' };
    if (!(await verifyKey(rawBody, signature, timestamp, opts.publicKey)))
      return { ok: false, reason: 'invalid' };
    for (const [old, until] of seen) if (until < at) seen.delete(old);
    const key = signature.toLowerCase();
    if (seen.has(key)) return { ok: false, reason: 'replayed' };
    seen.set(key, at + 2 * maxAgeMs);
    return { ok: true };
  };
}

export type Verifier = ReturnType<typeof createVerifier>;
