import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyIncludedFiles, isSafeIncludePattern } from './worktree-include.js';
import { createDirs, raw, repoWith, writeFiles } from './testing/git-fixtures.js';
import { createWorktree } from './worktrees.js';

const dirs = createDirs();
afterAll(() => dirs.cleanup());

async function setup() {
  const repo = await repoWith(dirs, {
    '.gitignore': '.env\n*.local.json\nsecrets/\n',
    'config/app.json': '{}\n',
  });
  await writeFiles(repo, {
    '.env': 'TOKEN=abc\n',
    'config/dev.local.json': '{"dev":true}\n',
    'config/deep/x.local.json': '{"deep":true}\n',
    'secrets/key.pem': 'k\n',
  });
  const wt = join(await dirs.make(), 'wt');
  await createWorktree({ repo, path: wt, branch: 'gluon-task/inc1', baseRef: 'main' });
  return { repo, wt };
}

describe('isSafeIncludePattern', () => {
  it.each(['.env', 'config/*.local.json', '**/.env', 'a?c', 'secrets/**'])('accepts %j', (p) => {
    expect(isSafeIncludePattern(p)).toBe(true);
  });
  it.each([
    '',
    '../x',
    'a/../../etc/passwd',
    '/etc/passwd',
    '-rf',
    'a\\b',
    'a\0b',
    './x',
    'a//b',
    'x**',
    'a/**b',
  ])('refuses %j', (p) => expect(isSafeIncludePattern(p)).toBe(false));
});

describe('copyIncludedFiles', () => {
  it('copies the untracked files the patterns name, and nothing else', async () => {
    const { repo, wt } = await setup();
    const result = await copyIncludedFiles(repo, wt, ['.env', 'config/**/*.local.json']);
    expect(result.copied).toEqual(['.env', 'config/deep/x.local.json', 'config/dev.local.json']);
    expect(await readFile(join(wt, '.env'), 'utf8')).toBe('TOKEN=abc\n');
    expect(await readFile(join(wt, 'config/deep/x.local.json'), 'utf8')).toBe('{"deep":true}\n');
    expect(existsSync(join(wt, 'secrets'))).toBe(false);
    expect(raw(wt, ['status', '--porcelain'])).toBe(''); // ignored files: the worktree stays clean
  });

  it('never overwrites a file already in the worktree', async () => {
    const { repo, wt } = await setup();
    await writeFile(join(repo, 'config/app.json'), 'user edit\n');
    const result = await copyIncludedFiles(repo, wt, ['config/app.json']);
    expect(result).toEqual({
      copied: [],
      skipped: [{ path: 'config/app.json', reason: 'already in the worktree' }],
    });
    expect(await readFile(join(wt, 'config/app.json'), 'utf8')).toBe('{}\n');
  });

  it('refuses unsafe patterns and symlinks pointing out of the checkout', async () => {
    const { repo, wt } = await setup();
    const outside = await dirs.make();
    await writeFile(join(outside, 'passwd'), 'root:x\n');
    await symlink(join(outside, 'passwd'), join(repo, '.env.link'));
    await mkdir(join(outside, 'dir'));
    await writeFile(join(outside, 'dir', '.env'), 'outside\n');
    await symlink(join(outside, 'dir'), join(repo, 'linked'));
    const result = await copyIncludedFiles(repo, wt, [
      '../*',
      '/etc/passwd',
      '.env.link',
      'linked/.env',
      '**/.env',
    ]);
    expect(result.copied).toEqual(['.env']);
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { path: '../*', reason: 'unsafe pattern' },
        { path: '/etc/passwd', reason: 'unsafe pattern' },
        { path: '.env.link', reason: 'symbolic link' },
      ]),
    );
    expect(existsSync(join(wt, 'linked'))).toBe(false);
    expect(existsSync(join(wt, '.env.link'))).toBe(false);
  });

  it('a symlink inside the worktree cannot redirect a copy out of it', async () => {
    const repo = await repoWith(dirs, { '.gitignore': '*.local\n' });
    const outside = await dirs.make();
    await symlink(outside, join(repo, 'conf'));
    raw(repo, ['add', 'conf']);
    raw(repo, ['commit', '-q', '-m', 'a tracked symlink']);
    raw(repo, ['rm', '-q', '--cached', 'conf']);
    await unlink(join(repo, 'conf'));
    await writeFiles(repo, { 'conf/app.local': 'secret\n' });
    const wt = join(await dirs.make(), 'wt');
    await createWorktree({ repo, path: wt, branch: 'gluon-task/inc2', baseRef: 'HEAD' });
    const result = await copyIncludedFiles(repo, wt, ['conf/*.local']);
    expect(result).toEqual({
      copied: [],
      skipped: [{ path: 'conf/app.local', reason: 'destination through a symbolic link' }],
    });
    expect(await readdir(outside)).toEqual([]);
  });
});
