/**
 * Builds the services over storage and an agent. The composition of the orchestrator, minus the network.
 */
import path from 'node:path';
import type { Config } from '../config.js';
import { createAttachments } from './attachments.js';
import { createRedactor, redactDeep } from '../domain/redact.js';
import type { AgentRegistry } from '../runner/agent.js';
import { secretValuesFromEnv } from '../runner/agent-env.js';
import { withRedactedRegistry } from '../runner/agent-redaction.js';
import type { Storage } from '../storage/index.js';
import { createCosts } from './costs.js';
import { createEventLog } from './event-log.js';
import { createInputRequests } from './input-requests.js';
import { createProjects } from './projects.js';
import { createRuns } from './runs/index.js';
import type { JobQueue } from '../storage/job-queue.js';
import { createRemoteControl } from './fleet/commands.js';
import { createQueueDispatcher } from './fleet/dispatcher.js';
import { createSupervisor } from './fleet/supervisor.js';
import { ownClones, userCheckouts } from './project-repos.js';
import { createWipPublisher } from './wip-publisher.js';
import { createWorkers } from './workers.js';
import { createSettler } from './runs/settle.js';
import { recoverAfterRestart } from './recovery.js';
import { createProjectFiles } from './project-files.js';
import { createTaskViews } from './task-views.js';
import { createScheduler } from './scheduler.js';
import { createTaskState } from './task-state.js';
import { createTasks } from './tasks.js';
import { createPullRequestsRepo } from '../storage/pull-requests-repo.js';
import { createCleanup } from './cleanup.js';
import { createPullRequests, githubSettingsFrom } from './pull-requests.js';
import { createReview } from './review.js';
import { createReviewComments } from './review-comments.js';
import { createTaskDependencies } from './task-dependencies.js';
import { createTaskDependenciesRepo } from '../storage/task-dependencies-repo.js';
import { createReviewCommentsRepo } from '../storage/review-comments-repo.js';
import { createTaskGit } from './task-git.js';
import { createFormulaStore } from '../formulas/formula-store.js';
import { createModeDrivers } from './modes/index.js';
import { createNotifier } from './notifications.js';
import { createHealthMonitor } from './health-monitor.js';
import { createWorkspaces } from './workspaces.js';
import { createObservability } from './observability/index.js';
import { createGovernance } from './governance/index.js';
import { createIntakeServices } from './intake-services.js';
import { createTeam } from './team/index.js';
import { createMergeQueuesRepo } from '../storage/merge-queues-repo.js';
import { createMergeOne } from './merge-one.js';
import { createMergeQueue } from './merge-queue.js';
import { createTaskFork } from './task-fork.js';
import type { AgentSandbox } from '../runner/claude-options.js';

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

