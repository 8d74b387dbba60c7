/**
 * Runs (one agent session working on a task) and their cost per model.
 */
import type { StopReason } from '../../../shared/api.js';
import type { ModelCost } from '../domain/pricing.js';
import type { Db } from './db.js';
import type { RunsTable } from './schema.js';

export interface RunRecord {
  id: string;
  taskId: string;
  kind: string;
  model: string;
  prompt: string;
  sessionId: string | null;
  status: 'running' | 'ended';
  stopReason: StopReason | null;
  costUsd: number;
  sdkTotalUsd: number | null;
  error: string | null;
  pid: number | null;
  /** The run's place in its task ("Iteration 3", "Step 2/4 Implement", "Plan"); null for a plain run. */
  label: string | null;
  startedAt: string;
  endedAt: string | null;
}

function toRecord(r: RunsTable): RunRecord {
  return {
    id: r.id,
    taskId: r.task_id,
    kind: r.kind,
    model: r.model,
    prompt: r.prompt,
    sessionId: r.session_id,
    status: r.status as RunRecord['status'],
    stopReason: r.stop_reason as StopReason | null,
    costUsd: r.cost_usd,
    sdkTotalUsd: r.sdk_total_usd,
    error: r.error,
    pid: r.pid,
    label: r.label,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  };
}

export function createRunsRepo(db: Db) {
  return {
    async insert(r: RunRecord): Promise<void> {
      await db
        .insertInto('runs')
        .values({
          id: r.id,
          task_id: r.taskId,
          kind: r.kind,
          model: r.model,
          prompt: r.prompt,
          session_id: r.sessionId,
          status: r.status,
          stop_reason: r.stopReason,
          cost_usd: r.costUsd,
          sdk_total_usd: r.sdkTotalUsd,
          error: r.error,
          pid: r.pid,
          label: r.label,
          started_at: r.startedAt,
          ended_at: r.endedAt,
        })
        .execute();
    },
    async update(
      id: string,
      patch: Partial<
        Pick<
          RunRecord,
          'sessionId' | 'status' | 'stopReason' | 'costUsd' | 'sdkTotalUsd' | 'error' | 'pid' | 'endedAt'
        >
      >,
    ): Promise<void> {
      const cols: Partial<RunsTable> = {};
      if (patch.sessionId !== undefined) cols.session_id = patch.sessionId;
      if (patch.status !== undefined) cols.status = patch.status;
      if (patch.stopReason !== undefined) cols.stop_reason = patch.stopReason;
      if (patch.costUsd !== undefined) cols.cost_usd = patch.costUsd;
      if (patch.sdkTotalUsd !== undefined) cols.sdk_total_usd = patch.sdkTotalUsd;
      if (patch.error !== undefined) cols.error = patch.error;
      if (patch.pid !== undefined) cols.pid = patch.pid;
      if (patch.endedAt !== undefined) cols.ended_at = patch.endedAt;
      if (Object.keys(cols).length) await db.updateTable('runs').set(cols).where('id', '=', id).execute();
    },
    async listByTask(taskId: string): Promise<RunRecord[]> {
      const rows = await db
        .selectFrom('runs')
        .selectAll()
        .where('task_id', '=', taskId)
        .orderBy('started_at')
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },
    async listActive(): Promise<RunRecord[]> {
      return (await db.selectFrom('runs').selectAll().where('status', '=', 'running').execute()).map(
        toRecord,
      );
    },
    /** Replaces a run's per-model costs (live estimates while running, the SDK's figures at the end). */
    async setModelCosts(
      run: { id: string; taskId: string; day: string },
      costs: ModelCost[],
      final: boolean,
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('run_costs').where('run_id', '=', run.id).execute();
        if (costs.length === 0) return;
        await trx
          .insertInto('run_costs')
          .values(
            costs.map((c) => ({
              run_id: run.id,
              task_id: run.taskId,
              model: c.model,
              cost_usd: c.costUsd,
              input_tokens: c.inputTokens,
              output_tokens: c.outputTokens,
              cache_write_tokens: c.cacheWriteTokens,
              cache_read_tokens: c.cacheReadTokens,
              final: final ? 1 : 0,
              day: run.day,
            })),
          )
          .execute();
      });
    },
  };
}

export type RunsRepo = ReturnType<typeof createRunsRepo>;
