/**
 * Where a project's git repository is on this machine. A single-machine installation works against the
 * user's checkout (`project.path`: only read, unless the project opted into autocommit). A worker of a
 * fleet works in its own bare clone of the project's remote, under its data directory, fetching what it
 * needs. A project without a remote can still be reached from the machine that registered it: its
 * checkout is then the clone's source (only its `gluon/*` branches and WIP refs are ever written there).
 */
import { existsSync } from 'node:fs';
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
      const source = project.remoteUrl ?? (existsSync(path.join(project.path, '.git')) ? project.path : null);
      if (!source)
        throw new AppError(
          409,
          'no_remote',
          `project ${project.name} has no remote and its checkout is not on this machine: ` +
            'a worker elsewhere can only reach a project through its remote URL',
        );
      const dir = path.join(home, 'repos', `${project.id}.git`);
      await withRepoLock(dir, () => ensureBareClone(source, dir));
      return dir;
    },
  };
}
