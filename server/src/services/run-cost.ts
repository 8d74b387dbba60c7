/**
 * The live cost of a running task: each change of the run's cost is written per model (for the reports),
 * added to the task, and announced as a `cost.updated` event.
 */
import type { AgentRun, ModelCost } from '../runner/agent.js';
import type { Storage } from '../storage/index.js';
import type { RunRecord } from '../storage/runs-repo.js';
import type { EventLog } from './event-log.js';
import type { TaskState } from './task-state.js';

/** A run in progress, as the run lifecycle and the health monitor see it. */
export interface ActiveRun {
  run: RunRecord;
  handle: AgentRun;
  /** The task's cost before this run. */
  baseCostUsd: number;
  runCostUsd: number;
  lastEventAt: number;
  pid: number | null;
  toolCalls: { name: string; input: unknown; at: number }[];
  /** Which spending cap stopped the run, in words, once one did. */
  capReason?: string;
}

/** The local calendar day of an ISO time (cost reports group by it). */
export function localDay(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export async function recordRunCost(
  deps: { storage: Storage; state: TaskState; events: EventLog },
  taskId: string,
  a: ActiveRun,
  byModel: ModelCost[],
  final: boolean,
): Promise<void> {
  const taskCostUsd = a.baseCostUsd + a.runCostUsd;
  await deps.storage.runs.setModelCosts(
    { id: a.run.id, taskId, day: localDay(a.run.startedAt) },
    byModel,
    final,
  );
  await deps.state.updateQuietly(taskId, { costUsd: taskCostUsd });
  await deps.events.emit(taskId, {
    type: 'cost.updated',
    runId: a.run.id,
    data: { taskCostUsd, runCostUsd: a.runCostUsd, final },
  });
}
