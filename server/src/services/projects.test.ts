import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { inspectProjectPath } from './projects.js';

const NOBODY = 65534;
const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

describe('the path of a new project', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gluon-projects-'));
    chmodSync(dir, 0o755);
    const repo = path.join(dir, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: repo });
    git('init', '-q', '-b', 'main');
    writeFileSync(path.join(repo, 'README.md'), 'x');
    git('add', '-A');
    git('commit', '-q', '-m', 'initial');
    writeFileSync(path.join(dir, 'a-file'), 'x');
    mkdirSync(path.join(dir, 'plain'));
    symlinkSync(path.join(dir, 'loop'), path.join(dir, 'loop'));
    mkdirSync(path.join(dir, 'locked', 'inside'), { recursive: true });
    chmodSync(path.join(dir, 'locked'), 0o700);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const refusal = async (p: string) => {
    try {
      await inspectProjectPath(p);
    } catch (err) {
      if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message };
      throw err;
    }
    return null;
  };

  it('accepts a repository with a commit', async () => {
    expect(await inspectProjectPath(path.join(dir, 'repo'))).toMatchObject({
      ok: true,
      defaultBranch: 'main',
    });
  });

  it.each([
    ['nonexistent', () => path.join(dir, 'nope'), 'not_found', /does not exist/],
    ['a file', () => path.join(dir, 'a-file'), 'not_a_repository', /not a directory/],
    ['through a file', () => path.join(dir, 'a-file', 'x'), 'not_found', /does not exist/],
    ['not a git repository', () => path.join(dir, 'plain'), 'not_a_repository', /not a git repository/],
    ['NUL', () => `${dir}/re\0po`, 'invalid_input', /NUL/],
    ['relative', () => 'repo', 'invalid_input', /absolute/],
    ['dot relative', () => './repo', 'invalid_input', /absolute/],
    ['a name longer than the file system allows', () => `/${'a'.repeat(300)}`, 'invalid_input', /too long/],
    ['a path longer than the file system allows', () => `/${'a/'.repeat(2100)}`, 'invalid_input', /too long/],
    ['a symlink loop', () => path.join(dir, 'loop'), 'invalid_input', /symbolic links/],
  ])('%s: a 400 that says so', async (_what, p, code, message) => {
    const answer = await refusal(p());
    expect(answer).toMatchObject({ status: 400, code });
    expect(answer?.message).toMatch(message);
  });

  it('no permission: a 400 that says so (checked as an unprivileged user)', async () => {
    const target = path.join(dir, 'locked', 'inside');
    if (process.getuid?.() !== 0) {
      chmodSync(path.join(dir, 'locked'), 0o000);
      expect(await refusal(target)).toMatchObject({ status: 400, code: 'permission_denied' });
      return;
    }
    // Root reads everything: ask the same question from a child running as nobody.
    const script = path.join(dir, 'inspect.mjs');
    writeFileSync(
      script,
      `const { inspectProjectPath } = await import(process.argv[2]);
try { await inspectProjectPath(process.argv[3]); console.log('{}'); }
catch (e) { console.log(JSON.stringify({ status: e.status, code: e.code, message: e.message })); }`,
    );
    chmodSync(script, 0o644);
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', script, path.join(ROOT, 'server/src/services/projects.ts'), target],
      { cwd: ROOT, uid: NOBODY, gid: NOBODY, env: { PATH: process.env.PATH }, encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({
      status: 400,
      code: 'permission_denied',
      message: `the server may not read ${target}`,
    });
  });
});
