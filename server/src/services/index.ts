/**
 * Builds the services over storage and an agent. The composition of the orchestrator, minus the network;
 * each concern is composed in its own compose-*.ts (core, git, runs, tasks, review, recovery).
 */
import { composeCore, type ServicesDeps } from './compose-core.js';
import { composeGit } from './compose-git.js';
import { composeRecovery } from './compose-recovery.js';
import { composeReview } from './compose-review.js';
import { composeRuns } from './compose-runs.js';
import { composeTasks } from './compose-tasks.js';
import { createIntakeServices } from './intake-services.js';
import { createTaskViews } from './task-views.js';
import { createTeam } from './team/index.js';
import { createWorkers } from './workers.js';

export type { ServicesDeps } from './compose-core.js';

export function createServices(deps: ServicesDeps) {
  const core = composeCore(deps);
  const { redactText, events, state, observability, notifier, governance } = core;
  const git = composeGit(deps, core);
  const { gitRepo, repos, taskGit, workspaces } = git;
  const run = composeRuns(deps, core, git);
  const { inputs, attachments, runs, scheduler } = run;
  const work = composeTasks(deps, core, run);
  const { projects, tasks, dependencies } = work;
  const after = composeReview(deps, core, git, run, tasks);
  const { pullRequests, forks } = after;
  const views = createTaskViews({ projects, pullRequests, state, dependencies, forks, log: deps.log });
  const { recover, supervisor } = composeRecovery(deps, core, git, run);
  const intake = createIntakeServices({ ...deps, events, projects, tasks, gitRepo, redactText });
  return {
    intake,
    /** Startup reconciliation: closes what a dead server left open (see recovery.ts). */
    recover,
    agents: deps.agents,
    supervisor,
    repos,
    workers: createWorkers(deps.storage),
    attachments,
    projectFiles: work.projectFiles,
    views,
    events,
    state,
    inputs,
    runs,
    scheduler,
    projects,
    tasks,
    costs: work.costs,
    formulas: work.formulas,
    notifier,
    health: work.health,
    redactText,
    taskGit,
    review: after.review,
    reviewComments: after.reviewComments,
    dependencies,
    pullRequests,
    forks,
    mergeQueue: after.mergeQueue,
    cleanup: after.cleanup,
    observability,
    metrics: observability.metrics,
    governance,
    team: createTeam(deps.storage.db, redactText),
    workspaces,
    sandbox: deps.sandbox,
  };
}

export type Services = ReturnType<typeof createServices>;
