/**
 * Test helper for the core services: a real SQLite file with every migration applied, the event log
 * (redacting the given secrets) and task state over it, one project, and a task factory. Errors the event
 * log reports are collected rather than thrown. Not a product module.
 */
import Sqlite from 'better-sqlite3';
import { join } from 'node:path';
import { createRedactor, redactDeep } from '../../domain/redact.js';
import type { EventsRepo } from '../../storage/events-repo.js';
import type { ProjectRecord } from '../../storage/projects-repo.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import {
  insertProject,
  insertTask,
  openTestStorage,
  type TestStorage,
} from '../../storage/testing/factories.js';
import { createEventLog, type EventLog } from '../event-log.js';
import { createTaskState, type TaskState } from '../task-state.js';

export interface CoreTestbed extends TestStorage {
  events: EventLog;
  state: TaskState;
  project: ProjectRecord;
  /** What the event log reported as failed. */
  errors: unknown[];
  /** Inserts a task of the project (a queued one unless `over` says otherwise). */
  task(over?: Partial<TaskRecord>): Promise<TaskRecord>;
  /** A second, synchronous connection to the same file: what is durable right now, from outside. */
  peek<T>(sql: string, ...params: unknown[]): T[];
}

export async function openCoreTestbed(
  opts: { secrets?: string[]; eventsRepo?: (repo: EventsRepo) => EventsRepo } = {},
): Promise<CoreTestbed> {
  const db = await openTestStorage();
  const errors: unknown[] = [];
  const redactText = createRedactor(opts.secrets ?? []);
  const repo = opts.eventsRepo ? opts.eventsRepo(db.storage.events) : db.storage.events;
  const events = createEventLog(
    repo,
    (v) => redactDeep(v, redactText),
    (err) => errors.push(err),
  );
  const state = createTaskState(db.storage, events);
  const project = await insertProject(db.storage);
  const reader = new Sqlite(join(db.dir, 'gluon.db'), { readonly: true });
  return {
    ...db,
    events,
    state,
    project,
    errors,
    task: (over = {}) => insertTask(db.storage, { projectId: project.id, ...over }),
    peek: <T>(sql: string, ...params: unknown[]) => reader.prepare(sql).all(...params) as T[],
    async close() {
      await events.flush();
      reader.close();
      await db.close();
    },
  };
}
