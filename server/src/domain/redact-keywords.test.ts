import { describe, expect, it } from 'vitest';
import { createKeywordIndex } from './redact-keywords.js';

describe('createKeywordIndex', () => {
  const index = createKeywordIndex([
    ['ghp_', 'gho_'], // 0
    ['he'], // 1: inside "she", found through a failure link
    ['she', 'hers'], // 2
    ['key'], // 3
    [], // 4: no keywords: always runs
    ['clé'], // 5: non-ASCII: always runs rather than never
    ['sk_live'], // 6
  ]);
  const rows: [name: string, text: string, rules: number[]][] = [
    ['nothing but the rules that always run', 'plain text', [4, 5]],
    ['a keyword', 'token ghp_x', [0, 4, 5]],
    ['another keyword of the same rule', 'gho_', [0, 4, 5]],
    ['keywords overlapping and nested', 'ushers', [1, 2, 4, 5]],
    ['upper case folds to lower case', 'API_KEY=1', [3, 4, 5]],
    ['a keyword at the very end', 'monkey', [3, 4, 5]],
    ['a keyword after non-ASCII text', 'été → sk_live_x', [4, 5, 6]],
    ['a keyword cut by a non-ASCII character is not one', 'sk_l…ive', [4, 5]],
    ['empty text', '', [4, 5]],
  ];
  it.each(rows)('finds %s', (_name, text, rules) => expect(index.rulesIn(text)).toEqual(rules));

  it('handles texts longer than its buffer', () => {
    const long = `${'x'.repeat(200_000)}ghp_`;
    expect(index.rulesIn(long)).toEqual([0, 4, 5]);
  });
});
