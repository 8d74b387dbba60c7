/**
 * Merging in order, through the built CLI and a real server with the real Claude Code and real git:
 * three tasks where the second conflicts once the first has landed (it goes back to its agent with the
 * conflict list, the third still lands); a failing verify sends a task back and nothing reaches the base,
 * and once the agent fixed it the task lands; fast-forward against merge commit; one queue per project
 * at a time (409); bad input (exit 2, 4xx). The user's checkout keeps its files.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskDto } from '../../shared/api.js';
import { cli, git, settled, startGluon, waitForTask, type Gluon, cliEnv } from './harness.js';

describe('gluon merge: the merge queue with the real agent and real git', () => {
  let g: Gluon;
  let env: NodeJS.ProcessEnv;
  const create = async (prompt: string) => {
    const r = await cli(['task', 'create', '--project', 'sample', prompt], env);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    return r.stdout.trim();
  };
  const inReview = async (...ids: string[]) => {
    const out: TaskDto[] = [];
    for (const id of ids) out.push(await waitForTask(g.client, id, settled, `task ${id} to settle`, 90_000));
    for (const t of out) expect(t.status).toBe('review');
    return out;
  };
  const show = (file: string, ref = 'main') => git(g.repo, 'show', `${ref}:${file}`);
  beforeAll(async () => {
    g = await startGluon();
    env = cliEnv(g);
    writeFileSync(
      path.join(g.repo, 'verify.cjs'),
      "const fs = require('fs');\nconst s = fs.existsSync('status.txt') ? fs.readFileSync('status.txt', 'utf8').trim() : 'missing';\n" +
        "console.log('checking status.txt');\nif (s !== 'PASS') { console.error('FAIL: status.txt says ' + s); process.exit(1); }\n",
    );
    await git(g.repo, 'add', 'verify.cjs');
    await git(g.repo, 'commit', '-q', '-m', 'add the verify script');
  });
  afterAll(async () => g?.close());

  it('refuses bad input: an unknown id, a malformed one, a task not in review (exit 2, 4xx)', async () => {
    const unknown = await cli(['merge', 'zzzz9999'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toEqual([expect.stringMatching(/task zzzz9999 not found/)]);
    expect((await cli(['merge', 'NOPE!'], env)).code).toBe(2);
    const busy = await create('[[scenario:steps n=3 delay=2000]] Still busy');
    const notReview = await cli(['merge', busy], env);
    expect(notReview.code).toBe(2);
    expect(notReview.stderr).toMatch(/not in review/);
    await expect(g.client.merge(['zzzz9999'])).rejects.toMatchObject({ status: 404 });
    await expect(g.client.merge([busy])).rejects.toMatchObject({ status: 409, code: 'task_not_in_review' });
    await expect(g.client.merge([busy, busy])).rejects.toMatchObject({ status: 422, code: 'duplicate_task' });
    await inReview(busy);
    expect((await cli(['cancel', busy], env)).code).toBe(0);
  });

  it('never moves a base branch that the user has checked out (no remote): skipped, saying what to do', async () => {
    const t = await create('[[scenario:write-file path=early.txt content=e]] Too early');
    await inReview(t);
    const base = await git(g.repo, 'rev-parse', 'main');
    const r = await cli(['merge', t], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/skipped .* “Too early”: main is checked out in .*git switch --detach/);
    expect(await git(g.repo, 'rev-parse', 'main')).toBe(base);
    expect((await g.client.getTask(t)).status).toBe('review');
    // The user detaches the checkout (its files stay); from now on main can move.
    await git(g.repo, 'checkout', '-q', '--detach');
    expect((await cli(['merge', t], env)).code).toBe(0);
    expect(await show('early.txt')).toBe('e');
  });

  it('merges three in order: the second conflicts after the first lands, goes back to its agent, the third lands', async () => {
    const before = await git(g.repo, 'rev-parse', 'main');
    const a = await create('[[scenario:write-file path=shared.txt content=one]] First');
    const b = await create('[[scenario:reviewed path=shared.txt content=two]] Second');
    const c = await create('[[scenario:write-file path=three.txt content=three]] Third');
    await inReview(a, b, c);
    const runsOfB = (await g.client.runs(b)).length;

    const r = await cli(['merge', a.slice(0, 8), b, c], env);
    expect(r.code).toBe(1); // not every task was merged
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^merging 3 task\(s\) into main \(fast-forward\) · queue [a-z0-9]+$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        new RegExp(`^merged ${a.slice(0, 8)} “First”: merged into main as [0-9a-f]{7} \\(fast-forward\\)$`),
      ),
      `sent back ${b.slice(0, 8)} “Second”: conflicts in shared.txt`,
      expect.stringMatching(new RegExp(`^merged ${c.slice(0, 8)} “Third”: merged into main`)),
    ]);
    expect(r.stderr).toMatch(/1 of 3 task\(s\) not merged/);

    // The base holds the first and the third, fast-forwarded (no merge commit), and nothing of the second.
    expect(await show('shared.txt')).toBe('one');
    expect(await show('three.txt')).toBe('three');
    expect(await git(g.repo, 'rev-list', '--merges', `${before}..main`)).toBe('');
    const [doneA, doneC] = [await g.client.getTask(a), await g.client.getTask(c)];
    expect([doneA.status, doneC.status]).toEqual(['done', 'done']);
    expect(await git(g.repo, 'rev-parse', 'main')).toBe(await git(g.repo, 'rev-parse', doneC.branch!));
    // The user's checkout was not written: its files are as they were.
    expect(existsSync(path.join(g.repo, 'shared.txt'))).toBe(false);
    expect(existsSync(path.join(g.repo, 'three.txt'))).toBe(false);

    // The second went back to its agent (a normal resume) with the conflict list.
    const back = await waitForTask(
      g.client,
      b,
      (t) => settled(t) && t.updatedAt > doneC.updatedAt,
      'B’s resume',
      90_000,
    );
    expect((await g.client.runs(b)).length).toBe(runsOfB + 1);
    expect((await g.client.runs(b)).at(-1)!.kind).toBe('resume');
    const feedback = await show('review-feedback.md', back.branch!);
    expect(feedback).toContain('shared.txt');
    expect(feedback).toMatch(/git rebase main/);
    const notices = (await g.client.events(b)).events.filter((e) => e.type === 'notice');
    expect(notices.map((e) => (e.data as { message: string }).message)).toContain(
      'merge queue: rebasing onto main conflicts in shared.txt; sent back to the agent',
    );
  });

  it('a failing verify sends the task back and nothing reaches the base; fixed, it lands', async () => {
    const set = await cli(['project', 'set', 'sample', '--verify', 'node verify.cjs'], env);
    expect(set.code).toBe(0);
    const t = await create('[[scenario:reviewed path=status.txt content=FAIL fix=PASS]] Make it pass');
    await inReview(t);
    const base = await git(g.repo, 'rev-parse', 'main');

    const first = await cli(['merge', t, '--json'], env);
    expect(first.code).toBe(1);
    const q = JSON.parse(first.stdout) as import('../../shared/api.js').MergeQueueDto;
    expect(q).toMatchObject({ status: 'finished', baseBranch: 'main', method: 'fast-forward' });
    expect(q.entries).toEqual([
      expect.objectContaining({
        taskId: t,
        outcome: 'sent_back',
        reason: 'verify `node verify.cjs` exited 1',
        sha: null,
      }),
    ]);
    expect(await git(g.repo, 'rev-parse', 'main')).toBe(base);
    expect((await g.client.mergeQueue(q.id)).entries[0]!.outcome).toBe('sent_back');

    // The agent got the output's tail, fixed status.txt, and the task is back in review: now it lands.
    const fixed = await waitForTask(
      g.client,
      t,
      (x) => settled(x) && x.stopReason === 'completed' && x.updatedAt > q.startedAt,
      'the fix',
      90_000,
    );
    const feedback = await show('review-feedback.md', fixed.branch!);
    expect(feedback).toContain('FAIL: status.txt says FAIL');
    expect(feedback).toContain('exited 1');
    const second = await cli(['merge', t], env);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toMatch(/merged .* “Make it pass”: merged into main/);
    expect(await show('status.txt')).toBe('PASS');
    await cli(['project', 'set', 'sample', '--verify', 'none'], env);
  });

  it('merge-commit lands a merge commit; a second queue for the project meanwhile is refused with 409', async () => {
    expect(
      (await cli(['project', 'set', 'sample', '--merge-method', 'merge-commit', '--verify', 'sleep 2'], env))
        .code,
    ).toBe(0);
    const t = await create('[[scenario:write-file path=merged.txt content=m]] With a merge commit');
    const other = await create('[[scenario:write-file path=other.txt content=o]] Another');
    const [task] = await inReview(t, other);
    const base = await git(g.repo, 'rev-parse', 'main');

    const q = await g.client.merge([t]);
    expect(q).toMatchObject({ status: 'running', method: 'merge-commit', entries: [{ taskId: t }] });
    await expect(g.client.merge([other])).rejects.toMatchObject({ status: 409, code: 'merge_in_progress' });
    const busy = await cli(['merge', other], env);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/already merging/);
    let done = q;
    while (done.status === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      done = await g.client.mergeQueue(q.id);
    }
    expect(done.entries[0]).toMatchObject({ outcome: 'merged' });
    const head = await git(g.repo, 'rev-parse', task!.branch!);
    expect((await git(g.repo, 'rev-list', '--parents', '-n', '1', 'main')).split(' ')).toEqual([
      done.entries[0]!.sha,
      base,
      head,
    ]);
    expect(await git(g.repo, 'log', '-1', '--format=%s', 'main')).toBe(
      `Merge ${task!.branch}: With a merge commit`,
    );
    // The queue is over: the other task may be merged now.
    const next = await cli(['merge', other], env);
    expect(next.code).toBe(0);
    expect((await git(g.repo, 'rev-list', '--parents', '-n', '1', 'main')).split(' ')).toHaveLength(3);
  });
});
