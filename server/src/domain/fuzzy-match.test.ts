import { describe, expect, it } from 'vitest';
import { fuzzyFilter, scorePath } from './fuzzy-match.js';

const search = (paths: string[], q: string, limit = 10) =>
  fuzzyFilter(
    paths,
    paths.map((p) => p.toLowerCase()),
    q,
    limit,
  ).map((m) => m.path);

describe('fuzzy path matching', () => {
  const paths = [
    'src/components/Button.tsx',
    'src/components/ButtonGroup.tsx',
    'server/src/services/tasks.ts',
    'server/src/services/task-state.ts',
    'docs/tasks/README.md',
    'test/e2e/harness.ts',
    'README.md',
  ];

  it('needs every query character in order', () => {
    expect(search(paths, 'zzz')).toEqual([]);
    expect(search(paths, 'hrns')).toEqual(['test/e2e/harness.ts']);
    expect(scorePath('abc', 'abc', 'cb')).toBeNull();
  });

  it('ranks an exact file name first, then a file-name prefix, then matches across directories', () => {
    expect(search(paths, 'tasks')[0]).toBe('server/src/services/tasks.ts');
    expect(search(paths, 'button')[0]).toBe('src/components/Button.tsx');
    expect(search(paths, 'readme')[0]).toBe('README.md');
  });

  it('reports the matched positions for highlighting', () => {
    const m = scorePath('src/app.ts', 'src/app.ts', 'app')!;
    expect(m.positions).toEqual([4, 5, 6]);
  });

  it('prefers a match in the file name and at word starts, and respects the limit', () => {
    expect(search(paths, 'sts', 2)).toHaveLength(2);
    expect(search(['lib/xsxtxs/a.ts', 'lib/status.ts'], 'sts')[0]).toBe('lib/status.ts');
    // The first "s" is the word start of "state", not the "s" inside "task".
    expect(scorePath('task-state.ts', 'task-state.ts', 'ss')!.positions[0]).toBe(5);
  });

  it('an empty query lists short paths first', () => {
    expect(search(paths, '', 3)[0]).toBe('README.md');
  });

  it('handles 20,000 paths', () => {
    const many = Array.from(
      { length: 20_000 },
      (_, i) => `packages/pkg-${i % 50}/src/module-${i}/file-${i}.ts`,
    );
    const found = search(many, 'file-19999');
    expect(found[0]).toBe('packages/pkg-49/src/module-19999/file-19999.ts');
  });
});
