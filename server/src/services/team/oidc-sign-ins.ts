/**
 * Pending OpenID Connect sign-ins, shared by every server through the database: `begin` records what the
 * callback must check (PKCE verifier, nonce, redirect URI) under a hash of the state; `finish` takes it once,
 * on any server, within ten minutes.
 */
import type { OidcPending, OidcPendingRepo } from '../../storage/oidc-pending-repo.js';
import { hashSecret } from './passwords.js';

export const OIDC_PENDING_MS = 10 * 60 * 1000;

export function createOidcSignIns(repo: OidcPendingRepo, now: () => number = Date.now) {
  return {
    async begin(state: string, p: Omit<OidcPending, 'createdAt'>): Promise<void> {
      await repo.prune(new Date(now() - OIDC_PENDING_MS).toISOString());
      await repo.insert(hashSecret(state), { ...p, createdAt: new Date(now()).toISOString() });
    },
    /** The sign-in started with `state`, used up by this call; undefined when unknown, used or expired. */
    async finish(state: string): Promise<OidcPending | undefined> {
      const p = await repo.take(hashSecret(state));
      if (!p || now() - Date.parse(p.createdAt) > OIDC_PENDING_MS) return undefined;
      return p;
    },
  };
}

export type OidcSignIns = ReturnType<typeof createOidcSignIns>;
