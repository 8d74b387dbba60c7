/**
 * Every Postgres connection pool of a process (the repositories' and the job queue's) comes from here, so
 * that a lost connection is an error to log, never a crash: pg's pool listens for errors only on idle
 * connections, and one the server cuts while it is checked out (between two statements of a transaction)
 * would otherwise emit an `error` nobody hears.
 */
import { createRequire } from 'node:module';
import type pg from 'pg';

/** The Postgres client, loaded on first use (a SQLite installation never needs it). */
export const loadPg = (): typeof pg => createRequire(import.meta.url)('pg') as typeof pg;

export function openPgPool(config: pg.PoolConfig, log?: (msg: string, err?: unknown) => void): pg.Pool {
  const pool = new (loadPg().Pool)(config);
  // An idle connection's error reaches both listeners: it is said once per connection.
  const told = new WeakSet<object>();
  const lost = (client: object, err: Error) => {
    if (told.has(client)) return;
    told.add(client);
    log?.('database connection lost (the pool replaces it)', err);
  };
  pool.on('error', (err, client) => lost(client, err));
  pool.on('connect', (client) => client.on('error', (err) => lost(client, err)));
  return pool;
}
