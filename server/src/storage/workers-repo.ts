/**
 * The worker fleet: one row per named `gluon worker`. A worker registers at start, heartbeats while it
 * runs, and says when it stops; any process may declare a silent one lost, and exactly one does.
 */
import type { CompiledQuery } from 'kysely';
import type { Db } from './db.js';
import type { WorkersTable } from './schema.js';

export interface WorkerRecord {
  name: string;
  host: string;
  pid: number;
  capacity: number;
  /** The projects (ids) it takes work for; null for every project. */
  projects: string[] | null;
  startedAt: string;
  heartbeatAt: string;
  lostAt: string | null;
  stoppedAt: string | null;
}

function toRecord(r: WorkersTable): WorkerRecord {
  return {
    name: r.name,
    host: r.host,
    pid: r.pid,
    capacity: r.capacity,
    projects: r.projects ? (JSON.parse(r.projects) as string[]) : null,
    startedAt: r.started_at,
    heartbeatAt: r.heartbeat_at,
    lostAt: r.lost_at,
    stoppedAt: r.stopped_at,
  };
}

/**
 * The heartbeat's one statement: records that the worker is alive at `at`, unless it was declared lost
 * (then it updates no row). A worker runs it over a connection of its own (storage/heartbeat-line.ts), so
 * that it never waits behind the others.
 */
export function heartbeatStatement(db: Db, name: string, at: string): CompiledQuery {
  return db
    .updateTable('workers')
    .set({ heartbeat_at: at })
    .where('name', '=', name)
    .where('lost_at', 'is', null)
    .compile();
}

export function createWorkersRepo(db: Db) {
  return {
    /** Registers a worker starting now (a name used before is taken over: same name, same machine's role). */
    async register(w: Omit<WorkerRecord, 'lostAt' | 'stoppedAt'>): Promise<void> {
      const row = {
        name: w.name,
        host: w.host,
        pid: w.pid,
        capacity: w.capacity,
        projects: w.projects ? JSON.stringify(w.projects) : null,
        started_at: w.startedAt,
        heartbeat_at: w.heartbeatAt,
        lost_at: null,
        stopped_at: null,
      };
      await db
        .insertInto('workers')
        .values(row)
        .onConflict((oc) => oc.column('name').doUpdateSet(row))
        .execute();
    },

    /**
     * Declares lost every running worker silent since before `silentSince`, and returns their names. The
     * guarded update makes each declaration happen once, whichever process makes it.
     */
    async declareLost(silentSince: string, at: string): Promise<string[]> {
      const rows = await db
        .updateTable('workers')
        .set({ lost_at: at })
        .where('heartbeat_at', '<', silentSince)
        .where('lost_at', 'is', null)
        .where('stopped_at', 'is', null)
        .returning('name')
        .execute();
      return rows.map((r) => r.name);
    },

    async stop(name: string, at: string): Promise<void> {
      await db.updateTable('workers').set({ stopped_at: at }).where('name', '=', name).execute();
    },

    async find(name: string): Promise<WorkerRecord | undefined> {
      const row = await db.selectFrom('workers').selectAll().where('name', '=', name).executeTakeFirst();
      return row && toRecord(row);
    },

    async list(): Promise<WorkerRecord[]> {
      return (await db.selectFrom('workers').selectAll().orderBy('name').execute()).map(toRecord);
    },
  };
}

export type WorkersRepo = ReturnType<typeof createWorkersRepo>;
