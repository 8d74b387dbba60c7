/**
 * The one owner of a run's cost and the one writer of `task.costUsd`. Each change of a run's cost is
 * written per model (for the reports), on the run, added to the task's cost before the run, and announced
 * as `cost.updated`. A run's writes are applied one after another, so a late live tick can never land after
 * the final figure. Live ticks come twice per model turn; they are written at most once per
 * `LIVE_WRITE_MS` (the first at once, the latest at the end of the interval), since each write is a
 * handful of statements on the server's thread while the agent works. The caps are held against the
 * figure in memory, which every tick updates.
 */
import type { ModelCost } from '../../domain/pricing.js';
import type { Storage } from '../../storage/index.js';
import type { RunRecord } from '../../storage/runs-repo.js';
import type { EventLog } from '../event-log.js';

export interface RunCost {
  /** This run's cost so far. */
  readonly runUsd: number;
  /** The task's cost: what it had spent before this run, plus this run. */
  readonly taskUsd: number;
  /** A live estimate while the agent works (written in the background; failures are logged). */
  live(cost: { runCostUsd: number; byModel: ModelCost[] }): void;
  /** The run's final figure; resolves once it and every earlier write are stored. */
  finish(cost: { costUsd: number; byModel: ModelCost[] }): Promise<void>;
}

export interface CostDeps {
  storage: Storage;
  events: EventLog;
  log: (msg: string, err?: unknown) => void;
}

/** The shortest time between two live writes of a run's cost. */
export const LIVE_WRITE_MS = 250;

/** The local calendar day of an ISO time (cost reports group by it). */
export function localDay(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Opens the cost of a run that starts now, on a task that had spent `taskUsdBefore` until then. */
export function openRunCost(deps: CostDeps, run: RunRecord, taskUsdBefore: number): RunCost {
  const day = localDay(run.startedAt);
  let runUsd = 0;
  let writes: Promise<void> = Promise.resolve();

  async function write(runCostUsd: number, byModel: ModelCost[], final: boolean): Promise<void> {
    const taskCostUsd = taskUsdBefore + runCostUsd;
    await deps.storage.runs.setModelCosts({ id: run.id, taskId: run.taskId, day }, byModel, final);
    await deps.storage.runs.update(run.id, { costUsd: runCostUsd });
    await deps.storage.tasks.update(run.taskId, { costUsd: taskCostUsd });
    await deps.events.emit(run.taskId, {
      type: 'cost.updated',
      runId: run.id,
      data: { taskCostUsd, runCostUsd, final },
    });
  }

  function enqueue(byModel: ModelCost[], final: boolean): Promise<void> {
    const figure = runUsd;
    writes = writes.then(() => write(figure, byModel, final));
    return writes;
  }

  /** The live figure not written yet, and the interval during which it waits. */
  let unwritten: ModelCost[] | null = null;
  let interval: NodeJS.Timeout | null = null;
  function writeLive(): void {
    const byModel = unwritten;
    unwritten = null;
    if (!byModel) {
      interval = null;
      return;
    }
    enqueue(byModel, false).catch((err) => deps.log('cost write failed', err));
    interval = setTimeout(writeLive, LIVE_WRITE_MS);
    interval.unref();
  }

  return {
    get runUsd() {
      return runUsd;
    },
    get taskUsd() {
      return taskUsdBefore + runUsd;
    },
    live(cost) {
      runUsd = cost.runCostUsd;
      unwritten = cost.byModel;
      if (!interval) writeLive();
    },
    finish(cost) {
      if (interval) clearTimeout(interval);
      interval = null;
      unwritten = null;
      runUsd = cost.costUsd;
      // A failed live write must not keep the final one from being written.
      writes = writes.catch(() => undefined);
      return enqueue(cost.byModel, true);
    },
  };
}
