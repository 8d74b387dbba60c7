import { describe, expect, it } from 'vitest';
import { foldLines, formatUsd, oneLine, plural, truncate } from './text.js';

describe('formatUsd', () => {
  it.each([
    [0, '$0.00'],
    [0.0123, '$0.0123'],
    [0.00004, '$0.0000'],
    [0.00125, '$0.0013'],
    [0.5, '$0.5000'],
    [1.5, '$1.50'],
    [1234.567, '$1234.57'],
    [Number.NaN, '$?'],
  ])('%s → %s', (amount, text) => {
    expect(formatUsd(amount)).toBe(text);
  });
});

describe('text helpers', () => {
  it('folds output to its first non-empty line and counts lines', () => {
    expect(foldLines('\n  first\nsecond\nthird\n\n')).toEqual({ first: 'first', count: 3 });
    expect(foldLines('   ')).toEqual({ first: '', count: 0 });
    expect(foldLines('one')).toEqual({ first: 'one', count: 1 });
  });

  it('truncates with an ellipsis, without splitting a surrogate pair', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
  });

  it('collapses whitespace and counts nouns', () => {
    expect(oneLine('  a\n\t b  ')).toBe('a b');
    expect([plural(1, 'file'), plural(0, 'file'), plural(2, 'commit')]).toEqual([
      '1 file',
      '0 files',
      '2 commits',
    ]);
  });
});
