/**
 * The audit log (migration 0007_team): append-only rows keyed by `seq`. The service computes each row's
 * hash over the one before; here a row is appended only as the next `seq` after the last one read, so
 * two writers racing for the same link make one of them fail (a unique violation) and read again.
 */
import type { Db } from './db.js';

interface AuditLogTable {
  seq: number;
  ts: string;
  user_name: string;
  surface: string;
  action: string;
  target: string | null;
  outcome: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditRow {
  seq: number;
  ts: string;
  user: string;
  surface: string;
  action: string;
  target: string | null;
  outcome: string;
  /** JSON text, exactly as hashed. */
  detail: string;
  prevHash: string;
  hash: string;
}

/** The chain's head as last appended: kept apart from the rows, so a deleted tail shows. */
export interface AuditHead {
  seq: number;
  hash: string;
}

export interface AuditFilter {
  user?: string;
  since?: string;
  afterSeq?: number;
  limit?: number;
}

const toRow = (r: AuditLogTable): AuditRow => ({
  seq: Number(r.seq),
  ts: r.ts,
  user: r.user_name,
  surface: r.surface,
  action: r.action,
  target: r.target,
  outcome: r.outcome,
  detail: r.detail,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export function createAuditRepo(database: Db) {
  const db = database.withTables<{
    audit_log: AuditLogTable;
    audit_head: { id: number; seq: number; hash: string };
  }>();
  return {
    /** The last row, which the next one links to. */
    async last(): Promise<AuditRow | undefined> {
      const r = await db
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r && toRow(r);
    },
    /** The chain's head (none before the first row). */
    async head(): Promise<AuditHead | undefined> {
      const r = await db
        .selectFrom('audit_head')
        .select(['seq', 'hash'])
        .where('id', '=', 1)
        .executeTakeFirst();
      return r && { seq: Number(r.seq), hash: r.hash };
    },
    /**
     * Appends a row and moves the head to it, at once; throws a unique violation when another writer took
     * its `seq` first.
     */
    async append(row: AuditRow): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('audit_log')
          .values({
            seq: row.seq,
            ts: row.ts,
            user_name: row.user,
            surface: row.surface,
            action: row.action,
            target: row.target,
            outcome: row.outcome,
            detail: row.detail,
            prev_hash: row.prevHash,
            hash: row.hash,
          })
          .execute();
        const moved = await trx
          .updateTable('audit_head')
          .set({ seq: row.seq, hash: row.hash })
          .where('id', '=', 1)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) === 0)
          await trx.insertInto('audit_head').values({ id: 1, seq: row.seq, hash: row.hash }).execute();
      });
    },
    /** Rows in `seq` order, filtered. */
    async list(filter: AuditFilter = {}): Promise<AuditRow[]> {
      let q = db.selectFrom('audit_log').selectAll().orderBy('seq');
      if (filter.user) q = q.where('user_name', '=', filter.user);
      if (filter.since) q = q.where('ts', '>=', filter.since);
      if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq);
      if (filter.limit !== undefined) q = q.limit(filter.limit);
      return (await q.execute()).map(toRow);
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
