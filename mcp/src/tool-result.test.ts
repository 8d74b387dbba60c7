import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/client.js';
import { describeFailure, guarded } from './tool-result.js';
import { capLines } from './text.js';

describe('describeFailure', () => {
  it.each<[unknown, string]>([
    [
      new ApiError(400, 'invalid_input', 'invalid body: prompt: too short'),
      'Gluon refused: invalid body: prompt: too short (invalid_input, HTTP 400)',
    ],
    [
      new ApiError(401, 'unauthorized', 'missing or wrong token'),
      expect.stringMatching(/^Gluon refused the token \(HTTP 401\)/),
    ],
    [
      new ApiError(0, 'unreachable', 'cannot reach the Gluon server at x'),
      'cannot reach the Gluon server at x',
    ],
    [new Error('boom'), 'unexpected error: boom'],
  ])('%s', (error, message) => {
    expect(describeFailure(error)).toEqual(message);
  });
});

describe('guarded', () => {
  it('answers the text of a body that succeeds', async () => {
    expect(await guarded(async (n: number) => `got ${n}`)(3)).toEqual({
      content: [{ type: 'text', text: 'got 3' }],
    });
  });

  it('turns what the body throws into a tool error, never a rejection', async () => {
    const result = await guarded(async () => {
      throw new ApiError(409, 'no_approval', 'the task has nothing waiting for approval');
    })(undefined);
    expect(result).toEqual({
      content: [
        {
          type: 'text',
          text: 'Gluon refused: the task has nothing waiting for approval (no_approval, HTTP 409)',
        },
      ],
      isError: true,
    });
  });
});

describe('capLines', () => {
  it('cuts at a line boundary, or inside a single over-long line', () => {
    expect(capLines('ab\ncd\nef\n', 100)).toEqual({ text: 'ab\ncd\nef\n', cut: false });
    expect(capLines('ab\ncd\nef\n', 7)).toEqual({ text: 'ab\ncd\n', cut: true });
    expect(capLines('abcdef', 3)).toEqual({ text: 'abc', cut: true });
  });
});
