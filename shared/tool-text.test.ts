import { describe, expect, it } from 'vitest';
import { relativeTo, summarizeToolInput, toolResultText } from './tool-text.js';

describe('summarizeToolInput', () => {
  it.each([
    ['Grep', { pattern: 'TODO', path: 'src' }, 'TODO'],
    ['Glob', { pattern: '**/*.ts' }, '**/*.ts'],
    ['WebSearch', { query: 'vitest each' }, 'vitest each'],
    ['Task', { description: 'find callers', prompt: 'long…' }, 'find callers'],
    ['TodoWrite', { todos: [1, 2] }, '2 todos'],
    ['AskUserQuestion', { questions: [{ question: 'Tabs\nor spaces?' }] }, 'Tabs or spaces?'],
    ['mcp__x__y', { url: 'https://x' }, 'https://x'],
    ['mcp__x__z', { n: 1 }, '{"n":1}'],
    ['mcp__x__z', {}, ''],
    ['Bash', { command: 'a\n  b' }, 'a b'],
    ['Bash', 'ls', 'ls'],
    ['Bash', undefined, ''],
  ])('%s %j → %s', (name, input, summary) => {
    expect(summarizeToolInput(name, input)).toBe(summary);
  });

  it('shows paths inside the worktree relative to it and cuts at the given width', () => {
    const input = { file_path: '/wt/t/src/x.ts' };
    expect(summarizeToolInput('Write', input, { worktreePath: '/wt/t/' })).toBe('src/x.ts');
    expect(summarizeToolInput('Write', input, { worktreePath: '/wt/other' })).toBe('/wt/t/src/x.ts');
    expect(summarizeToolInput('Bash', { command: 'x'.repeat(500) })).toHaveLength(120);
    expect(summarizeToolInput('Bash', { command: 'x'.repeat(500) }, { max: 300 })).toHaveLength(300);
  });
});

describe('toolResultText', () => {
  it('folds the output to its first line and counts the rest', () => {
    expect(toolResultText('\n\nok\n')).toBe('ok');
    expect(toolResultText('a\nb')).toBe('a (+1 line)');
    expect(toolResultText('   ')).toBe('(no output)');
    expect(toolResultText('y'.repeat(400))).toHaveLength(160);
    expect(relativeTo('cat /w/a /w/b', '/w')).toBe('cat a b');
  });
});
