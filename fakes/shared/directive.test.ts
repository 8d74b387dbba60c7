import { describe, expect, it } from 'vitest';
import { findDirective, stripDirective } from './directive.js';

function parse(text: string) {
  const result = findDirective(text);
  if (!result.ok) throw new Error(result.error);
  return result.directive;
}

describe('findDirective', () => {
  it('finds nothing in a plain prompt', () => {
    expect(parse('fix the bug [not a directive]')).toBeNull();
  });

  it('reads a bare name', () => {
    expect(parse('[[scenario:ask]]')).toMatchObject({ name: 'ask', params: {}, start: 0, end: 16 });
  });

  it('reads bare and quoted values around other text', () => {
    const text = 'please [[scenario:write-file path=a/b.txt content="two words"]] now';
    const directive = parse(text);
    expect(directive).toMatchObject({
      name: 'write-file',
      params: { path: 'a/b.txt', content: 'two words' },
    });
    expect(text.slice(directive?.start, directive?.end)).toBe(
      '[[scenario:write-file path=a/b.txt content="two words"]]',
    );
  });

  it('unescapes quotes, backslashes, newlines and tabs in quoted values', () => {
    expect(parse('[[scenario:x v="a \\"q\\" \\\\ b\\nc\\td"]]')?.params).toEqual({ v: 'a "q" \\ b\nc\td' });
  });

  it('allows an empty value and spaces before the closing brackets', () => {
    expect(parse('[[scenario:x a= b=1  ]]')?.params).toEqual({ a: '', b: '1' });
  });

  it.each([
    ['[[scenario:]]', 'no scenario name'],
    ['[[scenario:x path]]', 'expected key=value'],
    ['[[scenario:x v="open]]', 'unterminated value'],
    ['[[scenario:x a="1"b=2]]', 'unexpected text'],
    ['[[scenario:x a=1', 'not closed'],
    ['[[scenario:x', 'not closed'],
  ])('rejects malformed %s', (text, error) => {
    const result = findDirective(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(error);
  });
});

describe('stripDirective', () => {
  it('cuts the directive out and trims', () => {
    const text = '[[scenario:echo-prompt path=p.txt]]  $(touch x) `id`  ';
    expect(stripDirective(text, parse(text))).toBe('$(touch x) `id`');
  });

  it('only trims when there is no directive', () => {
    expect(stripDirective('  hi \n', null)).toBe('hi');
  });
});
