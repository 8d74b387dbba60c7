import { describe, expect, it } from 'vitest';
import { reviewPrompt, type PromptComment } from './review-prompt.js';

const c = (patch: Partial<PromptComment> = {}): PromptComment => ({
  path: 'src/a.ts',
  line: 3,
  endLine: 3,
  code: 'const a = 1;',
  body: 'Call it `count`.',
  outdated: false,
  ...patch,
});

describe('reviewPrompt', () => {
  it('anchors each comment: file, line or range, the code, the words', () => {
    const text = reviewPrompt([
      c(),
      c({ path: 'b.py', line: 10, endLine: 14, code: 'x\ny', body: 'Split this' }),
    ]);
    expect(text).toBe(
      [
        'A reviewer read your changes and left 2 comments on specific lines.',
        '',
        '1. src/a.ts:3',
        '```',
        'const a = 1;',
        '```',
        'Call it `count`.',
        '',
        '2. b.py:10-14',
        '```',
        'x\ny',
        '```',
        'Split this',
        '',
        'Address every comment in the code. When you finish, list each comment by its number and say what you changed for it, or why you left it as it is.',
      ].join('\n'),
    );
  });

  it.each([
    ['a summary comes first', [c()], 'Mostly good', /lines\.\n\nTheir summary:\nMostly good\n\n1\. /],
    ['one comment is singular', [c()], null, /left 1 comment on/],
    ['outdated code says so', [c({ outdated: true })], null, /src\/a\.ts:3 \(this code has changed since/],
    ['a blank summary is left out', [c()], '  ', /^(?![\s\S]*summary)/],
    [
      'code with a fence gets a longer one',
      [c({ code: 'x = ```y```' })],
      null,
      /\n````\nx = ```y```\n````\n/,
    ],
  ])('%s', (_name, comments, summary, pattern) => {
    expect(reviewPrompt(comments, summary)).toMatch(pattern);
  });
});
