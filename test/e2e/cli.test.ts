import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, git, startGluon, waitForTask, settled, type Gluon, cliEnv } from './harness.js';

describe('the gluon CLI against a real server', () => {
  let g: Gluon;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    g = await startGluon();
    env = cliEnv(g);
  });
  afterAll(async () => g?.close());

  it('adds a project, creates a task (printing only its id), follows its logs and shows it as JSON', async () => {
    const repo2 = g.repo; // already added as `sample` by the harness; adding it again is a clear error
    const dup = await cli(['project', 'add', repo2, '--name', 'again'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already/);

    const ls = await cli(['project', 'ls', '--json'], env);
    expect(ls.code).toBe(0);
    expect(JSON.parse(ls.stdout)).toEqual([
      expect.objectContaining({ name: 'sample', defaultBranch: 'main' }),
    ]);

    const created = await cli(
      [
        'task',
        'create',
        '--project',
        'sample',
        '--max-cost',
        '5',
        '[[scenario:demo',
        'path=NOTES.md]]',
        'Write',
        'some',
        'notes',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const id = created.stdout.trim();
    expect(id).toMatch(/^[a-z0-9]{12}$/);

    const logs = await cli(['logs', id.slice(0, 6), '-f'], env);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/\[tool\] Bash: ls -la/);
    expect(logs.stdout).toMatch(/\[tool\] Write: NOTES\.md/);
    expect(logs.stdout).toMatch(/review/);
    expect(logs.stdout).not.toContain(String.fromCharCode(27)); // NO_COLOR: no escape sequences

    const show = await cli(['show', id.slice(0, 5), '--json'], env);
    expect(show.code).toBe(0);
    const task = JSON.parse(show.stdout);
    for (const key of [
      'id',
      'title',
      'project',
      'status',
      'profile',
      'model',
      'branch',
      'worktreePath',
      'costUsd',
      'inputRequired',
      'stopReason',
      'iterations',
      'sessionId',
    ]) {
      expect(task, key).toHaveProperty(key);
    }
    expect(task).toMatchObject({
      id,
      project: 'sample',
      status: 'review',
      profile: 'standard',
      branch: `gluon-task/${id}`,
      stopReason: 'completed',
      inputRequired: false,
    });
    expect(task.costUsd).toBeGreaterThan(0);
    expect(await git(g.repo, 'show', `gluon-task/${id}:NOTES.md`)).toBeTruthy();

    const human = await cli(['show', id], env);
    expect(human.stdout).toContain(id);
    expect(human.stdout).toContain('review');
  });

  it("changes a project's settings and clears them again", async () => {
    const set = await cli(
      [
        'project',
        'set',
        'sample',
        '--max-cost-day',
        '5',
        '--max-cost-month',
        '50',
        '--uncommitted',
        'snapshot',
      ],
      env,
    );
    expect(set.code, set.stderr).toBe(0);
    let [p] = JSON.parse((await cli(['project', 'ls', '--json'], env)).stdout);
    expect(p).toMatchObject({ maxCostPerDayUsd: 5, maxCostPerMonthUsd: 50 });
    expect((await cli(['project', 'set', 'sample', '--max-cost-day', 'none'], env)).code).toBe(0);
    [p] = JSON.parse((await cli(['project', 'ls', '--json'], env)).stdout);
    expect(p).toMatchObject({ maxCostPerDayUsd: null, maxCostPerMonthUsd: 50 });
    expect((await cli(['project', 'set', 'sample', '--max-cost-month', 'none'], env)).code).toBe(0);
    expect((await cli(['project', 'set', 'sample'], env)).code).toBe(2);
    expect((await cli(['project', 'set', 'sample', '--uncommitted', 'bogus'], env)).code).toBe(2);
    expect((await cli(['project', 'set', 'sample', '--max-cost-day', '-3'], env)).code).toBe(2);
    const missing = await cli(['project', 'set', 'nope', '--max-cost-day', '1'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found/);
  });

  it('lists, moves and reports cost', async () => {
    const list = await cli(['ls', '--json', '--status', 'review'], env);
    const tasks = JSON.parse(list.stdout) as { id: string }[];
    expect(tasks.length).toBeGreaterThan(0);
    const moved = await cli(['move', tasks[0]!.id, 'done'], env);
    expect(moved.code, moved.stderr).toBe(0);
    expect((await g.client.getTask(tasks[0]!.id)).status).toBe('done');
    const refused = await cli(['move', tasks[0]!.id, 'running'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cannot be moved from done to running/);

    const cost = await cli(['cost', '--json', '--by', 'model'], env);
    const report = JSON.parse(cost.stdout);
    expect(report.today).toBeGreaterThan(0);
    expect(report.month).toBeGreaterThanOrEqual(report.today);
    expect(report.rows[0]).toMatchObject({ key: 'claude-sonnet-4-5' });
    const split = await g.client.costs('day_model');
    expect(split.rows?.[0]).toMatchObject({
      model: 'claude-sonnet-4-5',
      day: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
    });
    expect(split.rows?.reduce((s, r) => s + r.costUsd, 0)).toBeCloseTo(report.total, 9);
    const human = await cli(['cost', '--by', 'task'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/today/i);
  });

  it('a question shows in show and logs, and `gluon answer` lets the agent continue', async () => {
    const created = await cli(
      ['task', 'create', '--project', 'sample', '[[scenario:question]]', 'choose'],
      env,
    );
    const id = created.stdout.trim();
    await waitForTask(g.client, id, (t) => t.inputRequired, 'the question');
    const show = await cli(['show', id], env);
    expect(show.stdout).toContain('Which color should I use?');
    expect(show.stdout).toMatch(/gluon answer/);
    const answer = await cli(['answer', id, 'blue'], env);
    expect(answer.code, answer.stderr).toBe(0);
    const done = await waitForTask(g.client, id, settled, 'the task');
    expect(done.status).toBe('review');
  });

  it('attaches images: uploaded by the CLI, sent to the agent with the prompt, listed on the task', async () => {
    const { writeFileSync } = await import('node:fs');
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    writeFileSync(`${g.home}/shot.png`, png);
    writeFileSync(`${g.home}/notes.md`, '# not an image');
    const refused = await cli(
      ['task', 'create', '--project', 'sample', '--attach', `${g.home}/notes.md`, 'x'],
      env,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/@/);
    const created = await cli(
      [
        'task',
        'create',
        '--project',
        'sample',
        '--attach',
        `${g.home}/shot.png`,
        '[[scenario:describe-images]]',
        'look',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const task = await waitForTask(g.client, created.stdout.trim(), settled, 'the task');
    expect(task.attachments).toEqual([
      expect.objectContaining({ name: 'shot.png', mime: 'image/png', size: png.length }),
    ]);
    expect(await git(g.repo, 'show', `${task.branch}:images.txt`)).toBe('1 image(s): image/png');
  });

  it('exits 2 on usage errors with one line and no stack trace; 1 on unknown ids', async () => {
    for (const args of [
      ['task', 'create', '--project', 'sample', '--profile', 'huge', 'x'],
      ['task', 'create', '--project', 'sample', '--max-cost', 'lots', 'x'],
      ['frobnicate'],
      ['show'],
      ['move', 'abcd', 'flying'],
    ]) {
      const r = await cli(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
    const unknown = await cli(['show', 'zzzzzzzz'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/not found/);
    const noServer = await cli(['ls'], { ...env, GLUON_URL: 'http://127.0.0.1:9' });
    expect(noServer.code).toBe(1);
    expect(noServer.stderr).toMatch(/cannot reach/);
  });
});
