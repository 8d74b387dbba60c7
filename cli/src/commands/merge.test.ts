import { describe, expect, it } from 'vitest';
import type { MergeEntryDto, MergeQueueDto } from '../../../shared/api.js';
import { useFakeApi } from '../testing/fake-api.js';
import { buildTask } from '../testing/fixtures.js';
import { runGluon } from '../testing/run-cli.js';

const fake = useFakeApi();

const entry = (taskId: string, patch: Partial<MergeEntryDto> = {}): MergeEntryDto => ({
  taskId,
  title: `Task ${taskId.slice(0, 4)}`,
  outcome: 'pending',
  reason: null,
  sha: null,
  conflictFiles: null,
  ...patch,
});
const queue = (patch: Partial<MergeQueueDto>): MergeQueueDto => ({
  id: 'queue0000001',
  projectId: 'p1',
  project: 'app',
  baseBranch: 'main',
  method: 'fast-forward',
  status: 'running',
  entries: [],
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
  ...patch,
});

describe('gluon merge', () => {
  it('starts the queue, follows it, and prints each task’s outcome; exit 1 when one was not merged', async () => {
    const ids = ['aaaa1111', 'bbbb2222', 'cccc3333'];
    fake.api.on('POST', '/api/merge', { status: 202, body: queue({ entries: ids.map((id) => entry(id)) }) });
    fake.api.on('GET', '/api/merge-queues/queue0000001', {
      body: queue({
        status: 'finished',
        entries: [
          entry(ids[0]!, { outcome: 'merged', reason: 'merged into main as 1a2b3c4 (fast-forward)' }),
          entry(ids[1]!, { outcome: 'sent_back', reason: 'conflicts in a.txt' }),
          entry(ids[2]!, { outcome: 'skipped', reason: 'the task left review' }),
        ],
      }),
    });
    const r = await runGluon(['merge', ...ids], fake.env);
    expect(fake.api.requests[0]!.body).toEqual({ tasks: ids });
    expect(r.stdout.split('\n')).toEqual([
      'merging 3 task(s) into main (fast-forward) · queue queue0000001',
      'merged aaaa1111 “Task aaaa”: merged into main as 1a2b3c4 (fast-forward)',
      'sent back bbbb2222 “Task bbbb”: conflicts in a.txt',
      'skipped cccc3333 “Task cccc”: the task left review',
      '',
    ]);
    expect(r).toMatchObject({ code: 1, stderr: 'gluon: 2 of 3 task(s) not merged\n' });
  });

  it('exits 0 when every task merged', async () => {
    fake.api.on('POST', '/api/merge', {
      status: 202,
      body: queue({ status: 'finished', entries: [entry('aaaa1111', { outcome: 'merged', reason: 'ok' })] }),
    });
    const r = await runGluon(['merge', 'aaaa1111', '--json'], fake.env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'finished', entries: [{ outcome: 'merged' }] });
  });

  it('refuses bad input with exit 2 and one line: a malformed id, an unknown task, one not in review', async () => {
    expect(await runGluon(['merge', 'NOPE!'], fake.env)).toMatchObject({
      code: 2,
      stderr: "gluon: 'NOPE!' is not a task id (4 to 32 of a-z0-9)\n",
    });
    fake.api.on('POST', '/api/merge', {
      status: 409,
      body: { error: { code: 'task_not_in_review', message: '“X” (aaaa1111) is running, not in review' } },
    });
    const r = await runGluon(['merge', 'aaaa1111'], fake.env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    fake.api.on('POST', '/api/merge', {
      status: 409,
      body: { error: { code: 'merge_in_progress', message: 'project app is already merging' } },
    });
    expect((await runGluon(['merge', 'aaaa1111'], fake.env)).code).toBe(1);
  });
});

describe('gluon fork', () => {
  it('prints the new task’s id; the words are its prompt; none: no prompt sent', async () => {
    fake.api.on('POST', '/api/tasks/abcd/fork', { status: 201, body: buildTask({ id: 'f0rk00000001' }) });
    const r = await runGluon(['fork', 'abcd', 'Try', 'again'], fake.env);
    expect(r).toMatchObject({ code: 0, stdout: 'f0rk00000001\n' });
    expect(fake.api.requests.at(-1)!.body).toEqual({ prompt: 'Try again' });
    await runGluon(['fork', 'abcd'], fake.env);
    expect(fake.api.requests.at(-1)!.body).toEqual({});
  });

  it('an unknown task is a usage error (exit 2)', async () => {
    fake.api.on('POST', '/api/tasks/zzzz/fork', {
      status: 404,
      body: { error: { code: 'not_found', message: 'task zzzz not found' } },
    });
    const r = await runGluon(['fork', 'zzzz'], fake.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('gluon: task zzzz not found (not_found, HTTP 404)\n');
  });
});
