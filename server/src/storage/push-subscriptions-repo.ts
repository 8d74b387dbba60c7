/**
 * The `push_subscriptions` table (migration 0008_intake): the browsers that asked for Web Push, one row
 * per push service endpoint with its keys (p256dh, auth). A gone endpoint (404/410) is removed.
 */
import type { Db } from './db.js';

export interface PushSubscriptionRecord {
  endpoint: string;
  p256dh: string;
  auth: string;
  createdAt: string;
}

interface PushSubscriptionsTable {
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: string;
}

export function createPushSubscriptionsRepo(database: Db) {
  const db = database.withTables<{ push_subscriptions: PushSubscriptionsTable }>();
  return {
    /** Adds a subscription, or replaces the keys of one already known by its endpoint. */
    async upsert(s: PushSubscriptionRecord): Promise<void> {
      await db
        .insertInto('push_subscriptions')
        .values({ endpoint: s.endpoint, p256dh: s.p256dh, auth: s.auth, created_at: s.createdAt })
        .onConflict((oc) => oc.column('endpoint').doUpdateSet({ p256dh: s.p256dh, auth: s.auth }))
        .execute();
    },
    async list(): Promise<PushSubscriptionRecord[]> {
      const rows = await db.selectFrom('push_subscriptions').selectAll().orderBy('created_at').execute();
      return rows.map((r) => ({
        endpoint: r.endpoint,
        p256dh: r.p256dh,
        auth: r.auth,
        createdAt: r.created_at,
      }));
    },
    async remove(endpoint: string): Promise<boolean> {
      const result = await db
        .deleteFrom('push_subscriptions')
        .where('endpoint', '=', endpoint)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export type PushSubscriptionsRepo = ReturnType<typeof createPushSubscriptionsRepo>;
