/**
 * The audit log: who did what, through which surface, and whether it was allowed. Append-only and
 * hash-chained: each row's hash covers its fields and the previous row's hash, so an edited, inserted or
 * deleted row breaks the chain at that point (`verify`). Details are redacted before they are hashed.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../../domain/actor.js';
import { nowIso } from '../../ids.js';
import type { AuditFilter, AuditRepo, AuditRow } from '../../storage/audit-repo.js';
import { isUniqueViolation } from '../../storage/dialect.js';

export const GENESIS_HASH = '0'.repeat(64);
const MAX_DETAIL_CHARS = 4000;
const SECRET_KEYS = /password|secret|token|code_verifier|^code$/i;

export interface AuditEntry {
  action: string;
  target?: string | null;
  outcome?: 'ok' | 'denied';
  detail?: unknown;
}

export type AuditVerdict =
  { ok: true; rows: number } | { ok: false; rows: number; brokenAt: number; reason: string };

/** The hash of a row: SHA-256 over the previous hash and the row's fields, in a fixed order. */
export function hashOf(row: Omit<AuditRow, 'hash'>): string {
  const fields = [row.seq, row.ts, row.user, row.surface, row.action, row.target, row.outcome, row.detail];
  return createHash('sha256').update(row.prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}

/** The detail as stored: secrets' fields dropped, text redacted, long values cut. */
function detailText(detail: unknown, redact: (text: string) => string): string {
  if (detail === undefined || detail === null) return '{}';
  const text = JSON.stringify(detail, (key, value: unknown) => (SECRET_KEYS.test(key) ? undefined : value));
  const cut =
    text.length > MAX_DETAIL_CHARS ? JSON.stringify({ truncated: text.slice(0, MAX_DETAIL_CHARS) }) : text;
  return redact(cut);
}

export function createAudit(repo: AuditRepo, redact: (text: string) => string) {
  let tail: Promise<unknown> = Promise.resolve();

  const appendOnce = async (actor: Pick<Actor, 'user' | 'surface'>, entry: AuditEntry): Promise<AuditRow> => {
    for (let attempt = 0; ; attempt += 1) {
      const last = await repo.last();
      const base = {
        seq: (last?.seq ?? 0) + 1,
        ts: nowIso(),
        user: actor.user,
        surface: actor.surface,
        action: entry.action,
        target: entry.target ?? null,
        outcome: entry.outcome ?? 'ok',
        detail: detailText(entry.detail, redact),
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const row = { ...base, hash: hashOf(base) };
      try {
        await repo.append(row);
        return row;
      } catch (err) {
        // Another server appended first: link to its row instead.
        if (!isUniqueViolation(err) || attempt >= 50) throw err;
      }
    }
  };

  return {
    /** Appends one entry (entries of this process are appended in the order they were recorded). */
    record(actor: Pick<Actor, 'user' | 'surface'>, entry: AuditEntry): Promise<AuditRow> {
      const next = tail.then(() => appendOnce(actor, entry));
      tail = next.catch(() => undefined);
      return next;
    },
    list: (filter: AuditFilter) => repo.list(filter),
    /**
     * Walks the whole chain.
     * Rules: `seq` runs 1, 2, 3… with no gap; each row links to the previous row's hash (the first to
     * the genesis hash); each row's hash matches its fields. The first row that fails names the break.
     */
    async verify(): Promise<AuditVerdict> {
      let prev: AuditRow | undefined;
      let rows = 0;
      for (;;) {
        const page = await repo.list({ afterSeq: prev?.seq ?? 0, limit: 1000 });
        if (page.length === 0) return { ok: true, rows };
        for (const row of page) {
          const expectedSeq = (prev?.seq ?? 0) + 1;
          const broken =
            row.seq !== expectedSeq
              ? `row ${expectedSeq} is missing`
              : row.prevHash !== (prev?.hash ?? GENESIS_HASH)
                ? 'it does not link to the row before'
                : row.hash !== hashOf(row)
                  ? 'its content does not match its hash'
                  : null;
          if (broken) return { ok: false, rows, brokenAt: row.seq, reason: broken };
          prev = row;
          rows += 1;
        }
      }
    },
  };
}

export type Audit = ReturnType<typeof createAudit>;
