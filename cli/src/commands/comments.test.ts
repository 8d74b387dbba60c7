import { describe, expect, it } from 'vitest';
import type { ReviewCommentDto } from '../../../shared/review-dto.js';
import { useFakeApi } from '../testing/fake-api.js';
import { buildTask } from '../testing/fixtures.js';
import { runGluon } from '../testing/run-cli.js';
import { parseLocation } from './comments.js';

const fake = useFakeApi();

const comment = (patch: Partial<ReviewCommentDto> = {}): ReviewCommentDto => ({
  id: 'c0mment0001',
  taskId: 'abcd1234',
  path: 'src/app.ts',
  line: 10,
  endLine: 14,
  code: 'x',
  body: 'Split this function',
  outdated: false,
  commitSha: 'a'.repeat(40),
  reviewId: null,
  sentAt: null,
  addressedBy: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  resolvedAt: null,
  ...patch,
});

describe('parseLocation', () => {
  it.each([
    ['src/a.ts:12', { path: 'src/a.ts', line: 12 }],
    ['src/a.ts:10-14', { path: 'src/a.ts', line: 10, endLine: 14 }],
    ['src/a.ts:7-7', { path: 'src/a.ts', line: 7 }],
    ['odd:name.ts:3', { path: 'odd:name.ts', line: 3 }],
  ])('%s', (value, expected) => expect(parseLocation(value)).toEqual(expected));

  it.each(['src/a.ts', 'src/a.ts:', ':12', 'src/a.ts:0', 'src/a.ts:5-4', 'src/a.ts:x', 'a.ts:1-'])(
    'refuses %j',
    (value) => expect(() => parseLocation(value)).toThrow(/expected <file>:<line>/),
  );
});

describe('gluon comment, comments, send-review, resolve-comment', () => {
  it('adds a range comment with the words joined', async () => {
    fake.api.on('POST', '/api/tasks/abcd/comments', { status: 201, body: comment() });
    const result = await runGluon(
      ['comment', 'abcd', 'src/app.ts:10-14', 'Split', 'this', 'function'],
      fake.env,
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      'c0mment0001 · src/app.ts:10-14 · pending (send with: gluon send-review abcd)\n',
    );
    expect(fake.api.requests.at(-1)!.body).toEqual({
      path: 'src/app.ts',
      line: 10,
      endLine: 14,
      body: 'Split this function',
    });
  });

  it('is a usage error (exit 2, one line) for a bad location, before any request', async () => {
    const result = await runGluon(['comment', 'abcd', 'src/app.ts', 'hi'], fake.env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(fake.api.requests).toHaveLength(0);
  });

  it('lists comments with their state', async () => {
    fake.api.on('GET', '/api/tasks/abcd/comments', {
      body: [
        comment(),
        comment({
          id: 'c0mment0002',
          line: 3,
          endLine: 3,
          reviewId: 'r1',
          outdated: true,
          addressedBy: ['1a2b3c4'],
        }),
      ],
    });
    const { stdout, code } = await runGluon(['comments', 'abcd'], { ...fake.env, NO_COLOR: '1' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/c0mment0\s+src\/app\.ts:10-14\s+pending\s+Split this function/);
    expect(stdout).toMatch(/c0mment0\s+src\/app\.ts:3\s+sent · outdated · addressed in 1a2b3c4/);
  });

  it('sends the review with a summary, and resolves a comment', async () => {
    fake.api.on('POST', '/api/tasks/abcd/reviews', { body: buildTask({ id: 'abcd1234', status: 'queued' }) });
    const sent = await runGluon(['send-review', 'abcd', 'Nearly', 'there'], fake.env);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^review sent to abcd1234 · now /);
    expect(fake.api.requests.at(-1)!.body).toEqual({ body: 'Nearly there' });
    fake.api.on('POST', '/api/tasks/abcd/comments/c0mment0001/resolve', {
      body: comment({ resolvedAt: '2026-01-02T00:00:00.000Z' }),
    });
    const resolved = await runGluon(['resolve-comment', 'abcd', 'c0mment0001'], fake.env);
    expect(resolved.stdout).toBe('c0mment0001 · src/app.ts:10-14 · resolved\n');
    expect(fake.api.requests.at(-1)!.body).toEqual({ resolved: true });
  });
});
