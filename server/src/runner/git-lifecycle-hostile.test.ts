import { writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { operationInProgress, pushTaskBranch, rebaseOnto } from './git-publish.js';
import { carryUncommitted, fetchBranch, syncBase } from './git-sync.js';
import { listChanges, listCommits, taskDiff } from './review-data.js';
import { listSnapshots, snapshotUncommitted } from './snapshots.js';
import {
  armHostile,
  canaryRuns,
  commitFiles,
  createDirs,
  fingerprint,
  HOSTILE_ATTRIBUTES,
  raw,
  repoWith,
  sha,
  withRemote,
} from './testing/git-fixtures.js';
import { copyIncludedFiles } from './worktree-include.js';
import { sweepRepository } from './worktree-sweep.js';
import { createWorktree } from './worktrees.js';
import { commitAll } from './git-commit.js';

const dirs = createDirs();
afterAll(() => dirs.cleanup());

describe('a hostile repository (config and hooks pointing at a canary)', () => {
  it('never runs the canary during sync, snapshot, autocommit, commit, rebase, push, review, snapshot refs or sweep', async () => {
    const repo = await repoWith(dirs, {
      ...HOSTILE_ATTRIBUTES,
      'f.txt': 'base\n',
      'o.txt': 'o\n',
      '.gitignore': '.env\n',
    });
    const { remote, other } = await withRemote(dirs, repo);
    await writeFile(join(repo, '.env'), 'SECRET=1\n');
    const { log } = await armHostile(dirs, repo);
    const colleague = async (files: Record<string, string>) => {
      await commitFiles(other, files);
      raw(other, ['push', '-q', 'origin', 'main']);
    };

    // Before the run: fetch, base, snapshot of the user's edits (the checkout stays identical).
    await colleague({ 'o.txt': 'o2\n' });
    const sync = await syncBase(repo, 'main');
    expect(sync.ok).toBe(true);
    await writeFile(join(repo, 'f.txt'), 'user edit\n');
    const before = await fingerprint(repo);
    const carried = await carryUncommitted({
      repo,
      baseBranch: 'main',
      policy: 'snapshot',
      baseSha: sync.ok ? sync.sha : '',
      taskId: 'evil1',
    });
    expect(await fingerprint(repo)).toEqual(before);

    // The run: a worktree seeded with .env, the agent's work committed.
    const home = await dirs.make('gluon-home-');
    const wt = join(home, 'worktrees', 'wt-evil1');
    await createWorktree({ repo, path: wt, branch: 'gluon-task/evil1', baseRef: carried.sha });
    expect((await copyIncludedFiles(repo, wt, ['.env'])).copied).toEqual(['.env']);
    await writeFile(join(wt, 'new.txt'), 'agent\n');
    expect(await commitAll({ cwd: wt, message: 'agent work' })).toMatchObject({ committed: true });

    // After the run: the base moved → rebase, push; then a conflicting move → aborted cleanly.
    await colleague({ 'up.txt': 'u\n' });
    expect(await fetchBranch(repo, 'main')).toBeNull();
    expect(await rebaseOnto(wt, 'refs/remotes/origin/main')).toMatchObject({ ok: true, rebased: true });
    expect(await pushTaskBranch(repo, 'gluon-task/evil1', 'main')).toMatchObject({ ok: true, updated: true });
    expect(raw(remote, ['rev-parse', 'refs/heads/gluon-task/evil1']).trim()).toBe(sha(wt, 'HEAD'));
    await colleague({ 'f.txt': 'colleague\n' });
    await fetchBranch(repo, 'main');
    const head = sha(wt, 'HEAD');
    expect((await rebaseOnto(wt, 'refs/remotes/origin/main')).ok).toBe(false); // the emptied merge driver fails closed
    expect(await operationInProgress(wt)).toBeNull();
    expect(sha(wt, 'HEAD')).toBe(head);

    // Review data from the repository: log, numstat, name-status, diffs (diff.external and textconv armed).
    const target = { repo, branch: 'gluon-task/evil1', baseBranch: 'main', recordedBase: null };
    expect((await listCommits(target))!.length).toBeGreaterThan(0);
    expect((await listChanges(target))!.files.map((f) => f.path)).toContain('new.txt');
    expect((await taskDiff(target, { path: 'new.txt' }))!.diff).toContain('+agent');
    expect((await taskDiff(target, {}))!.diff).toContain('new.txt');

    // Cleanup: a snapshot ref of uncommitted work, then the sweep removes the clean, pushed worktree.
    await writeFile(join(wt, 'scratch.txt'), 'scratch\n');
    expect(await snapshotUncommitted(wt, 'evil1')).not.toBeNull();
    expect(await listSnapshots(repo, 'evil1')).toHaveLength(1);
    await rm(join(wt, 'scratch.txt'));
    const report = await sweepRepository({
      repo,
      baseBranch: 'main',
      worktreesDir: join(home, 'worktrees'),
      minIdleMs: 0,
      findTask: async (id) => ({ id, status: 'done', finishedAt: new Date(0).toISOString() }),
      isActive: () => false,
    });
    expect(report.removed.map((e) => e.taskId)).toEqual(['evil1']);

    // The opt-in autocommit writes the user's branch, still without running anything of the repository.
    const auto = await carryUncommitted({
      repo,
      baseBranch: 'main',
      policy: 'autocommit',
      baseSha: sha(repo, 'HEAD'),
      taskId: 'evil2',
    });
    expect(sha(repo, 'main')).toBe(auto.sha);

    expect(await canaryRuns(log)).toEqual([]);

    // Control: plain git on the same repository does run the canaries, so the silence above means something.
    await writeFile(join(repo, 'f.txt'), 'control\n');
    for (const args of [['status'], ['commit', '-q', '-am', 'control'], ['diff', 'HEAD~1']]) {
      try {
        raw(repo, args);
      } catch {
        // armed programs make some of these fail; only the log matters
      }
    }
    expect(await canaryRuns(log)).toEqual(expect.arrayContaining(['fsmonitor', 'pre-commit']));
  });
});
