import { describe, expect, it } from 'vitest';
import { useFakeApi } from '../testing/fake-api.js';
import { buildTask } from '../testing/fixtures.js';
import { runGluon } from '../testing/run-cli.js';

const fake = useFakeApi();

describe('task actions', () => {
  it.each([
    [
      ['resume', 'abcd', 'also', 'add', 'tests'],
      '/api/tasks/abcd/resume',
      { text: 'also add tests' },
      'resumed',
    ],
    [['answer', 'abcd', 'use', 'SQLite'], '/api/tasks/abcd/answer', { text: 'use SQLite' }, 'answered'],
    [['approve', 'abcd'], '/api/tasks/abcd/approve', undefined, 'approved'],
    [['deny', 'abcd'], '/api/tasks/abcd/deny', {}, 'denied'],
    [['deny', 'abcd', 'not', 'now'], '/api/tasks/abcd/deny', { reason: 'not now' }, 'denied'],
    [['cancel', 'abcd'], '/api/tasks/abcd/cancel', undefined, 'cancelled'],
    [['stop-loop', 'abcd'], '/api/tasks/abcd/stop-loop', undefined, 'stopped the loop of'],
    [['move', 'abcd', 'done'], '/api/tasks/abcd/move', { status: 'done' }, 'moved'],
  ])('gluon %j posts to %s', async (argv, path, body, verb) => {
    fake.api.on('POST', path, { body: buildTask({ status: 'running' }) });
    const result = await runGluon(argv, fake.env);
    expect(result).toEqual({ code: 0, stdout: `${verb} abcd1234ef · now running\n`, stderr: '' });
    expect(fake.api.requests).toHaveLength(1);
    expect(fake.api.requests[0]).toMatchObject({ method: 'POST', path });
    expect(fake.api.requests[0]!.body).toEqual(body);
  });

  it('prints the task as JSON with --json', async () => {
    const task = buildTask({ status: 'cancelled' });
    fake.api.on('POST', '/api/tasks/abcd/cancel', { body: task });
    const result = await runGluon(['cancel', 'abcd', '--json'], fake.env);
    expect(JSON.parse(result.stdout)).toEqual(task);
  });

  it('exits 1 on a refused transition', async () => {
    fake.api.on('POST', '/api/tasks/abcd/move', {
      status: 409,
      body: { error: { code: 'invalid_transition', message: 'cannot move a running task to done' } },
    });
    const result = await runGluon(['move', 'abcd', 'done'], fake.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('gluon: cannot move a running task to done (invalid_transition, HTTP 409)\n');
  });
});

describe('gluon pr', () => {
  it('prints the pull request URL', async () => {
    fake.api.on('POST', '/api/tasks/abcd/pr', {
      body: { number: 7, url: 'https://github.com/o/r/pull/7', state: 'open' },
    });
    const result = await runGluon(['pr', 'abcd'], fake.env);
    expect(result).toEqual({ code: 0, stdout: 'PR #7 (open): https://github.com/o/r/pull/7\n', stderr: '' });
  });

  it('says so nicely when the server does not support it yet', async () => {
    fake.api.on('POST', '/api/tasks/abcd/pr', {
      status: 501,
      body: { error: { code: 'not_implemented', message: 'pull requests are not implemented' } },
    });
    const result = await runGluon(['pr', 'abcd'], fake.env);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'gluon: not supported by this server yet: pull requests are not implemented\n',
    });
  });
});
