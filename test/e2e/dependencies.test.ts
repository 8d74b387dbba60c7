/**
 * Work that waits for work, through the built CLI and a real server with the real Claude Code:
 * `--after` keeps a task in Queue, blocked with the reason, until the task it waits for reaches review,
 * then it starts by itself; `--on` also starts from that task's branch; a cancelled dependency keeps a
 * task blocked and says so; a cycle is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskDto } from '../../shared/api.js';
import { cli, git, settled, startGluon, waitForTask, type Gluon, cliEnv } from './harness.js';

describe('task dependencies through the CLI and the real agent', () => {
  let g: Gluon;
  let env: NodeJS.ProcessEnv;
  const create = async (...args: string[]) => {
    const r = await cli(['task', 'create', '--project', 'sample', ...args], env);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    return r.stdout.trim();
  };
  const show = async (id: string) => JSON.parse((await cli(['show', id, '--json'], env)).stdout) as TaskDto;
  beforeAll(async () => {
    g = await startGluon();
    env = cliEnv(g);
  });
  afterAll(async () => g?.close());

  it('refuses an unknown task (exit 1) and a malformed id (exit 2)', async () => {
    const unknown = await cli(['task', 'create', '--project', 'sample', '--after', 'zzzz9999', 'x'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/task zzzz9999 not found/);
    const bad = await cli(['task', 'create', '--project', 'sample', '--after', 'NOPE!', 'x'], env);
    expect(bad.code).toBe(2);
  });

  it('starts --after and --on tasks when the first reaches review; a cancelled one keeps its dependents blocked', async () => {
    const a = await create('[[scenario:steps n=4 delay=4000]] Lay the groundwork');
    const b = await create('--after', a.slice(0, 6), '[[scenario:write-file path=b.txt content=b]] After A');
    const c = await create('--on', a, '[[scenario:write-file path=c.txt content=c]] On top of A');
    const waiting = await show(b);
    expect(waiting.status).toBe('queued');
    expect(waiting.blocked).toMatch(/^waiting for “Lay the groundwork” /);
    expect(waiting.waitsFor).toEqual([expect.objectContaining({ id: a })]);
    expect((await cli(['show', b], env)).stdout).toMatch(/blocked:\s+waiting for “Lay the groundwork”/);

    // A dependency cancelled: its dependent stays blocked, with the reason.
    const gone = await create('--after', a, '[[scenario:write-file path=g.txt]] Never mind');
    expect((await cli(['cancel', gone], env)).code).toBe(0);
    const orphan = await create(
      '--after',
      gone,
      '[[scenario:write-file path=h.txt]] After the cancelled one',
    );
    expect((await show(orphan)).blocked).toMatch(/^blocked: “Never mind” \([a-z0-9]+\) cancelled$/);
    // A cycle: orphan → later → orphan.
    const later = await create('--after', orphan, '[[scenario:write-file path=i.txt]] Later');
    await expect(g.client.addDependencies(orphan, [later])).rejects.toMatchObject({
      status: 409,
      code: 'dependency_cycle',
    });

    const doneA = await waitForTask(g.client, a, settled, 'A to finish', 90_000);
    expect(doneA.status).toBe('review');
    const doneB = await waitForTask(g.client, b, settled, 'B to run after A', 90_000);
    const doneC = await waitForTask(g.client, c, settled, 'C to run on A', 90_000);
    expect([doneB.status, doneC.status]).toEqual(['review', 'review']);
    expect(doneB.startedAt! >= doneA.finishedAt!).toBe(true);
    expect(doneB.blocked).toBeNull();
    expect(doneC.baseBranch).toBe(`gluon-task/${a}`);
    const onC = (await git(g.repo, 'ls-tree', '-r', '--name-only', `gluon-task/${c}`)).split('\n');
    expect(onC).toEqual(expect.arrayContaining(['step-1.txt', 'step-4.txt', 'c.txt']));
    const onB = (await git(g.repo, 'ls-tree', '-r', '--name-only', `gluon-task/${b}`)).split('\n');
    expect(onB).not.toContain('step-1.txt');

    const stillBlocked = await show(orphan);
    expect(stillBlocked).toMatchObject({ status: 'queued', startedAt: null });
    expect(stillBlocked.blocked).toMatch(/cancelled/);
  });
});