export function createServices(deps: ServicesDeps) {
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
  const unpriced = new Set<string>();
  const notifier = createNotifier(deps.storage, events);
  const governance = createGovernance({
    storage: deps.storage,
    notifier,
    metrics: observability.metrics,
    log: deps.log,
    sandbox: deps.sandbox,
  });
  let runs: ReturnType<typeof createRuns> | null = null;
  const inputs = createInputRequests({
    approvalTimeoutMs: deps.config.approvalTimeoutMs,
    log: deps.log,
    questionTimeoutMs: deps.config.questionTimeoutMs,
    guard: {
      dataDir: deps.config.home,
      env: deps.serverEnv,
      port: deps.apiPort ?? (() => null),
      sandboxed: () => deps.sandbox?.available ?? false,
    },
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
        const what =
          pending.kind === 'question'
            ? 'the agent asks a question'
            : `${pending.toolName ?? 'a tool call'} waits for approval`;
        await notifier.notify(taskId, 'input_required', pending.reason ? `${what}: ${pending.reason}` : what);
      }
      if (resolved) await events.emit(taskId, { type: 'input.resolved', data: resolved });
    },
    onQuestionTimeout: (taskId) =>
      runs
        ?.stop(taskId, 'input_required')
        .catch((err) => deps.log(`could not end task ${taskId} after its question timed out`, err)),
  });
  const gitRepo = createPullRequestsRepo(deps.storage.db);
  const repos = deps.fleet ? ownClones(deps.config.home) : userCheckouts;
  const taskGit = createTaskGit({ repo: gitRepo, repos });
  const workspaces = createWorkspaces({
    config: deps.config,
    storage: deps.storage,
    events,
    git: taskGit,
    repos,
    protectedPaths: governance.protectedPaths,
    log: deps.log,
  });
  const driverFor = createModeDrivers({ config: deps.config, events });
  const attachments = createAttachments(path.join(deps.config.home, 'attachments'), deps.config.attachments);
  runs = createRuns({
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
  events.subscribe((e) => {
    if (e.type === 'cost.warning') unpriced.add(e.data.model);
  });
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
  const projects = createProjects(deps.storage);
  const projectFiles = createProjectFiles({ findProject: (id) => projects.find(id), env: deps.serverEnv });
  const formulas = createFormulaStore({ home: deps.config.home });
  const dependencies = createTaskDependencies({
    storage: deps.storage,
    repo: createTaskDependenciesRepo(deps.storage.db),
    announce: (taskId) => state.announce(taskId),
  });
  // A task that reaches review or done may unblock the tasks that wait for it; any status change of it
  // changes why they wait, which the board shows.
  events.subscribe((e) => {
    if (e.type !== 'status.changed') return;
    if (e.data.to === 'review' || e.data.to === 'done')
      scheduler.kick().catch((err) => deps.log('starting the tasks that waited failed', err));
    void dependencies
      .dependentsOf(e.taskId)
      .then((ids) => Promise.all(ids.map((id) => state.announce(id))))
      .catch((err) => deps.log('announcing the tasks that wait for a task failed', err));
  });
  const tasks = createTasks({
    dependencies,
    config: deps.config,
    attachments,
    storage: deps.storage,
    events,
    state,
    projects,
    runs: remote ? { stop: remote.stop } : runs,
    scheduler,
    inputs: remote ? { settle: remote.settle } : inputs,
    driverFor,
    formulas,
    notifier,
    agents: deps.agents,
    governance,
    log: deps.log,
  });
  const health = createHealthMonitor({
    config: deps.config,
    storage: deps.storage,
    events,
    state,
    runs,
    notifier,
    log: deps.log,
  });
  const costs = createCosts(deps.storage, () => [...unpriced]);
  const review = createReview({ storage: deps.storage, repo: gitRepo, tasks, redactText, repos });
  const reviewComments = createReviewComments({
    storage: deps.storage,
    comments: createReviewCommentsRepo(deps.storage.db),
    tasks,
    redactText,
    repos,
  });
  const pullRequests = createPullRequests({
    storage: deps.storage,
    repo: gitRepo,
    state,
    events,
    tasks,
    github: githubSettingsFrom(deps.config.github, deps.serverEnv),
    redactText,
    log: deps.log,
  });
  const cleanup = createCleanup({
    home: deps.config.home,
    storage: deps.storage,
    state,
    events,
    isActive: (taskId) => runs?.isActive(taskId) ?? false,
    log: deps.log,
  });
  const mergeRepo = createMergeQueuesRepo(deps.storage.db);
  const forks = createTaskFork({ ...deps, forks: mergeRepo, state, events, tasks, scheduler, repos });
  const mergeOne = createMergeOne({
    ...deps,
    gitRepo,
    state,
    events,
    tasks,
    review,
    pullRequests,
    repos,
    isActive: (id) => runs?.isActive(id) ?? false,
  });
  const mergeQueue = createMergeQueue({
    storage: deps.storage,
    repo: mergeRepo,
    tasks,
    mergeOne,
    log: deps.log,
  });
  const views = createTaskViews({ projects, pullRequests, state, dependencies, forks, log: deps.log });
  const settle = createSettler({ state, notifier });
  const supervisor = deps.fleet
    ? createSupervisor({
        storage: deps.storage,
        events,
        workspaces,
        settle,
        jobs: deps.fleet.jobs,
        kick: () => scheduler.kick(),
        lostAfterMs: deps.config.fleet.lostAfterMs,
        log: deps.log,
      })
    : null;
  const intake = createIntakeServices({ ...deps, events, projects, tasks, gitRepo, redactText });
  return {
    intake,
    /** Startup reconciliation: closes what a dead server left open (see recovery.ts). */
    recover: () =>
      recoverAfterRestart({
        storage: deps.storage,
        events,
        workspaces,
        settle,
        resumeOnRestart: deps.config.resumeOnRestart,
        log: deps.log,
      }),
    agents: deps.agents,
    supervisor,
    repos,
    workers: createWorkers(deps.storage),
    attachments,
    projectFiles,
    views,
    events,
    state,
    inputs,
    runs,
    scheduler,
    projects,
    tasks,
    costs,
    formulas,
    notifier,
    health,
    redactText,
    taskGit,
    review,
    reviewComments,
    dependencies,
    pullRequests,
    forks,
    mergeQueue,
    cleanup,
    observability,
    metrics: observability.metrics,
    governance,
    team: createTeam(deps.storage.db, redactText),
    workspaces,
    sandbox: deps.sandbox,
  };
}

export type Services = ReturnType<typeof createServices>;
