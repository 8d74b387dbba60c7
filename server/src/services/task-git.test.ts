import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  commitFiles,
  createDirs,
  fingerprint,
  gitTrace,
  raw,
  repoWith,
  sha,
  withRemote,
  writeFiles,
} from '../runner/testing/git-fixtures.js';
import { createWorktree } from '../runner/worktrees.js';
import { commitAll } from '../runner/git-commit.js';
import { scanConfig, type ConfigScan } from '../runner/git.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { createTaskGit } from './task-git.js';
import { insertProject, insertTask, openGitTestbed } from './testing/git-services.js';

const dirs = createDirs();
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
  await dirs.cleanup();
});

async function setup(
  settings: Record<string, unknown> = {},
  files: Record<string, string> = { 'shared.txt': 'one\ntwo\nthree\n' },
) {
  const bed = await openGitTestbed(await dirs.make());
  closers.push(() => bed.storage.close());
  const repo = await repoWith(dirs, files);
  const remote = await withRemote(dirs, repo);
  const project = await insertProject(bed.storage, { path: repo, remoteUrl: remote.remote, settings });
  const task = await insertTask(bed.storage, project, { status: 'running' });
  return {
    ...bed,
    gitRepo: bed.repo,
    ...remote,
    repo,
    project,
    task,
    taskGit: createTaskGit({ repo: bed.repo }),
  };
}

/** What runs.ts does between prepareTaskBase and publishAfterRun: the worktree, the agent's work, the commit. */
async function runAgent(
  s: Awaited<ReturnType<typeof setup>>,
  baseRef: string,
  files: Record<string, string>,
): Promise<TaskRecord> {
  const wt = join(await dirs.make(), `wt-${s.task.id}`);
  const created = await createWorktree({
    repo: s.repo,
    path: wt,
    branch: `gluon-task/${s.task.id}`,
    baseRef,
  });
  await writeFiles(wt, files);
  await commitAll({ cwd: wt, message: s.task.title, trailers: { 'Gluon-Task': s.task.id } });
  return s.state.update(s.task.id, { worktreePath: wt, branch: created.branch, baseSha: created.baseSha });
}

describe('prepareTaskBase', () => {
  it('a remote that moved: the task starts from origin’s main, fetched and fast-forwarded', async () => {
    const s = await setup();
    raw(s.repo, ['checkout', '-q', '--detach']); // nobody has main checked out: it may be fast-forwarded
    const moved = await commitFiles(s.other, { 'up.txt': 'u\n' });
    raw(s.other, ['push', '-q', 'origin', 'main']);
    const prepared = await s.taskGit.prepareTaskBase(s.project, s.task);
    expect(prepared.baseRef).toBe(moved);
    expect(sha(s.repo, 'main')).toBe(moved);
    expect(prepared.notes).toEqual([
      expect.stringMatching(/^fast-forwarded main from [0-9a-f]{7} to [0-9a-f]{7}$/),
    ]);
  });

  it('a diverged base fails with 409 diverged_base', async () => {
    const s = await setup();
    await commitFiles(s.repo, { 'mine.txt': 'm\n' });
    await commitFiles(s.other, { 'theirs.txt': 't\n' });
    raw(s.other, ['push', '-q', 'origin', 'main']);
    await expect(s.taskGit.prepareTaskBase(s.project, s.task)).rejects.toMatchObject({
      status: 409,
      code: 'diverged_base',
    });
  });

  it('the snapshot policy carries the user’s edits into the task and leaves the checkout identical', async () => {
    const s = await setup({ uncommittedPolicy: 'snapshot' });
    await writeFile(join(s.repo, 'shared.txt'), 'one\nTWO (user)\nthree\n');
    const before = await fingerprint(s.repo);
    const prepared = await s.taskGit.prepareTaskBase(s.project, s.task);
    expect(await fingerprint(s.repo)).toEqual(before);
    const task = await runAgent(s, prepared.baseRef, { 'agent.txt': 'a\n' });
    expect(await readFile(join(task.worktreePath!, 'shared.txt'), 'utf8')).toBe('one\nTWO (user)\nthree\n');
    expect(prepared.notes[0]).toMatch(/carried 1 uncommitted change/);
  });

  it('ignores an unknown policy value (defaults to ignore), the note following without holding the start', async () => {
    const s = await setup({ uncommittedPolicy: 'yolo' });
    await writeFile(join(s.repo, 'shared.txt'), 'dirty\n');
    const prepared = await s.taskGit.prepareTaskBase(s.project, s.task);
    expect(prepared.baseRef).toBe(sha(s.repo, 'HEAD'));
    expect(prepared.notes).toEqual([]);
    expect((await prepared.laterNotes?.())?.[0]).toMatch(/starts from the last commit/);
  });

  it('tasks started together share one status of the checkout for that note', async () => {
    const s = await setup();
    await writeFile(join(s.repo, 'shared.txt'), 'dirty\n');
    const other = await insertTask(s.storage, s.project, { status: 'running' });
    const [a, b] = await Promise.all([
      s.taskGit.prepareTaskBase(s.project, s.task),
      s.taskGit.prepareTaskBase(s.project, other),
    ]);
    const trace = join(await dirs.make(), 'trace');
    vi.stubEnv('GIT_TRACE', trace);
    try {
      const notes = await Promise.all([a.laterNotes!(), b.laterNotes!()]);
      expect(notes[0]).toEqual(notes[1]);
      expect(notes[0]?.[0]).toMatch(/1 uncommitted change/);
    } finally {
      vi.unstubAllEnvs();
    }
    const statuses = (await readFile(trace, 'utf8'))
      .split('\n')
      .filter((l) => /built-in: git status/.test(l));
    expect(statuses).toHaveLength(1);
    // Once read, the next start reads the checkout again (a later change is seen).
    await writeFile(join(s.repo, 'new.txt'), 'new\n');
    expect((await a.laterNotes!())[0]).toMatch(/2 uncommitted change/);
  });
});

