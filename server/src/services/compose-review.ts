/**
 * What happens to a task's work after its run: review data and comments, pull requests, worktree cleanup,
 * forks and the merge queue.
 */
import { createMergeQueuesRepo } from '../storage/merge-queues-repo.js';
import { createReviewCommentsRepo } from '../storage/review-comments-repo.js';
import { createCleanup } from './cleanup.js';
import type { Core, ServicesDeps } from './compose-core.js';
import type { Git } from './compose-git.js';
import type { RunParts } from './compose-runs.js';
import { createMergeOne } from './merge-one.js';
import { createMergeQueue } from './merge-queue.js';
import { createPullRequests, githubSettingsFrom } from './pull-requests.js';
import { createReviewComments } from './review-comments.js';
import { createReview } from './review.js';
import { createTaskFork } from './task-fork.js';
import type { Tasks } from './tasks.js';

/** Review data and comments, pull requests, and the cleanup of worktrees. */
function composeReviewData(deps: ServicesDeps, core: Core, { gitRepo, repos }: Git, tasks: Tasks) {
  const { redactText, state, events } = core;
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
  return { review, reviewComments, pullRequests };
}

export function composeReview(deps: ServicesDeps, core: Core, git: Git, run: RunParts, tasks: Tasks) {
  const { state, events } = core;
  const { gitRepo, repos } = git;
  const { runs, scheduler } = run;
  const data = composeReviewData(deps, core, git, tasks);
  const cleanup = createCleanup({
    home: deps.config.home,
    storage: deps.storage,
    state,
    events,
    isActive: (taskId) => runs.isActive(taskId),
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
    review: data.review,
    pullRequests: data.pullRequests,
    repos,
    isActive: (id) => runs.isActive(id),
  });
  const mergeQueue = createMergeQueue({
    storage: deps.storage,
    repo: mergeRepo,
    tasks,
    mergeOne,
    log: deps.log,
  });
  return { ...data, cleanup, forks, mergeQueue };
}
