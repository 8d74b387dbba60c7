/**
 * How a running agent reaches the rest of Gluon: its events are persisted and broadcast, its session and
 * process recorded, its cost counted and held to the spending caps, and its tool calls decided by the
 * task's mode or the approval policy.
 */
import { reachedCap, type Spend, type SpendCaps } from '../../domain/spend-caps.js';
import type { StopCause } from '../../domain/run-ending.js';
import type { AgentHooks } from '../../runner/agent.js';
import type { Storage } from '../../storage/index.js';
import type { RunRecord } from '../../storage/runs-repo.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import type { EventLog } from '../event-log.js';
import type { Budgets } from '../governance/budgets.js';
import type { Policies } from '../governance/policies.js';
import type { InputRequests } from '../input-requests.js';
import { followSpend } from '../spend.js';
import type { ModeDriver } from '../modes/mode-driver.js';
import type { TaskState } from '../task-state.js';
import type { WipPublisher } from '../wip-publisher.js';
import type { RunTelemetry } from './active-runs.js';
import type { RunCost } from './run-cost.js';

export interface RunHookDeps {
  storage: Storage;
  events: EventLog;
  state: TaskState;
  inputs: InputRequests;
  /** On a worker of a fleet: pushes the work in progress after each tool call that may have written. */
  wip?: WipPublisher;
  budgets?: Pick<Budgets, 'onSpend'>;
  policies?: Pick<Policies, 'gateTool'>;
  log: (msg: string, err?: unknown) => void;
}

export interface RunHookContext {
  task: TaskRecord;
  run: RunRecord;
  cwd: string;
  driver: ModeDriver;
  budget: { caps: SpendCaps; spend: Spend };
  telemetry: RunTelemetry;
  cost: RunCost;
  /** Stops this run; `reason` says which cap stopped it. */
  stop(cause: StopCause, reason?: string): void;
  /**
   * The agent's session began and its `run.session` event is out (or failed to be written): what waited
   * for the agent to be up may start now, without delaying that first event (a spawn blocks the loop).
   */
  onAgentUp?(): void;
}

export function createRunHooks(deps: RunHookDeps, ctx: RunHookContext): AgentHooks {
  const { storage, events, state } = deps;
  const { task, run, telemetry, cost } = ctx;
  const taskId = task.id;
  const logFailure = (what: string) => (err: unknown) => deps.log(`${what} failed`, err);
  const toolNames = new Map<string, string>();
  const followOthers = followSpend(storage, task, run.id, ctx.budget);
  const checkCaps = () => {
    const cap = reachedCap(ctx.budget.caps, { ...ctx.budget.spend, runUsd: cost.runUsd });
    if (cap) ctx.stop('cost_cap', cap);
  };
  return {
    onEvent: (e) => {
      telemetry.lastEventAt = Date.now();
      if (e.type === 'tool.called') {
        telemetry.toolCalls.push({ name: e.data.name, input: e.data.input, at: telemetry.lastEventAt });
        toolNames.set(e.data.toolUseId, e.data.name);
      }
      if (e.type === 'tool.result' && deps.wip)
        deps.wip.toolDone(task, ctx.cwd, toolNames.get(e.data.toolUseId) ?? '');
      const written = events.emit(taskId, { ...e, runId: run.id }).catch(logFailure('event write'));
      // A turn later: the WebSocket hub writes what was published at the end of the turn it was published in.
      const up = e.type === 'run.session' ? ctx.onAgentUp : undefined;
      if (up) written.then(() => setImmediate(up), logFailure('starting what waited for the agent'));
    },
    onSession: (sessionId) => {
      run.sessionId = sessionId;
      storage.runs.update(run.id, { sessionId }).catch(logFailure('recording the session'));
      state.update(taskId, { sessionId }).catch(logFailure('recording the session'));
    },
    onProcess: (pid) => {
      telemetry.pid = pid;
      storage.runs.update(run.id, { pid }).catch(logFailure('recording the process'));
    },
    onCost: (c) => {
      if (c.unknownModel) {
        const message = `no price known for model ${c.unknownModel}: its live cost is not counted until the run ends`;
        events
          .emit(taskId, { type: 'cost.warning', runId: run.id, data: { model: c.unknownModel, message } })
          .catch(logFailure('event write'));
      }
      cost.live({ runCostUsd: c.runCostUsd, byModel: c.byModel });
      deps.budgets?.onSpend(taskId, run.id, ctx.budget.caps.budgets ?? [], cost.runUsd);
      checkCaps();
      // Other runs spend too (here or on other workers): check again with their figures.
      followOthers?.().then(checkCaps, logFailure('reading what other runs spent'));
    },
    onToolRequest: async (req) => {
      let current = (await storage.tasks.findById(taskId)) ?? task;
      // The policy first: denied tools and protected paths are refused whatever a human would say.
      const gate = await deps.policies?.gateTool(current, ctx.cwd, req);
      if (gate && 'refused' in gate) return { allow: false, message: `Not allowed: ${gate.refused}.` };
      if (gate) current = { ...current, approval: gate.approval };
      return ctx.driver.onToolRequest?.(current, req) ?? deps.inputs.decide(current, ctx.cwd, req);
    },
  };
}
