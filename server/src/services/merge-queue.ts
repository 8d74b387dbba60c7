/**
 * Merging tasks in order (`gluon merge <id>…`, the dashboard's Merge): a queue per request that takes the
 * tasks one after another through `merge-one.ts` and records each one's outcome in its `merge_queues`
 * row, which the API answers with while it runs. One running queue per project: a second request is
 * refused with 409 `merge_in_progress` (the row's partial unique index decides, on SQLite and Postgres).
 */
import type { MergeEntryDto, MergeQueueDto } from '../../../shared/merge.js';
import { checkMergeRequest, mergeTarget } from '../domain/merge-queue.js';
import { AppError, conflict, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import type { Storage } from '../storage/index.js';
import type { MergeQueueRecord, MergeQueuesRepo } from '../storage/merge-queues-repo.js';
import type { ProjectRecord } from '../storage/projects-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import type { MergeOne } from './merge-one.js';
import { gitSettingsOf } from './task-git.js';

export interface MergeQueueDeps {
  storage: Storage;
  repo: MergeQueuesRepo;
  tasks: { get(idOrPrefix: string): Promise<TaskRecord> };
  mergeOne: MergeOne;
  log: (msg: string, err?: unknown) => void;
  /** How often a running queue says it is alive; a queue silent for 6 of these is taken as dead. */
  heartbeatMs?: number;
}

export function createMergeQueue(deps: MergeQueueDeps) {
  const heartbeatMs = deps.heartbeatMs ?? 20_000;
  /** A running queue whose heartbeat is older than this has lost its server. */
  const staleBefore = () => new Date(Date.now() - 6 * heartbeatMs).toISOString();
  /** Queues this process runs, until their last entry is done (tests and shutdown wait for them). */
  const inFlight = new Set<Promise<void>>();

  async function present(q: MergeQueueRecord): Promise<MergeQueueDto> {
    const project = await deps.storage.projects.findById(q.projectId);
    return {
      id: q.id,
      projectId: q.projectId,
      project: project?.name ?? q.projectId,
      baseBranch: q.baseBranch,
      method: q.method,
      status: q.status,
      entries: q.entries,
      startedAt: q.startedAt,
      finishedAt: q.finishedAt,
    };
  }

  /** Takes the queue's tasks in order, saving each outcome as it comes; never throws. */
  async function run(q: MergeQueueRecord): Promise<void> {
    const entries = q.entries.map((e) => ({ ...e }));
    const save = () => deps.repo.progress(q.id, entries, nowIso());
    const beat = setInterval(() => {
      save().catch((err) => deps.log('saving a merge queue’s heartbeat failed', err));
    }, heartbeatMs);
    try {
      for (const entry of entries) {
        entry.outcome = 'merging';
        await save();
        Object.assign(entry, await deps.mergeOne(entry.taskId));
        await save();
      }
    } finally {
      clearInterval(beat);
      await deps.repo.finish(q.id, entries, nowIso());
    }
  }

  return {
    /**
     * Starts a merge queue over `ids` (ids or unique prefixes), in that order, and returns it running.
     * Rules: every id names a task (404); the tasks pass `checkMergeRequest` (4xx saying which does not);
     * `authorize` may refuse the project (403); a project with a running queue refuses a second (409
     * `merge_in_progress`), unless that queue's server went silent (it is closed as interrupted first).
     */
    async start(
      ids: readonly string[],
      authorize?: (project: ProjectRecord) => void,
    ): Promise<MergeQueueDto> {
      const tasks = await Promise.all(ids.map((id) => deps.tasks.get(id)));
      const check = checkMergeRequest(tasks);
      if (!check.ok) throw new AppError(check.status, check.code, check.message);
      const project = await deps.storage.projects.findById(tasks[0]!.projectId);
      if (!project) throw notFound('the tasks’ project');
      authorize?.(project);
      const now = nowIso();
      const entries: MergeEntryDto[] = tasks.map((t) => ({
        taskId: t.id,
        title: t.title,
        outcome: 'pending',
        reason: null,
        sha: null,
        conflictFiles: null,
      }));
      const q: MergeQueueRecord = {
        id: newId(),
        projectId: project.id,
        status: 'running',
        baseBranch: mergeTarget(tasks[0]!.baseBranch, project.defaultBranch),
        method: gitSettingsOf(project).mergeMethod,
        entries,
        startedAt: now,
        heartbeatAt: now,
        finishedAt: null,
      };
      if (!(await deps.repo.start(q, staleBefore()))) {
        const running = await deps.repo.running(project.id);
        throw conflict(
          'merge_in_progress',
          `project ${project.name} is already merging${running ? ` (queue ${running.id})` : ''}; try again when it is done`,
        );
      }
      const done = run(q)
        .catch((err) => deps.log(`merge queue ${q.id} failed`, err))
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
      return present(q);
    },

    /** A merge queue as it is now; one whose server went silent is closed as interrupted first. */
    async get(id: string): Promise<MergeQueueDto> {
      let q = await deps.repo.get(id);
      const stale = staleBefore();
      if (q?.status === 'running' && q.heartbeatAt < stale) {
        await deps.repo.interrupt({ id, staleBefore: stale }, nowIso());
        q = await deps.repo.get(id);
      }
      if (!q) throw notFound(`merge queue ${id}`);
      return present(q);
    },

    /** The project a queue merges into (for the route's role check). */
    async projectOf(id: string): Promise<ProjectRecord | undefined> {
      const q = await deps.repo.get(id);
      return q && deps.storage.projects.findById(q.projectId);
    },

    /** Resolves when every queue this process runs has finished. */
    idle: () => Promise.all([...inFlight]).then(() => undefined),
  };
}

export type MergeQueue = ReturnType<typeof createMergeQueue>;
