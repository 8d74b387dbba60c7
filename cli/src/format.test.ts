import { describe, expect, it } from 'vitest';
import { createStyle, renderTable, shouldColor, visibleLength } from './format.js';

describe('shouldColor', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{}, undefined, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, false],
    [{ TERM: 'dumb' }, true, false],
  ])('env %j with isTTY %s → %s', (env, isTTY, expected) => {
    expect(shouldColor(env, isTTY)).toBe(expected);
  });
});

describe('createStyle', () => {
  it('adds ANSI escapes only when enabled', () => {
    expect(createStyle(false).red('x')).toBe('x');
    expect(createStyle(true).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(createStyle(true).bold('')).toBe('');
  });
});

describe('renderTable', () => {
  it('aligns columns on visible width, ignoring colour codes', () => {
    const red = createStyle(true).red;
    const lines = renderTable(
      ['ID', 'STATUS', 'TITLE'],
      [
        ['abcd', red('failed'), 'one'],
        ['abcdef12', 'running', 'two'],
      ],
    );
    expect(lines.map((l) => l.replace(red('failed'), 'failed'))).toEqual([
      'ID        STATUS   TITLE',
      'abcd      failed   one',
      'abcdef12  running  two',
    ]);
    expect(visibleLength(lines[1]!)).toBe('abcd      failed   one'.length);
  });
});
