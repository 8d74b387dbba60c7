/**
 * How a running agent reaches the rest of Gluon: its events are persisted and broadcast, its session and
 * process recorded, its cost written live and held to the task's cap, and its tool calls decided by the
 * task's mode or the approval policy.
 */
import type { AgentHooks } from '../runner/agent.js';
import type { RunRecord } from '../storage/runs-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import type { ModeDriver } from './modes/mode-driver.js';
import { reachedCap, type Spend, type SpendCaps } from '../domain/spend-caps.js';
import { recordRunCost, type ActiveRun } from './run-cost.js';
import type { RunsDeps } from './runs.js';

export function createRunHooks(
  deps: RunsDeps,
  ctx: {
    task: TaskRecord;
    run: RunRecord;
    active: ActiveRun;
    cwd: string;
    driver: ModeDriver;
    caps: SpendCaps;
    spend: Spend;
  },
): AgentHooks {
  const { storage, events, state } = deps;
  const { task, run, active: a, cwd, driver } = ctx;
  const taskId = task.id;
  return {
    onEvent: (e) => {
      a.lastEventAt = Date.now();
      if (e.type === 'tool.called')
        a.toolCalls.push({ name: e.data.name, input: e.data.input, at: a.lastEventAt });
      void events.emit(taskId, { ...e, runId: run.id }).catch((err) => deps.log('event write failed', err));
    },
    onSession: (sessionId) => {
      run.sessionId = sessionId;
      void storage.runs.update(run.id, { sessionId });
      void state.update(taskId, { sessionId });
    },
    onProcess: (pid) => {
      a.pid = pid;
      void storage.runs.update(run.id, { pid });
    },
    onCost: (c) => {
      a.runCostUsd = c.runCostUsd;
      if (c.unknownModel) {
        void events.emit(taskId, {
          type: 'cost.warning',
          runId: run.id,
          data: {
            model: c.unknownModel,
            message: `no price known for model ${c.unknownModel}: its live cost is not counted until the run ends`,
          },
        });
      }
      void recordRunCost(deps, taskId, a, c.byModel, false).catch((err) =>
        deps.log('cost write failed', err),
      );
      const cap = reachedCap(ctx.caps, { ...ctx.spend, runUsd: a.runCostUsd });
      if (cap) {
        a.capReason ??= cap;
        a.handle.stop('cost_cap');
      }
    },
    onToolRequest: async (req) => {
      const current = (await storage.tasks.findById(taskId)) ?? task;
      return driver.onToolRequest?.(current, req) ?? deps.inputs.decide(current, cwd, req);
    },
  };
}
