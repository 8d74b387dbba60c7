/**
 * The storage layer in one object: the database and one repository per table group.
 */
import { openDatabase, type Db } from './db.js';
import { createCostsRepo } from './costs-repo.js';
import { createEventsRepo } from './events-repo.js';
import { createProjectsRepo } from './projects-repo.js';
import { createRunsRepo } from './runs-repo.js';
import { createTasksRepo } from './tasks-repo.js';

export interface Storage {
  db: Db;
  projects: ReturnType<typeof createProjectsRepo>;
  tasks: ReturnType<typeof createTasksRepo>;
  runs: ReturnType<typeof createRunsRepo>;
  events: ReturnType<typeof createEventsRepo>;
  costs: ReturnType<typeof createCostsRepo>;
  close(): Promise<void>;
}

/** Opens the database file and builds the repositories over it. */
export async function openStorage(file: string): Promise<Storage> {
  const db = await openDatabase(file);
  return {
    db,
    projects: createProjectsRepo(db),
    tasks: createTasksRepo(db),
    runs: createRunsRepo(db),
    events: createEventsRepo(db),
    costs: createCostsRepo(db),
    close: () => db.destroy(),
  };
}
