/**
 * Runs (one agent session working on a task) and their cost per model.
 */
import type { StopReason } from '../../../shared/api.js';
import type { ModelCost } from '../domain/pricing.js';
import type { Db } from './db.js';
import type { RunCostsTable, RunsTable } from './schema.js';

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

/** The columns of a cost row that a later tick may change (all NOT NULL, so `<>` compares them). */
const CHANGEABLE = [
  'cost_usd',
  'input_tokens',
  'output_tokens',
  'cache_write_tokens',
  'cache_read_tokens',
  'final',
  'day',
] as const;

function costRow(
  run: { id: string; taskId: string; day: string },
  c: ModelCost,
  final: boolean,
): RunCostsTable {
  return {
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
  };
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
    /**
     * Brings a run's per-model costs to `costs` (live estimates while running, the SDK's figures at the
     * end), writing only what changed: each model's row is upserted on (run, model) and left alone when
     * its figures are the same; rows of models no longer listed (an estimate under another model id than
     * the SDK's final one) are deleted. Resolves to the number of rows written or deleted.
     */
    async setModelCosts(
      run: { id: string; taskId: string; day: string },
      costs: ModelCost[],
      final: boolean,
    ): Promise<number> {
      return db.transaction().execute(async (trx) => {
        let stale = trx.deleteFrom('run_costs').where('run_id', '=', run.id);
        if (costs.length > 0)
          stale = stale.where(
            'model',
            'not in',
            costs.map((c) => c.model),
          );
        const removed = await stale.executeTakeFirst();
        if (costs.length === 0) return Number(removed.numDeletedRows);
        const written = await trx
          .insertInto('run_costs')
          .values(costs.map((c) => costRow(run, c, final)))
          .onConflict((oc) =>
            oc
              .columns(['run_id', 'model'])
              .doUpdateSet((eb) => ({
                cost_usd: eb.ref('excluded.cost_usd'),
                input_tokens: eb.ref('excluded.input_tokens'),
                output_tokens: eb.ref('excluded.output_tokens'),
                cache_write_tokens: eb.ref('excluded.cache_write_tokens'),
                cache_read_tokens: eb.ref('excluded.cache_read_tokens'),
                final: eb.ref('excluded.final'),
                day: eb.ref('excluded.day'),
              }))
              .where((eb) =>
                eb.or(
                  CHANGEABLE.map((column) => eb(`run_costs.${column}`, '<>', eb.ref(`excluded.${column}`))),
                ),
              ),
          )
          .executeTakeFirst();
        return Number(removed.numDeletedRows) + Number(written.numInsertedOrUpdatedRows ?? 0n);
      });
    },
  };
}

export type RunsRepo = ReturnType<typeof createRunsRepo>;
