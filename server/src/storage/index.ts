/**
 * The storage layer in one object: the database and one repository per table group. The same repositories
 * serve SQLite (a file path) and PostgreSQL (a `postgres://` URL).
 */
import { openDatabase, type Db } from './db.js';
import type { ChangeFeed } from './change-feed.js';
import { createCostsRepo } from './costs-repo.js';
import { dialectOf, type ConnectOptions, type DialectName } from './dialect.js';
import { createEventsRepo } from './events-repo.js';
import { LOCAL_FEED } from './local-feed.js';
import { createProjectsRepo } from './projects-repo.js';
import { createRunsRepo } from './runs-repo.js';
import { createTasksRepo } from './tasks-repo.js';
import { createWorkersRepo } from './workers-repo.js';

export interface Storage {
  db: Db;
  dialect: DialectName;
  projects: ReturnType<typeof createProjectsRepo>;
  tasks: ReturnType<typeof createTasksRepo>;
  runs: ReturnType<typeof createRunsRepo>;
  events: ReturnType<typeof createEventsRepo>;
  costs: ReturnType<typeof createCostsRepo>;
  workers: ReturnType<typeof createWorkersRepo>;
  /** How processes sharing the database hear of each other's writes (nothing to hear on SQLite). */
  feed: ChangeFeed;
  close(): Promise<void>;
}

/**
 * Opens the database at `location` — a SQLite file, or a Postgres URL — brings its schema up to date and
 * builds the repositories over it.
 */
export async function openStorage(location: string, opts: ConnectOptions = {}): Promise<Storage> {
  const db = await openDatabase(location, opts);
  // The LISTEN/NOTIFY feed (and the pg client under it) is loaded only for a shared Postgres database.
  const feed =
    dialectOf(db) === 'postgres'
      ? (await import('./change-feed.js')).createChangeFeed(db, location, opts.log ?? (() => {}))
      : LOCAL_FEED;
  return {
    db,
    dialect: dialectOf(db),
    projects: createProjectsRepo(db),
    tasks: createTasksRepo(db),
    runs: createRunsRepo(db),
    events: createEventsRepo(db),
    costs: createCostsRepo(db),
    workers: createWorkersRepo(db),
    feed,
    async close() {
      await feed.close();
      await db.destroy();
    },
  };
}
