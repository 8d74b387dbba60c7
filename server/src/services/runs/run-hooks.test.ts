/**
 * What a running agent reaches through its hooks, on a real SQLite file: its events stored under its run,
 * its session and process recorded, its cost counted and held to the caps, and each tool call decided by
 * the policy first, then the task's mode, then the approval rules.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../../../shared/events.js';
import type { StopCause } from '../../domain/run-ending.js';
import type { ToolDecision } from '../../runner/agent.js';
import { buildRun } from '../../storage/testing/factories.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import { createInputRequests } from '../input-requests.js';
import { plainDriver } from '../modes/plain.js';
import { openCoreTestbed, type CoreTestbed } from '../testing/core-testbed.js';
import type { RunTelemetry } from './active-runs.js';
import { openRunCost } from './run-cost.js';
import { createRunHooks, type RunHookDeps } from './run-hooks.js';

let bed: CoreTestbed;
beforeEach(async () => (bed = await openCoreTestbed()));
afterEach(() => bed.close());

/** Resolves with the task's first `n` events once they are published (hence stored). */
function published(taskId: string, n: number): Promise<GluonEvent[]> {
  const seen: GluonEvent[] = [];
  return new Promise((resolve) => {
    const stop = bed.events.subscribe((e) => {
      if (e.taskId === taskId) seen.push(e);
      if (seen.length === n) {
        stop();
        resolve(seen);
      }
    });
  });
}

const noCaps = { taskUsd: null, projectPerDayUsd: null, projectPerMonthUsd: null };

async function hooksFor(
  over: Partial<TaskRecord> = {},
  deps: Partial<RunHookDeps> = {},
  taskUsd: number | null = null,
) {
  const task = await bed.task({ status: 'running', costUsd: 0.1, ...over });
  const run = buildRun({ taskId: task.id });
  await bed.storage.runs.insert(run);
  const logged: string[] = [];
  const log = (m: string) => void logged.push(m);
  const telemetry: RunTelemetry = { ending: false, lastEventAt: 0, pid: null, toolCalls: [] };
  const cost = openRunCost({ storage: bed.storage, events: bed.events, log }, run, task.costUsd);
  const stops: Array<[StopCause, string | undefined]> = [];
  const inputs = createInputRequests({
    approvalTimeoutMs: 60_000,
    questionTimeoutMs: 60_000,
    log,
    setPending: async () => {},
    onQuestionTimeout: () => {},
  });
  const budget = {
    caps: { ...noCaps, taskUsd },
    spend: { taskUsd: task.costUsd, projectDayUsd: 0, projectMonthUsd: 0, runUsd: 0 },
  };
  const hooks = createRunHooks(
    { storage: bed.storage, events: bed.events, state: bed.state, inputs, log, ...deps },
    {
      task,
      run,
      cwd: '/work/tree',
      driver: plainDriver,
      budget,
      telemetry,
      cost,
      stop: (c, r) => void stops.push([c, r]),
    },
  );
  return { task, run, hooks, telemetry, stops, logged };
}

describe('the hooks of a running agent', () => {
  it('store its events under its run, and keep what the health monitor watches', async () => {
    const { task, run, hooks, telemetry } = await hooksFor();
    const input = { command: 'ls' };
    const stored = published(task.id, 2);
    hooks.onEvent({ type: 'tool.called', data: { toolUseId: 'u1', name: 'Bash', input, subagent: null } });
    hooks.onEvent({ type: 'agent.text', data: { messageId: 'm', text: 'hi', subagent: null } });
    expect((await stored).map((e) => [e.seq, e.type, e.runId])).toEqual([
      [1, 'tool.called', run.id],
      [2, 'agent.text', run.id],
    ]);
    expect(telemetry.toolCalls.map((c) => [c.name, c.input])).toEqual([['Bash', input]]);
    expect(telemetry.lastEventAt).toBeGreaterThan(0);
  });

  it('record the session on the run and the task, and the process on the run', async () => {
    const { task, run, hooks } = await hooksFor();
    hooks.onSession('s-42');
    hooks.onProcess(4242);
    // The writes go on in the background: wait for them through the database itself.
    const written = async () =>
      (await bed.storage.runs.listByTask(task.id))[0]!.pid !== null &&
      (await bed.storage.tasks.findById(task.id))!.sessionId !== null;
    while (!(await written())) await new Promise((r) => setImmediate(r));
    expect((await bed.storage.runs.listByTask(task.id))[0]).toMatchObject({
      id: run.id,
      sessionId: 's-42',
      pid: 4242,
    });
    expect((await bed.storage.tasks.findById(task.id))!.sessionId).toBe('s-42');
  });

  it('count the cost on the task, warn once of an unpriced model, and stop at a cap', async () => {
    const { task, hooks, stops } = await hooksFor({}, {}, 0.5);
    // A warning and two cost ticks.
    const stored = published(task.id, 3);
    hooks.onCost({ runCostUsd: 0.2, byModel: [], unknownModel: 'mystery-1' });
    expect(stops).toEqual([]);
    hooks.onCost({ runCostUsd: 0.45, byModel: [] });
    expect(stops).toHaveLength(1);
    expect(stops[0]![0]).toBe('cost_cap');
    const types = (await stored).map((e) => e.type);
    expect(types.filter((t) => t === 'cost.warning')).toHaveLength(1);
    expect((await bed.storage.tasks.findById(task.id))!.costUsd).toBeCloseTo(0.1 + 0.45, 10);
  });

  it('decide tool calls: the policy refuses first, else the approval rules', async () => {
    const refuse = async (): Promise<{ refused: string }> => ({
      refused: 'the tool Bash is denied by policy (x)',
    });
    const refused = await hooksFor({}, { policies: { gateTool: refuse } });
    const req = { toolUseId: 'u1', name: 'Bash', input: { command: 'ls' } };
    expect(await refused.hooks.onToolRequest(req)).toEqual({
      allow: false,
      message: 'Not allowed: the tool Bash is denied by policy (x).',
    } satisfies ToolDecision);
    const open = await hooksFor({ approval: 'auto' });
    expect(await open.hooks.onToolRequest(req)).toEqual({ allow: true });
  });
});
