/**
 * The queue of a Gluon on Postgres, seen from a server: every queued task ready to start gets a job on
 * its project's run queue (pg-boss; at most one waiting job per task, whoever kicks), and the workers are
 * woken through the change feed. Workers claim the jobs. It has the scheduler's shape, so the services
 * that queue work (create, resume, answer) do not know which machine will run it.
 */
import type { Storage } from '../../storage/index.js';
import type { JobQueue } from '../../storage/job-queue.js';

/** Queued tasks looked at per kick (the rest wait for the next one). */
const BATCH = 500;

export function createQueueDispatcher(deps: {
  storage: Storage;
  jobs: JobQueue;
  log: (msg: string, err?: unknown) => void;
}) {
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  async function dispatch(): Promise<void> {
    if (stopped) return;
    let sent = 0;
    for (const task of await deps.storage.tasks.listQueued(BATCH)) {
      try {
        if (await deps.jobs.enqueue(task.projectId, task.id)) sent += 1;
      } catch (err) {
        deps.log(`could not queue task ${task.id}`, err);
      }
    }
    if (sent > 0) await deps.storage.feed.notify('gluon_dispatch', String(sent));
  }

  return {
    /** Queues a job for every queued task that has none. Resolves when this pass is done. */
    kick(): Promise<void> {
      chain = chain.then(dispatch).catch((err) => deps.log('dispatching queued tasks failed', err));
      return chain;
    },
    /**
     * The user asks to start a task now: on a fleet it is queued like any other (the fleet's caps hold),
     * so this is a kick.
     */
    startNow(): Promise<void> {
      return this.kick();
    },
    stop() {
      stopped = true;
    },
  };
}

export type QueueDispatcher = ReturnType<typeof createQueueDispatcher>;
