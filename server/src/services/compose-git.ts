/** Where tasks' repositories are and how their git is kept: clones or the user's checkouts, worktrees. */
import { createPullRequestsRepo } from '../storage/pull-requests-repo.js';
import type { Core, ServicesDeps } from './compose-core.js';
import { ownClones, userCheckouts } from './project-repos.js';
import { createTaskGit } from './task-git.js';
import { createWorkspaces } from './workspaces.js';

export function composeGit(deps: ServicesDeps, { events, governance }: Core) {
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
  return { gitRepo, repos, taskGit, workspaces };
}

export type Git = ReturnType<typeof composeGit>;
