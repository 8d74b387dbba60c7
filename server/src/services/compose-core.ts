/**
 * The first services every other one is built on: redaction, the event log, the one writer of status,
 * observability, notifications and governance.
 */
import type { Config } from '../config.js';
import { createRedactor, redactDeep } from '../domain/redact.js';
import type { AgentRegistry } from '../runner/agent.js';
import { secretValuesFromEnv } from '../runner/agent-env.js';
import type { AgentSandbox } from '../runner/claude-options.js';
import type { Storage } from '../storage/index.js';
import type { JobQueue } from '../storage/job-queue.js';
import { createEventLog } from './event-log.js';
import { createGovernance } from './governance/index.js';
import { createNotifier } from './notifications.js';
import { createObservability } from './observability/index.js';
import { createTaskState } from './task-state.js';

export interface ServicesDeps {
  config: Config;
  storage: Storage;
  /** The agents tasks can run, by name. */
  agents: AgentRegistry;
  serverEnv: NodeJS.ProcessEnv;
  /** Secret values to redact besides those found in the environment (the API token). */
  secrets: string[];
  /** The port the API listens on, once known: the approval policy holds agents' calls to it. */
  apiPort?: () => number | null;
  /**
   * Part of a fleet on Postgres: a `server` queues work for the workers and reaches their runs by command;
   * a `worker` runs agents in its own clones and pushes their work as it goes. Absent: one process does it all.
   */
  fleet?: { role: 'server' | 'worker'; jobs: JobQueue };
  log: (msg: string, err?: unknown) => void;
  /** The agents' sandbox as found at start (absent: not known, nothing is refused for it). */
  sandbox?: AgentSandbox;
}

export function composeCore(deps: ServicesDeps) {
  const redactText = createRedactor([...deps.secrets, ...secretValuesFromEnv(deps.serverEnv)]);
  const events = createEventLog(
    deps.storage.events,
    (v) => redactDeep(v, redactText),
    (err) => deps.log('event log error', err),
    deps.storage.feed,
  );
  const state = createTaskState(deps.storage, events, {
    redact: redactText,
    feed: deps.storage.feed,
    log: deps.log,
  });
  const observability = createObservability({
    config: deps.config,
    storage: deps.storage,
    events,
    env: deps.serverEnv,
    traceEvents: deps.fleet?.role !== 'worker',
    log: deps.log,
  });
  const notifier = createNotifier(deps.storage, events);
  const governance = createGovernance({
    storage: deps.storage,
    notifier,
    metrics: observability.metrics,
    log: deps.log,
    sandbox: deps.sandbox,
  });
  return { redactText, events, state, observability, notifier, governance };
}

export type Core = ReturnType<typeof composeCore>;
