/**
 * Test helper for review comments: a task whose branch changed `calc.js` (5 lines) and `notes.md`, the
 * comments service over it on a real SQLite file and real git, resumes recorded instead of run. Not a
 * product module.
 */
import { join } from 'node:path';
import { createDirs, repoWith, writeFiles } from '../../runner/testing/git-fixtures.js';
import { createWorktree } from '../../runner/worktrees.js';
import { commitAll } from '../../runner/git-commit.js';
import { createReviewCommentsRepo } from '../../storage/review-comments-repo.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import { createReviewComments } from '../review-comments.js';
import { insertProject, insertTask, openGitTestbed } from './git-services.js';

export const SOURCE = 'function add(a, b) {\n  return a + b;\n}\n\nexport { add };\n';

/** Temporary directories and open databases of a test file; `cleanup` in its afterAll. */
export function createReviewBeds() {
  const dirs = createDirs();
  const closers: Array<() => Promise<void>> = [];
  async function open() {
    const bed = await openGitTestbed(await dirs.make());
    closers.push(() => bed.storage.close());
    const repo = await repoWith(dirs, { 'README.md': 'hi\n' });
    const project = await insertProject(bed.storage, { path: repo });
    let task = await insertTask(bed.storage, project);
    const wt = join(await dirs.make(), 'wt');
    const created = await createWorktree({
      repo,
      path: wt,
      branch: `gluon-task/${task.id}`,
      baseRef: 'main',
    });
    await writeFiles(wt, { 'calc.js': SOURCE, 'notes.md': 'n\n' });
    await commitAll({ cwd: wt, message: 'Add calc' });
    task = await bed.state.update(task.id, {
      branch: created.branch,
      worktreePath: wt,
      baseSha: created.baseSha,
    });
    const resumed: Array<{ id: string; feedback: string }> = [];
    const comments = createReviewComments({
      ...bed,
      comments: createReviewCommentsRepo(bed.storage.db),
      tasks: {
        get: bed.get,
        resume: async (id: string, feedback: string) => {
          resumed.push({ id, feedback });
          return (await bed.storage.tasks.findById(id)) as TaskRecord;
        },
      },
    });
    const commit = async (files: Record<string, string>, message: string) => {
      await writeFiles(wt, files);
      await commitAll({ cwd: wt, message });
    };
    return { ...bed, task, comments, resumed, commit };
  }
  return {
    open,
    async cleanup() {
      for (const close of closers) await close();
      await dirs.cleanup();
    },
  };
}
