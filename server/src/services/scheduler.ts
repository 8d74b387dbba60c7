/**
 * The queue: at most `maxConcurrentTasks` runs at once; queued tasks start first in, first out, whenever a
 * slot frees up. Starting is serialised so two kicks never start the same task twice.
 */
import type { Storage } from '../storage/index.js';
import type { Runs } from './runs/index.js';

/** How long the queue waits before it tries again to start a task whose start could not be written. */
const RETRY_MS = 2000;

export function createScheduler(deps: {
  storage: Storage;
  runs: Runs;
  maxConcurrent: number;
  log: (msg: string, err?: unknown) => void;
}) {
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  async function fill(): Promise<void> {
    while (!stopped) {
      const free = deps.maxConcurrent - deps.runs.activeCount();
      if (free <= 0) return;
      const [next] = await deps.storage.tasks.listQueued(1);
      if (!next) return;
      try {
        await deps.runs.start(next);
      } catch (err) {
        // Still queued (its start was not written: a locked database, a full disk): try again soon.
        deps.log(`could not start task ${next.id}; trying again in ${RETRY_MS / 1000} s`, err);
        setTimeout(() => scheduler.kick().catch(logKickFailure), RETRY_MS).unref();
        return;
      }
    }
  }

  const scheduler = {
    /** Starts queued tasks while there are free slots. Resolves when this pass is done. */
    kick(): Promise<void> {
      chain = chain.then(fill, fill);
      return chain;
    },
    /** Starts one queued task now, even past the concurrency limit (the user asked for it). */
    startNow(taskId: string): Promise<void> {
      chain = chain.then(async () => {
        const task = await deps.storage.tasks.findById(taskId);
        if (task?.status === 'queued') await deps.runs.start(task);
      });
      return chain;
    },
    stop() {
      stopped = true;
    },
  };
  // A failed pass leaves its task queued; the next kick starts it.
  const logKickFailure = (err: unknown) => deps.log('could not start queued tasks', err);
  deps.runs.onFinished(() => scheduler.kick().catch(logKickFailure));
  return scheduler;
}

export type Scheduler = ReturnType<typeof createScheduler>;
