/**
 * The review comment routes in-process over the real service (real git, real SQLite): status codes,
 * schemas, and `{error:{code,message}}` for bad input.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskDto } from '../../../../shared/api.js';
import type { ReviewCommentDto } from '../../../../shared/review-dto.js';
import { createReviewBeds } from '../../services/testing/review-bed.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import { installErrorHandler } from '../error-handler.js';
import { registerReviewCommentRoutes } from './review-comments.js';

const beds = createReviewBeds();
let app: FastifyInstance;
let bed: Awaited<ReturnType<typeof beds.open>>;
const url = (rest = '') => `/api/tasks/${bed.task.id}${rest}`;

beforeAll(async () => {
  bed = await beds.open();
  app = Fastify();
  installErrorHandler(app, () => {});
  registerReviewCommentRoutes(app, {
    reviewComments: bed.comments,
    // The presenter proper is tested with the task views; here the id is what the route must pass on.
    views: { one: async (t: TaskRecord) => ({ id: t.id }) as TaskDto } as never,
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await beds.cleanup();
});

describe('review comment routes', () => {
  it('adds (201), lists, resolves, deletes (204) and sends (a resume)', async () => {
    const add = await app.inject({
      method: 'POST',
      url: url('/comments'),
      payload: { path: 'calc.js', line: 2, endLine: 3, body: 'Hm' },
    });
    expect(add.statusCode).toBe(201);
    const comment = add.json<ReviewCommentDto>();
    expect(comment).toMatchObject({ path: 'calc.js', line: 2, endLine: 3, code: '  return a + b;\n}' });
    const other = (
      await app.inject({
        method: 'POST',
        url: url('/comments'),
        payload: { path: 'calc.js', line: 1, body: 'x' },
      })
    ).json<ReviewCommentDto>();
    expect((await app.inject({ method: 'DELETE', url: url(`/comments/${other.id}`) })).statusCode).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: url('/comments') }))
        .json<ReviewCommentDto[]>()
        .map((c) => c.id),
    ).toEqual([comment.id]);
    const sent = await app.inject({ method: 'POST', url: url('/reviews'), payload: { body: 'Please' } });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toEqual({ id: bed.task.id });
    expect(bed.resumed.at(-1)!.feedback).toContain('1. calc.js:2-3');
    const resolved = await app.inject({
      method: 'POST',
      url: url(`/comments/${comment.id}/resolve`),
      payload: {},
    });
    expect(resolved.json<ReviewCommentDto>().resolvedAt).not.toBeNull();
    const reopened = await app.inject({
      method: 'POST',
      url: url(`/comments/${comment.id}/resolve`),
      payload: { resolved: false },
    });
    expect(reopened.json<ReviewCommentDto>().resolvedAt).toBeNull();
  });

  it.each([
    ['a missing body', { path: 'calc.js', line: 1 }, 400, 'invalid_input'],
    ['a line of 0', { path: 'calc.js', line: 0, body: 'x' }, 400, 'invalid_input'],
    [
      'a range that ends before it starts',
      { path: 'calc.js', line: 3, endLine: 2, body: 'x' },
      400,
      'invalid_input',
    ],
    ['an unknown field', { path: 'calc.js', line: 1, body: 'x', side: 'old' }, 400, 'invalid_input'],
    ['a line past the end', { path: 'calc.js', line: 99, body: 'x' }, 422, 'line_out_of_range'],
    ['a file the task did not change', { path: 'README.md', line: 1, body: 'x' }, 422, 'not_in_diff'],
  ])('refuses %s', async (_name, payload, status, code) => {
    const answer = await app.inject({ method: 'POST', url: url('/comments'), payload });
    expect(answer.statusCode).toBe(status);
    expect(answer.json()).toMatchObject({ error: { code, message: expect.any(String) } });
  });

  it('answers 404 for an unknown comment and 400 for a malformed id', async () => {
    expect((await app.inject({ method: 'DELETE', url: url('/comments/zzzzzzzz') })).statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'POST', url: url('/comments/NOPE!/resolve'), payload: {} })).statusCode,
    ).toBe(400);
  });
});
