/**
 * Where a project's git repository is on this machine. A single-machine installation works against the
 * user's checkout (`project.path`: only read, unless the project opted into autocommit). A worker of a
 * fleet never uses a path another machine registered: it works in its own bare clone of the project's
 * remote, under its data directory, fetching what it needs.
 */
import path from 'node:path';
import { AppError } from '../errors.js';
import { ensureBareClone } from '../runner/git-fleet.js';
import { withRepoLock } from '../runner/repo-lock.js';
import type { ProjectRecord } from '../storage/projects-repo.js';

export interface ProjectRepos {
  /** Whether repositories are this machine's own clones (then no user checkout is near). */
  readonly ownClones: boolean;
  /** The repository of `project` on this machine, ready for worktrees. */
  repoOf(project: ProjectRecord): Promise<string>;
}

/** The user's own checkouts: one machine, the one that registered the projects. */
export const userCheckouts: ProjectRepos = { ownClones: false, repoOf: async (p) => p.path };

/** A worker's own clones under `<home>/repos`, made from each project's remote on first use. */
export function ownClones(home: string): ProjectRepos {
  return {
    ownClones: true,
    async repoOf(project) {
      if (!project.remoteUrl)
        throw new AppError(
          409,
          'no_remote',
          `project ${project.name} has no remote: a worker can only reach a project through its remote URL`,
        );
      const dir = path.join(home, 'repos', `${project.id}.git`);
      await withRepoLock(dir, () => ensureBareClone(project.remoteUrl!, dir));
      return dir;
    },
  };
}
