/**
 * Migration of pending OpenID Connect sign-ins: started on one server, finished on any (a load balancer
 * need not send the provider's redirect back to the same process). Keyed by a hash of the state.
 */
import type { Kysely, Migration } from 'kysely';

export const oidcMigrations: Record<string, Migration> = {
  '0013_oidc_pending': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('oidc_pending')
        .addColumn('state_hash', 'text', (c) => c.primaryKey())
        .addColumn('verifier', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
