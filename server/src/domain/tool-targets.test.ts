import { describe, expect, it } from 'vitest';
import { isFenced, locate, toolTargets } from './tool-targets.js';

describe('toolTargets', () => {
  it.each([
    ['Read', { file_path: 'a.ts' }, [{ field: 'file_path', path: 'a.ts' }]],
    ['Write', { file_path: '/x', content: '' }, [{ field: 'file_path', path: '/x' }]],
    ['NotebookEdit', { notebook_path: 'n.ipynb' }, [{ field: 'notebook_path', path: 'n.ipynb' }]],
    ['Grep', { pattern: 'x', path: '/etc' }, [{ field: 'path', path: '/etc' }]],
    ['Grep', { pattern: '/etc/passwd' }, []],
    ['Glob', { pattern: '**/*.ts' }, []],
    ['Glob', { pattern: '/srv/data/**/*.env' }, [{ field: 'pattern', path: '/srv/data' }]],
    ['Glob', { pattern: '/*' }, [{ field: 'pattern', path: '/' }]],
    ['Glob', { pattern: '~/.ssh/*' }, [{ field: 'pattern', path: '~/.ssh' }]],
    ['LS', { path: '/tmp' }, [{ field: 'path', path: '/tmp' }]],
    ['Write', { file_path: '   ' }, []],
    ['Bash', { command: 'cat /etc/passwd' }, []],
  ])('%s %j', (name, input, expected) => {
    expect(toolTargets(name, input)).toEqual(expected);
  });
});

describe('isFenced', () => {
  const rules = [
    { path: '/d', open: false },
    { path: '/d/worktrees/wt-a', open: true },
    { path: '/d/worktrees/wt-a/.secret', open: false },
  ];
  it.each([
    ['/d', true],
    ['/d/token', true],
    ['/d/worktrees/wt-b/x', true],
    ['/d/worktrees/wt-a', false],
    ['/d/worktrees/wt-a/src/x', false],
    ['/d/worktrees/wt-a/.secret/k', true],
    ['/d2/x', false],
    ['/', false],
  ])('%s → %s', (path, fenced) => {
    expect(isFenced(path, rules)).toBe(fenced);
  });
  it('fences nothing without rules', () => expect(isFenced('/d/token', [])).toBe(false));
});

describe('locate', () => {
  it.each([
    ['/w', '/w/a/b', 'inside', '/w/a/b'],
    ['/w/', 'a/./b//c', 'inside', '/w/a/b/c'],
    ['/w', '/w', 'inside', '/w'],
    ['/w', 'a/../../w/x', 'inside', '/w/x'],
    ['/w', '../w2/x', 'outside', '/w2/x'],
    ['/w', '/../../etc/passwd', 'outside', '/etc/passwd'],
    ['/w', '.git', 'git', '/w/.git'],
    ['/w', '.github/workflows/ci.yml', 'inside', '/w/.github/workflows/ci.yml'],
    ['/w', 'x\0y', 'outside', 'x\0y'],
    ['C:\\wt\\t1', 'src\\a.ts', 'inside', 'C:/wt/t1/src/a.ts'],
    ['C:\\wt\\t1', 'c:\\WT\\T1\\b.ts', 'inside', 'c:/WT/T1/b.ts'],
    ['C:\\wt\\t1', 'D:\\x', 'outside', 'D:/x'],
  ])('%s + %s → %s', (root, target, where, path) => {
    expect(locate(root, target)).toEqual({ where, path });
  });
});
