/**
 * The audit log: who did what, through which surface, and whether it was allowed. Append-only and
 * hash-chained: each row's hash covers its fields and the previous row's hash, so an edited, inserted or
 * deleted row breaks the chain at that point (`verify`); the chain's head (last seq and hash) is kept
 * apart from the rows, so deleting the newest rows breaks it too, and the next row still links to the
 * head, not to what is left. Details are redacted before they are hashed.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../../domain/actor.js';
import { nowIso } from '../../ids.js';
import type { AuditFilter, AuditHead, AuditRepo, AuditRow } from '../../storage/audit-repo.js';
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

/**
 * What the chain's head says of the last row `verify` walked to (seq 0 and the genesis hash: none).
 * Rules: no head and no rows, or a head that is that row → sound; a head past it → the rows after it
 * were deleted; a head short of it or with another hash, or rows without a head → written around Gluon.
 */
function headBreak(head: AuditHead | undefined, last: { seq: number; hash: string }): string | null {
  if (!head) return last.seq === 0 ? null : 'the chain head is missing';
  if (head.seq > last.seq)
    return `rows ${last.seq + 1} to ${head.seq} were deleted from the end (the chain head is row ${head.seq})`;
  if (head.seq < last.seq) return `rows after ${head.seq} were added without moving the chain head`;
  return head.hash === last.hash ? null : 'the last row does not match the chain head';
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
      // The head, when rows past what is left were deleted: a new row must not hide the gap.
      const [newest, head] = await Promise.all([repo.last(), repo.head()]);
      const last = head && (!newest || head.seq > newest.seq) ? head : newest;
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
     * the genesis hash); each row's hash matches its fields; the last row is the chain's head. The first
     * row that fails names the break (past the end: the first deleted row).
     */
    async verify(): Promise<AuditVerdict> {
      let prev: AuditRow | undefined;
      let rows = 0;
      for (;;) {
        const page = await repo.list({ afterSeq: prev?.seq ?? 0, limit: 1000 });
        if (page.length === 0) {
          const end = { seq: prev?.seq ?? 0, hash: prev?.hash ?? GENESIS_HASH };
          const broken = headBreak(await repo.head(), end);
          return broken ? { ok: false, rows, brokenAt: end.seq + 1, reason: broken } : { ok: true, rows };
        }
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
