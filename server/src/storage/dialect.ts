/**
 * Everything that differs between SQLite and PostgreSQL, in one place. Repositories and migrations are
 * written once in Kysely; what they cannot say the same way on both asks this module:
 * - connecting: SQLite's pragmas (WAL, foreign keys, busy timeout); Postgres's pool, statement timeout and
 *   idle-in-transaction timeout, and `bigint` (`count`, `max`, our integer columns) parsed to numbers;
 * - column types: integers are `integer` (64-bit) in SQLite and `bigint` in Postgres, floats `real` in
 *   SQLite (8 bytes) and `double precision` in Postgres (its `real` has only 4);
 * - id prefixes: SQLite compares text bytewise, so a range scan is exact and uses the index; Postgres
 *   compares by the database's collation, so it asks `starts_with` (case-sensitive, no LIKE wildcards);
 * - text: Postgres cannot store U+0000 in text, so on Postgres a NUL in any string written becomes U+FFFD
 *   (SQLite keeps it) rather than failing the write;
 * - a unique violation's error code.
 * The rest is common ground: booleans are integers 0/1, JSON is text, upserts are `ON CONFLICT … DO UPDATE`,
 * timestamps are ISO text (ordered the same under any collation).
 */
import Sqlite from 'better-sqlite3';
import {
  OperationNodeTransformer,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Dialect,
  type Expression,
  type Kysely,
  type KyselyPlugin,
  type PrimitiveValueListNode,
  type SqlBool,
  type SqliteDatabase,
  type ValueNode,
} from 'kysely';
import { loadPg, openPgPool } from './pg-pool.js';

export type DialectName = 'sqlite' | 'postgres';

export interface ConnectOptions {
  /** Postgres: connections in the pool (default 10). */
  poolSize?: number;
  /** Postgres: a statement running longer than this is cancelled by the server (default 30 s; 0 = none). */
  statementTimeoutMs?: number;
  /** Where errors of idle pooled connections go (a restarted server drops them); they are never thrown. */
  log?: (msg: string, err?: unknown) => void;
}

const PG_URL = /^postgres(ql)?:\/\//i;
const INT8_OID = 20;

/** True when a database location is a Postgres URL rather than a SQLite file path. */
export function isPostgresUrl(location: string): boolean {
  return PG_URL.test(location);
}

/** A location fit for messages: a Postgres URL without its password. */
export function describeLocation(location: string): string {
  if (!isPostgresUrl(location)) return `SQLite ${location}`;
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL (unparsable URL)';
  }
}

/** Postgres returns `bigint` as text; ours are counts, sequence numbers and tokens, all well below 2^53. */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`integer ${text} is beyond what Gluon can represent`);
  return n;
}

const KEPT_STATEMENTS = 256;

/**
 * better-sqlite3 for Kysely, with its prepared statements kept (the 256 last used, by text): Kysely
 * prepares every query anew, which for the small queries Gluon mostly makes costs more than running them.
 * Queries on the one connection take turns (Kysely's lock), so a kept statement is never used twice at once.
 */
function keepingStatements(db: Sqlite.Database): SqliteDatabase {
  const kept = new Map<string, Sqlite.Statement>();
  return {
    close: () => db.close(),
    prepare(text) {
      let statement = kept.get(text);
      if (statement) kept.delete(text);
      else statement = db.prepare(text);
      kept.set(text, statement);
      if (kept.size > KEPT_STATEMENTS) kept.delete(kept.keys().next().value!);
      return statement;
    },
  };
}

/** Builds the Kysely dialect for a location: a SQLite file or a Postgres URL. */
export function createDialect(location: string, opts: ConnectOptions = {}): Dialect {
  if (!isPostgresUrl(location)) {
    const sqlite = new Sqlite(location);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    return new SqliteDialect({ database: keepingStatements(sqlite) });
  }
  const pg = loadPg();
  const pool = openPgPool(
    {
      connectionString: location,
      max: opts.poolSize ?? 10,
      application_name: 'gluon',
      connectionTimeoutMillis: 10_000,
      statement_timeout: opts.statementTimeoutMs ?? 30_000,
      // A process that hangs inside a transaction must not hold a task's row lock for ever.
      idle_in_transaction_session_timeout: 60_000,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID && format !== 'binary'
            ? parseInt8
            : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    },
    opts.log,
  );
  return new PostgresDialect({ pool });
}

const withoutNul = (value: unknown) =>
  typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;

class NulReplacer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return { ...node, value: withoutNul(node.value) };
  }
  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...node, values: node.values.map(withoutNul) };
  }
}

/** Kysely plugins a dialect needs: on Postgres, NUL characters replaced in every value written or compared. */
export function dialectPlugins(location: string): KyselyPlugin[] {
  if (!isPostgresUrl(location)) return [];
  const replacer = new NulReplacer();
  return [
    {
      transformQuery: (args) => replacer.transformNode(args.node),
      transformResult: async (args) => args.result,
    },
  ];
}

/** Which dialect a Kysely instance (or a transaction of it) speaks. */
export function dialectOf<DB>(db: Kysely<DB>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Column types for migrations: the same widths on both (64-bit integers, 8-byte floats). */
export function columnTypes<DB>(db: Kysely<DB>) {
  return dialectOf(db) === 'postgres'
    ? ({ integer: 'bigint', real: 'double precision' } as const)
    : ({ integer: 'integer', real: 'real' } as const);
}

/** `column` starts with `prefix`, case-sensitively, with no wildcard characters. */
export function startsWith<DB>(db: Kysely<DB>, column: string, prefix: string): Expression<SqlBool> {
  if (dialectOf(db) === 'postgres') return sql<SqlBool>`starts_with(${sql.ref(column)}, ${prefix})`;
  return sql<SqlBool>`(${sql.ref(column)} >= ${prefix} and ${sql.ref(column)} < ${`${prefix}\u{10FFFF}`})`;
}

/** True when a write failed on a primary key or unique constraint, on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** An arbitrary key of Gluon's one advisory lock: claims of queued tasks. */
const CLAIM_LOCK = 0x61_75_6f_6e;

/**
 * Serialises claims of queued tasks across processes until the transaction ends: Postgres takes a
 * transaction-scoped advisory lock; SQLite has one writer process, whose transactions are serial already.
 */
export async function lockForClaims(trx: Kysely<never>): Promise<void> {
  if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`.execute(trx);
}
