/**
 * Pending OpenID Connect sign-ins (migration 0013): written when a sign-in starts, taken exactly once when
 * the provider sends the browser back — to whichever server — and pruned when they expire.
 */
import type { Db } from './db.js';

interface OidcPendingTable {
  state_hash: string;
  verifier: string;
  nonce: string;
  redirect_uri: string;
  created_at: string;
}

export interface OidcPending {
  verifier: string;
  nonce: string;
  redirectUri: string;
  createdAt: string;
}

export function createOidcPendingRepo(database: Db) {
  const db = database.withTables<{ oidc_pending: OidcPendingTable }>();
  return {
    async insert(stateHash: string, p: OidcPending): Promise<void> {
      await db
        .insertInto('oidc_pending')
        .values({
          state_hash: stateHash,
          verifier: p.verifier,
          nonce: p.nonce,
          redirect_uri: p.redirectUri,
          created_at: p.createdAt,
        })
        .execute();
    },
    /** Removes the sign-in and returns it: of two servers taking the same state, one gets it. */
    async take(stateHash: string): Promise<OidcPending | undefined> {
      const row = await db
        .deleteFrom('oidc_pending')
        .where('state_hash', '=', stateHash)
        .returningAll()
        .executeTakeFirst();
      return (
        row && {
          verifier: row.verifier,
          nonce: row.nonce,
          redirectUri: row.redirect_uri,
          createdAt: row.created_at,
        }
      );
    },
    /** Deletes the sign-ins started before `before` (ISO time). */
    async prune(before: string): Promise<void> {
      await db.deleteFrom('oidc_pending').where('created_at', '<', before).execute();
    },
  };
}

export type OidcPendingRepo = ReturnType<typeof createOidcPendingRepo>;
