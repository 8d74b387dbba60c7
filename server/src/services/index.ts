/**
 * Builds the services over storage and an agent. The composition of the orchestrator, minus the network.
 */
import type { Config } from '../config.js';
import { createRedactor, redactDeep } from '../domain/redact.js';
import type { Agent } from '../runner/agent.js';
import { secretValuesFromEnv } from '../runner/agent-env.js';
import type { Storage } from '../storage/index.js';
import { createCosts } from './costs.js';
import { createEventLog } from './event-log.js';
import { createInputRequests } from './input-requests.js';
import { createProjects } from './projects.js';
import { createRuns } from './runs.js';
import { createScheduler } from './scheduler.js';
import { createTaskState } from './task-state.js';
import { createTasks } from './tasks.js';

export interface ServicesDeps {
  config: Config;
  storage: Storage;
  agent: Agent;
  serverEnv: NodeJS.ProcessEnv;
  /** Secret values to redact besides those found in the environment (the API token). */
  secrets: string[];
  log: (msg: string, err?: unknown) => void;
}

export function createServices(deps: ServicesDeps) {
  const redactText = createRedactor([...deps.secrets, ...secretValuesFromEnv(deps.serverEnv)]);
  const events = createEventLog(
    deps.storage.events,
    (v) => redactDeep(v, redactText),
    (err) => deps.log('event log error', err),
  );
  const state = createTaskState(deps.storage, events);
  const unpriced = new Set<string>();
  let runs: ReturnType<typeof createRuns> | null = null;
  const inputs = createInputRequests({
    approvalTimeoutMs: deps.config.approvalTimeoutMs,
    questionTimeoutMs: deps.config.questionTimeoutMs,
    async setPending(taskId, pending, resolved) {
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
      }
      if (resolved) await events.emit(taskId, { type: 'input.resolved', data: resolved });
    },
    onQuestionTimeout: (taskId) => void runs?.stop(taskId, 'input_required'),
  });
  runs = createRuns({
    config: deps.config,
    storage: deps.storage,
    events,
    state,
    inputs,
    agent: deps.agent,
    serverEnv: deps.serverEnv,
    log: deps.log,
  });
  events.subscribe((e) => {
    if (e.type === 'cost.warning') unpriced.add(e.data.model);
  });
  const scheduler = createScheduler({
    storage: deps.storage,
    runs,
    maxConcurrent: deps.config.maxConcurrentTasks,
    log: deps.log,
  });
  const projects = createProjects(deps.storage);
  const tasks = createTasks({
    config: deps.config,
    storage: deps.storage,
    events,
    state,
    projects,
    runs,
    scheduler,
    inputs,
  });
  const costs = createCosts(deps.storage, () => [...unpriced]);
  return { events, state, inputs, runs, scheduler, projects, tasks, costs, redactText };
}

export type Services = ReturnType<typeof createServices>;
