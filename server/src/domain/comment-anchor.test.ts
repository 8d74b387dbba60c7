import { describe, expect, it } from 'vitest';
import { anchorComment, fileLines, type CommentAnchor } from './comment-anchor.js';

const file = (...lines: string[]) => lines;
const anchor = (line: number, code: string): CommentAnchor => ({
  line,
  endLine: line + code.split('\n').length - 1,
  code,
});

describe('anchorComment', () => {
  it.each([
    ['unchanged file: stays', anchor(2, 'b'), file('a', 'b', 'c'), { line: 2, endLine: 2, outdated: false }],
    [
      'a range that did not move',
      anchor(2, 'b\nc'),
      file('a', 'b', 'c'),
      { line: 2, endLine: 3, outdated: false },
    ],
    [
      'lines inserted above: follows',
      anchor(2, 'b'),
      file('x', 'y', 'a', 'b', 'c'),
      { line: 4, endLine: 4, outdated: false },
    ],
    [
      'lines removed above: follows',
      anchor(3, 'c\nd'),
      file('c', 'd', 'e'),
      { line: 1, endLine: 2, outdated: false },
    ],
    [
      'trailing whitespace changed: still there',
      anchor(1, 'a  '),
      file('a', 'b'),
      { line: 1, endLine: 1, outdated: false },
    ],
    [
      'two copies: the nearer to the old line',
      anchor(5, 'x'),
      file('x', 'a', 'b', 'c', 'd', 'e', 'x'),
      { line: 7, endLine: 7, outdated: false },
    ],
    [
      'two copies at equal distance: the earlier',
      anchor(3, 'x'),
      file('x', 'a', 'b', 'c', 'x'),
      { line: 1, endLine: 1, outdated: false },
    ],
    [
      'the code was edited: outdated at the old place',
      anchor(2, 'b'),
      file('a', 'B', 'c'),
      { line: 2, endLine: 2, outdated: true },
    ],
    [
      'part of a range was edited: outdated',
      anchor(1, 'a\nb'),
      file('a', 'B'),
      { line: 1, endLine: 2, outdated: true },
    ],
    [
      'the file got shorter than the old position',
      anchor(9, 'b'),
      file('b'),
      { line: 1, endLine: 1, outdated: false },
    ],
    ['the file is gone: outdated', anchor(2, 'b'), null, { line: 2, endLine: 2, outdated: true }],
    ['the file is empty now: outdated', anchor(1, 'a'), file(), { line: 1, endLine: 1, outdated: true }],
  ])('%s', (_name, a, lines, expected) => {
    expect(anchorComment(a, lines)).toEqual(expected);
  });
});

describe('fileLines', () => {
  it.each([
    ['a\nb\n', ['a', 'b']],
    ['a\nb', ['a', 'b']],
    ['', []],
    ['\n', ['']],
    ['a\n\n', ['a', '']],
  ])('%j', (text, lines) => {
    expect(fileLines(text)).toEqual(lines);
  });
});
