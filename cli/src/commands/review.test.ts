import { describe, expect, it } from 'vitest';
import type { CommitDto } from '../../../shared/review-dto.js';
import { useFakeApi } from '../testing/fake-api.js';
import { buildTask } from '../testing/fixtures.js';
import { runGluon } from '../testing/run-cli.js';

const fake = useFakeApi();

const commit: CommitDto = {
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  author: 'Ada',
  email: 'ada@example.com',
  time: '2025-03-04T05:06:07+00:00',
  message: 'Add the greeting\n\nWith a body.',
  files: [
    { path: 'hello.txt', status: 'A', additions: 3, deletions: 0, binary: false },
    { path: 'old.txt', status: 'M', additions: 1, deletions: 2, binary: false },
  ],
};

describe('gluon diff', () => {
  it('prints the whole diff, or one file, or one commit', async () => {
    fake.api.on('GET', '/api/tasks/abcd/diff', (req) => ({
      body: { diff: `diff for ${JSON.stringify(req.query)}\n`, truncated: false },
    }));
    expect(await runGluon(['diff', 'abcd'], fake.env)).toEqual({
      code: 0,
      stdout: 'diff for {}\n',
      stderr: '',
    });
    const one = await runGluon(['diff', 'abcd', '--path', '--output=x', '--commit', 'a1b2c3d'], fake.env);
    expect(one.stdout).toBe('diff for {"commit":"a1b2c3d","path":"--output=x"}\n');
  });

  it('warns on stderr when the diff was cut', async () => {
    fake.api.on('GET', '/api/tasks/abcd/diff', { body: { diff: 'partial\n', truncated: true } });
    const result = await runGluon(['diff', 'abcd'], fake.env);
    expect(result.stdout).toBe('partial\n');
    expect(result.stderr).toMatch(/cut at the size limit/);
  });

  it('--stat lists the files with +/- counts; a bad sha is a usage error', async () => {
    fake.api.on('GET', '/api/tasks/abcd/changes', { body: { base: 'b', head: 'h', files: commit.files } });
    const stat = await runGluon(['diff', 'abcd', '--stat'], fake.env);
    expect(stat.stdout.split('\n')).toEqual([
      '   CHANGES  FILE',
      'A  +3 -0    hello.txt',
      'M  +1 -2    old.txt',
      '',
    ]);
    const bad = await runGluon(['diff', 'abcd', '--commit', '$(touch x)'], fake.env);
    expect(bad.code).toBe(2);
    expect(fake.api.requests.filter((r) => r.path.endsWith('/diff'))).toHaveLength(0);
  });
});

describe('gluon commits', () => {
  it('prints a table, newest first, or JSON', async () => {
    fake.api.on('GET', '/api/tasks/abcd/commits', { body: [commit] });
    const table = await runGluon(['commits', 'abcd'], fake.env);
    expect(table.stdout.split('\n')).toEqual([
      'SHA      TIME              AUTHOR  CHANGES        MESSAGE',
      'a1b2c3d  2025-03-04 05:06  Ada     2 files +4 -2  Add the greeting',
      '',
    ]);
    const json = await runGluon(['commits', 'abcd', '--json'], fake.env);
    expect(JSON.parse(json.stdout)).toEqual([commit]);
  });

  it('says so when there are none', async () => {
    fake.api.on('GET', '/api/tasks/abcd/commits', { body: [] });
    expect((await runGluon(['commits', 'abcd'], fake.env)).stdout).toBe('no commits yet\n');
  });
});

describe('gluon resolve and gluon worktree prune', () => {
  it('resolve resumes the task', async () => {
    fake.api.on('POST', '/api/tasks/abcd/resolve', {
      body: buildTask({ status: 'queued', conflictFiles: ['a.txt'] }),
    });
    expect(await runGluon(['resolve', 'abcd'], fake.env)).toEqual({
      code: 0,
      stdout: 'resolving abcd1234ef · now queued\n',
      stderr: '',
    });
  });

  it('resolve without conflicts exits 1 with the server’s reason', async () => {
    fake.api.on('POST', '/api/tasks/abcd/resolve', {
      status: 409,
      body: { error: { code: 'no_conflicts', message: 'the task has no rebase conflicts to resolve' } },
    });
    const result = await runGluon(['resolve', 'abcd'], fake.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'gluon: the task has no rebase conflicts to resolve (no_conflicts, HTTP 409)\n',
    );
  });

  it('prune prints what it removed and what it kept', async () => {
    fake.api.on('POST', '/api/worktrees/prune', {
      body: {
        removed: [{ taskId: 't1', path: '/h/worktrees/wt-t1', branch: 'gluon-task/t1', snapshot: null }],
        forgotten: [],
        kept: [{ taskId: 't2', path: '/h/worktrees/wt-t2', branch: 'gluon-task/t2', reason: 'task_open' }],
      },
    });
    const result = await runGluon(['worktree', 'prune'], fake.env);
    expect(result.stdout).toBe(
      'removed 1 worktree(s), kept 1\n  removed /h/worktrees/wt-t1\n  kept    /h/worktrees/wt-t2: task open\n',
    );
    expect(fake.api.requests[0]).toMatchObject({ method: 'POST', path: '/api/worktrees/prune' });
  });
});
