import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../domain/redact.js';
import { FAKE } from '../domain/testing/secret-fakes.js';
import { createDirs, repoWith, writeFiles } from '../runner/testing/git-fixtures.js';
import { createWorktree } from '../runner/worktrees.js';
import { commitAll } from '../runner/git-commit.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { createReview, resolvePrompt } from './review.js';
import { insertProject, insertTask, openGitTestbed } from './testing/git-services.js';

const dirs = createDirs();
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
  await dirs.cleanup();
});

async function setup() {
  const bed = await openGitTestbed(await dirs.make());
  closers.push(() => bed.storage.close());
  const repo = await repoWith(dirs, { 'a.txt': 'a\n' });
  const project = await insertProject(bed.storage, { path: repo });
  let task = await insertTask(bed.storage, project);
  const wt = join(await dirs.make(), 'wt');
  const created = await createWorktree({ repo, path: wt, branch: `gluon-task/${task.id}`, baseRef: 'main' });
  await writeFiles(wt, { 'a.txt': 'a\nb\n' });
  await commitAll({ cwd: wt, message: 'Extend a' });
  task = await bed.state.update(task.id, {
    branch: created.branch,
    worktreePath: wt,
    baseSha: created.baseSha,
  });
  const resumed: Array<{ id: string; feedback: string }> = [];
  const review = createReview({
    ...bed,
    tasks: {
      get: bed.get,
      resume: async (id: string, feedback: string) => {
        resumed.push({ id, feedback });
        return (await bed.storage.tasks.findById(id)) as TaskRecord;
      },
    },
  });
  return { ...bed, project, task, review, resumed };
}

describe('review service', () => {
  it('serves commits, changes and diffs of a task found by id prefix', async () => {
    const s = await setup();
    const prefix = s.task.id.slice(0, 5);
    const commits = await s.review.commits(prefix);
    expect(commits.map((c) => c.message)).toEqual(['Extend a']);
    expect((await s.review.changes(prefix)).files).toEqual([
      { path: 'a.txt', status: 'M', additions: 1, deletions: 0, binary: false },
    ]);
    expect((await s.review.diff(prefix, { path: 'a.txt' })).diff).toContain('+b');
    expect((await s.review.diff(prefix, { commit: commits[0]!.sha })).diff).toContain('+b');
  });

  it('serves commit messages and diffs with secrets redacted, redacting before capping a diff', async () => {
    const s = await setup();
    const key = `${FAKE.rsaKey}\n-----END RSA PRIVATE KEY-----\n`;
    await writeFiles(s.task.worktreePath!, { 'deploy/id_rsa': key, '.env': `API_TOKEN=${FAKE.ghp}\n` });
    await commitAll({ cwd: s.task.worktreePath!, message: `Add deploy key\n\nUsed with ${FAKE.ghp}` });
    const [latest] = await s.review.commits(s.task.id);
    expect(latest!.message).toBe(`Add deploy key\n\nUsed with ${REDACTED}`);
    const whole = (await s.review.diff(s.task.id, {})).diff;
    expect(whole).toContain(`+API_TOKEN=${REDACTED}`);
    expect(whole).toContain(`+${REDACTED}`);
    expect(whole).not.toContain(FAKE.ghp);
    // A cap that falls inside the key: capped first, the key would lose its END line and show.
    const capped = await s.review.diff(s.task.id, { path: 'deploy/id_rsa', maxBytes: 400 });
    expect(capped.diff).not.toMatch(/PRIVATE KEY|[A-Za-z0-9+/]{64}/);
    for (const line of FAKE.rsaKey.split('\n').slice(1)) expect(capped.diff).not.toContain(line);
  });

  it('404 for a file or commit that is not the task’s; 409 for a task without a branch', async () => {
    const s = await setup();
    await expect(s.review.diff(s.task.id, { path: 'nope.txt' })).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
    await expect(s.review.diff(s.task.id, { commit: 'abcdef0' })).rejects.toMatchObject({ status: 404 });
    const bare = await insertTask(s.storage, s.project, { useWorktree: false });
    await expect(s.review.commits(bare.id)).rejects.toMatchObject({ status: 409, code: 'no_branch' });
    const gone = await insertTask(s.storage, s.project, { branch: 'gluon-task/gone1' });
    await expect(s.review.changes(gone.id)).rejects.toMatchObject({ status: 404 });
  });

  it('resolve: 409 without conflicts; with them, resumes the agent with the list and the way to finish', async () => {
    const s = await setup();
    await expect(s.review.resolve(s.task.id)).rejects.toMatchObject({ status: 409, code: 'no_conflicts' });
    await s.repo.setConflicts(s.task.id, ['a.txt', 'src/b.ts']);
    await s.review.resolve(s.task.id);
    expect(s.resumed).toEqual([
      { id: s.task.id, feedback: resolvePrompt(s.task.branch!, 'main', ['a.txt', 'src/b.ts']) },
    ]);
    expect(s.resumed[0]!.feedback).toMatch(/- a\.txt\n- src\/b\.ts\n/);
    expect(s.resumed[0]!.feedback).toContain('`git rebase main`');
  });
});
