/**
 * What runs agents: the requests that wait for a human, the mode drivers, the run lifecycle, and who starts
 * queued work (this process's own queue, or the fleet's run queue) and reaches a run (here, or by command).
 */
import path from 'node:path';
import { withRedactedRegistry } from '../runner/agent-redaction.js';
import { createAttachments } from './attachments.js';
import type { Core, ServicesDeps } from './compose-core.js';
import type { Git } from './compose-git.js';
import { createRemoteControl } from './fleet/commands.js';
import { createQueueDispatcher } from './fleet/dispatcher.js';
import { createInputRequests, type InputDeps } from './input-requests.js';
import { createModeDrivers } from './modes/index.js';
import { createRuns, type Runs } from './runs/index.js';
import { createScheduler } from './scheduler.js';
import { createWipPublisher } from './wip-publisher.js';

/** Shows a question or an approval on the task (its columns, an event, a notification), and its end. */
function showPending({ state, events, notifier }: Core): InputDeps['setPending'] {
  return async (taskId, pending, resolved) => {
    await state.update(taskId, { pendingInput: pending, inputRequired: pending !== null });
    if (pending?.live) {
      await events.emit(taskId, {
        type: 'input.requested',
        data: {
          requestId: pending.requestId,
          kind: pending.kind,
          toolName: pending.toolName,
          toolInput: pending.toolInput,
          questions: pending.questions,
          reason: pending.reason,
        },
      });
      const what =
        pending.kind === 'question'
          ? 'the agent asks a question'
          : `${pending.toolName ?? 'a tool call'} waits for approval`;
      await notifier.notify(taskId, 'input_required', pending.reason ? `${what}: ${pending.reason}` : what);
    }
    if (resolved) await events.emit(taskId, { type: 'input.resolved', data: resolved });
  };
}

/** The requests that wait for a human; a question that times out ends its run through `runs()`. */
function composeInputs(deps: ServicesDeps, core: Core, runs: () => Runs | null) {
  return createInputRequests({
    approvalTimeoutMs: deps.config.approvalTimeoutMs,
    log: deps.log,
    questionTimeoutMs: deps.config.questionTimeoutMs,
    guard: {
      dataDir: deps.config.home,
      env: deps.serverEnv,
      port: deps.apiPort ?? (() => null),
      sandboxed: () => deps.sandbox?.available ?? false,
    },
    setPending: showPending(core),
    onQuestionTimeout: (taskId) =>
      runs()
        ?.stop(taskId, 'input_required')
        .catch((err) => deps.log(`could not end task ${taskId} after its question timed out`, err)),
  });
}

/** Who starts queued work, and how a stop or an answer reaches a run. */
function composeStarts(deps: ServicesDeps, runs: Runs) {
  // Who starts queued work: this process's own queue, or the fleet's run queue (workers claim from it).
  const scheduler = deps.fleet
    ? createQueueDispatcher({ storage: deps.storage, jobs: deps.fleet.jobs, log: deps.log })
    : createScheduler({
        storage: deps.storage,
        runs,
        maxConcurrent: deps.config.maxConcurrentTasks,
        log: deps.log,
      });
  // How a stop or an answer reaches a run: here, or by command to the worker that runs it.
  const remote =
    deps.fleet?.role === 'server'
      ? createRemoteControl({ storage: deps.storage, jobs: deps.fleet.jobs })
      : null;
  return { scheduler, remote };
}

export function composeRuns(deps: ServicesDeps, core: Core, { workspaces }: Git) {
  const { redactText, events, state, notifier, governance } = core;
  let late: Runs | null = null;
  const inputs = composeInputs(deps, core, () => late);
  const driverFor = createModeDrivers({ config: deps.config, events });
  const attachments = createAttachments(path.join(deps.config.home, 'attachments'), deps.config.attachments);
  const runs = createRuns({
    config: deps.config,
    attachments,
    storage: deps.storage,
    events,
    state,
    inputs,
    agents: withRedactedRegistry(deps.agents, redactText),
    driverFor,
    workspaces,
    notifier,
    serverEnv: deps.serverEnv,
    wip: deps.fleet?.role === 'worker' ? createWipPublisher(deps.log) : undefined,
    budgets: governance.budgets,
    policies: governance.policies,
    log: deps.log,
  });
  late = runs;
  return { inputs, driverFor, attachments, runs, ...composeStarts(deps, runs) };
}

export type RunParts = ReturnType<typeof composeRuns>;
