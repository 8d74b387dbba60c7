/**
 * `gluon db migrate`: applies the schema migrations to the configured database (GLUON_DATABASE_URL or
 * `database.url` in config.json, else SQLite in $GLUON_HOME) and says which it applied.
 * `gluon db copy --to postgres://… [--from FILE]`: copies a SQLite installation (every table) into an empty
 * Postgres database and verifies it, table by table, by row count and checksum (exit 1 and nothing kept on
 * a mismatch; exit 2 for a non-empty target). Both work on the database directly, not through a server.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { CommandFailure, UsageError } from '../errors.js';
import type { CopyReport } from '../../../server/src/storage/copy.js';

/** The server's configuration and storage modules, loaded only when a `db` command runs. */
async function loadServerParts(ctx: CliContext) {
  const config = await import('../../../server/src/config.js');
  const home = config.gluonHome(ctx.io.env);
  let loaded;
  try {
    loaded = config.loadConfig(home, {}, ctx.io.env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return {
    home,
    config: loaded,
    location: config.databaseLocation(loaded),
    db: await import('../../../server/src/storage/db.js'),
    dialect: await import('../../../server/src/storage/dialect.js'),
  };
}

/** Runs `work`, turning a database error into one line (exit 1) that names the database. */
async function withDatabase<T>(where: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof UsageError || err instanceof CommandFailure) throw err;
    throw new CommandFailure(`${where}: ${(err as Error).message || String(err)}`);
  }
}

async function migrate(ctx: CliContext): Promise<void> {
  const { home, config, location, db, dialect } = await loadServerParts(ctx);
  if (!dialect.isPostgresUrl(location)) mkdirSync(home, { recursive: true, mode: 0o700 });
  const where = dialect.describeLocation(location);
  ctx.out(`Database: ${where}`);
  const database = db.connectDatabase(location, { statementTimeoutMs: config.database.statementTimeoutMs });
  try {
    const { applied, known } = await withDatabase(where, () => db.migrateDatabase(database));
    if (applied.length === 0)
      ctx.out(`Nothing to apply: the schema is up to date (${known.length} migrations).`);
    else ctx.out(`Applied ${applied.length} of ${known.length} migrations: ${applied.join(', ')}.`);
  } finally {
    await database.destroy();
  }
}

function printReport(ctx: CliContext, report: CopyReport): void {
  const width = Math.max(5, ...report.tables.map((t) => t.table.length));
  ctx.out(`${'table'.padEnd(width)}  ${'rows'.padStart(9)}  checksum`);
  for (const t of report.tables) {
    const same = t.ok ? 'ok' : `MISMATCH: target has ${t.target.rows} rows, checksum ${t.target.checksum}`;
    ctx.out(`${t.table.padEnd(width)}  ${String(t.source.rows).padStart(9)}  ${t.source.checksum}  ${same}`);
  }
}

async function copy(ctx: CliContext, opts: { to: string; from?: string }): Promise<void> {
  const { home, db, dialect } = await loadServerParts(ctx);
  if (!dialect.isPostgresUrl(opts.to)) throw new UsageError('--to takes a postgres:// URL');
  const source = path.resolve(ctx.io.cwd, opts.from ?? path.join(home, 'gluon.db'));
  if (!existsSync(source)) throw new UsageError(`no SQLite database at ${source}`);
  const { copyDatabase, CopyMismatchError, TargetNotEmptyError } =
    await import('../../../server/src/storage/copy.js');
  const from = dialect.describeLocation(source);
  const to = dialect.describeLocation(opts.to);
  ctx.out(`Copying ${from} → ${to}`);
  ctx.out('(a snapshot as of now: stop `gluon serve` first so that nothing is written after it)');
  const src = await withDatabase(from, () => db.openDatabase(source));
  try {
    const dst = await withDatabase(to, () => db.openDatabase(opts.to));
    let report: CopyReport;
    try {
      report = await copyDatabase(src, dst);
    } catch (err) {
      if (err instanceof TargetNotEmptyError)
        throw new UsageError(`${err.message}: copy only into an empty database`);
      if (err instanceof CopyMismatchError) {
        printReport(ctx, err.report);
        throw new CommandFailure(err.message);
      }
      throw new CommandFailure(
        `the copy failed and nothing was kept in the target: ${(err as Error).message}`,
      );
    } finally {
      await dst.destroy();
    }
    printReport(ctx, report);
    ctx.out(
      `Verified ${report.tables.length} tables: row counts and checksums match (SHA-256 of each row's values, summed modulo 2^128, computed the same way on both sides).`,
    );
    ctx.out('Next: set GLUON_DATABASE_URL (or "database": {"url": …} in config.json) and restart Gluon.');
  } finally {
    await src.destroy();
  }
}

/** Registers `db migrate` and `db copy`. */
export function registerDb(program: Command, ctx: CliContext): void {
  const db = program
    .command('db')
    .description('Database upkeep: apply migrations, copy SQLite into Postgres');
  db.command('migrate')
    .description(
      'Apply schema migrations to the configured database (GLUON_DATABASE_URL, else SQLite in $GLUON_HOME)',
    )
    .action(() => migrate(ctx));
  db.command('copy')
    .description('Copy this SQLite installation into an empty Postgres database, verified table by table')
    .requiredOption('--to <url>', 'the target: postgres://user@host:5432/database')
    .option('--from <file>', 'the SQLite file to copy (default: $GLUON_HOME/gluon.db)')
    .action((opts: { to: string; from?: string }) => copy(ctx, opts));
}