describe('seedWorktree', () => {
  it('copies the worktreeInclude files into the new worktree', async () => {
    const s = await setup({ worktreeInclude: ['.env', '../escape'] }, { '.gitignore': '.env\n' });
    await writeFile(join(s.repo, '.env'), 'KEY=1\n');
    const task = await runAgent(s, 'main', {});
    const seeded = await s.taskGit.seedWorktree(s.project, task.worktreePath!);
    expect(seeded.copied).toEqual(['.env']);
    expect(seeded.notes).toEqual([
      'copied .env into the worktree (worktreeInclude)',
      'worktreeInclude: skipped ../escape (unsafe pattern)',
    ]);
    expect(await readFile(join(task.worktreePath!, '.env'), 'utf8')).toBe('KEY=1\n');
  });
});

describe('publishAfterRun', () => {
  it('rebases onto the moved base and pushes, verified by sha', async () => {
    const s = await setup();
    const task = await runAgent(s, 'main', { 'feature.txt': 'f\n' });
    const moved = await commitFiles(s.other, { 'up.txt': 'u\n' });
    raw(s.other, ['push', '-q', 'origin', 'main']);
    const out = await s.taskGit.publishAfterRun(s.project, task);
    expect(out).toMatchObject({ pushed: true, rebased: true, conflictFiles: [] });
    const head = sha(task.worktreePath!, 'HEAD');
    expect(raw(s.repo, ['rev-parse', `${head}^`]).trim()).toBe(moved);
    expect(raw(s.remote, ['rev-parse', `refs/heads/${task.branch}`]).trim()).toBe(head);
    expect(out.notes).toEqual([
      expect.stringMatching(new RegExp(`^rebased ${task.branch} onto origin/main`)),
      expect.stringMatching(new RegExp(`^pushed ${task.branch}`)),
    ]);
  });

  it('a conflicting base: conflicted files recorded, branch and worktree clean; a later clean publish clears them', async () => {
    const s = await setup();
    const task = await runAgent(s, 'main', { 'shared.txt': 'one\nagent\nthree\n' });
    const before = sha(task.worktreePath!, 'HEAD');
    await commitFiles(s.other, { 'shared.txt': 'one\nupstream\nthree\n' });
    raw(s.other, ['push', '-q', 'origin', 'main']);
    const out = await s.taskGit.publishAfterRun(s.project, task);
    expect(out).toMatchObject({ pushed: true, rebased: false, conflictFiles: ['shared.txt'] });
    expect(out.notes[0]).toMatch(/conflicts in shared.txt; the rebase was aborted/);
    expect(sha(task.worktreePath!, 'HEAD')).toBe(before);
    expect(raw(task.worktreePath!, ['status', '--porcelain'])).toBe('');
    expect((await s.gitRepo.get(task.id))?.conflictFiles).toEqual(['shared.txt']);
    // The agent resolves it (what `gluon resolve` asks for); the next publish is clean.
    try {
      raw(task.worktreePath!, ['rebase', 'origin/main']);
    } catch {
      await writeFile(join(task.worktreePath!, 'shared.txt'), 'one\nagent and upstream\nthree\n');
      raw(task.worktreePath!, ['add', 'shared.txt']);
      raw(task.worktreePath!, ['-c', 'core.editor=true', 'rebase', '--continue']);
    }
    const again = await s.taskGit.publishAfterRun(s.project, task);
    expect(again).toMatchObject({ pushed: true, rebased: false, conflictFiles: [] });
    expect((await s.gitRepo.get(task.id))?.conflictFiles).toBeNull();
    expect(raw(s.remote, ['rev-parse', `refs/heads/${task.branch}`]).trim()).toBe(
      sha(task.worktreePath!, 'HEAD'),
    );
  });

  it('without a remote: rebases onto the local base, pushes nothing', async () => {
    const s = await setup();
    raw(s.repo, ['remote', 'remove', 'origin']);
    const task = await runAgent(s, 'main', { 'feature.txt': 'f\n' });
    const moved = await commitFiles(s.repo, { 'local.txt': 'l\n' });
    const out = await s.taskGit.publishAfterRun(s.project, task);
    expect(out).toMatchObject({ pushed: false, rebased: true });
    expect(raw(s.repo, ['rev-parse', `${task.branch}^`]).trim()).toBe(moved);
  });

  it("takes the remote from the run commit's scan of the worktree, unless the worktree has config of its own", async () => {
    const s = await setup();
    const task = await runAgent(s, 'main', { 'feature.txt': 'f\n' });
    const remoteReads = (lines: string[]) => lines.filter((l) => l.includes('remote.origin.url'));
    const scan = (await scanConfig(task.worktreePath!)) as ConfigScan;
    let out: Awaited<ReturnType<typeof s.taskGit.publishAfterRun>> | null = null;
    const lines = await gitTrace(
      async () => (out = await s.taskGit.publishAfterRun(s.project, task, { scan })),
    );
    expect(remoteReads(lines)).toEqual([]);
    expect(out).toMatchObject({ pushed: true });
    expect(raw(s.remote, ['rev-parse', `refs/heads/${task.branch}`]).trim()).toBe(
      sha(task.worktreePath!, 'HEAD'),
    );
    // What the worktree reads that its repository may not (its own config, an include): git is asked.
    for (const entry of [
      { scope: 'worktree', key: 'core.bare', value: 'false' },
      { scope: 'local', key: 'includeif.onbranch:main.path', value: '/elsewhere' },
    ]) {
      const own = { ...scan, entries: [...scan.entries, entry] };
      const asked = await gitTrace(() => s.taskGit.publishAfterRun(s.project, task, { scan: own }));
      expect(remoteReads(asked)).toHaveLength(1);
    }
    // A scan of another directory is not taken for the repository's.
    const elsewhere = { ...scan, cwd: s.other };
    expect(
      remoteReads(await gitTrace(() => s.taskGit.publishAfterRun(s.project, task, { scan: elsewhere }))),
    ).toHaveLength(1);
  });

  it('a task without a worktree is left alone', async () => {
    const s = await setup();
    const task = await insertTask(s.storage, s.project, { useWorktree: false });
    expect(await s.taskGit.publishAfterRun(s.project, task)).toEqual({
      pushed: false,
      rebased: false,
      conflictFiles: [],
      notes: [],
    });
  });
});
