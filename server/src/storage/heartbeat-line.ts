/**
 * A worker's heartbeat on a Postgres connection of its own. The heartbeat says whether this worker reaches
 * the database now; on the pool every other statement uses it could wait behind connections that hung
 * through a network cut (TCP retries what they held only seconds after the link is back) and so report a
 * healed worker as still cut off. Here a heartbeat waits for nothing else, and one that gets no answer
 * within `timeoutMs` fails and takes its connection with it (pg's pool drops a connection whose query
 * failed): the next one starts on a fresh connection.
 */
import { heartbeatStatement } from './workers-repo.js';
import type { Db } from './db.js';
import { openPgPool } from './pg-pool.js';

export interface HeartbeatLine {
  /** Records that `name` is alive at `at`; false when it was declared lost meanwhile. */
  heartbeat(name: string, at: string): Promise<boolean>;
  close(): Promise<void>;
}

export function openHeartbeatLine(
  db: Db,
  url: string,
  opts: { timeoutMs: number; log: (msg: string, err?: unknown) => void },
): HeartbeatLine {
  const pool = openPgPool(
    {
      connectionString: url,
      max: 1,
      application_name: 'gluon-heartbeat',
      connectionTimeoutMillis: opts.timeoutMs,
      query_timeout: opts.timeoutMs,
    },
    opts.log,
  );
  return {
    async heartbeat(name, at) {
      const statement = heartbeatStatement(db, name, at);
      const r = await pool.query(statement.sql, statement.parameters as unknown[]);
      return r.rowCount === 1;
    },
    close: () => pool.end(),
  };
}
