import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideApproval } from '../domain/approval-policy.js';
import { realTargets, realToolPaths } from './tool-paths.js';

describe('realTargets', () => {
  let root: string;
  let wt: string;
  let data: string;
  beforeAll(() => {
    root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gluon-toolpaths-')));
    data = path.join(root, 'data');
    wt = path.join(data, 'worktrees', 'wt-a');
    mkdirSync(path.join(wt, 'src'), { recursive: true });
    mkdirSync(path.join(root, 'outside'));
    writeFileSync(path.join(data, 'token'), 'secret');
    symlinkSync(path.join(root, 'outside'), path.join(wt, 'out'));
    symlinkSync(data, path.join(wt, 'data-link'));
    symlinkSync(path.join(root, 'outside', 'new', 'file.txt'), path.join(wt, 'dangling'));
    symlinkSync(path.join(data, 'worktrees'), path.join(wt, 'src', 'trees'));
    symlinkSync('loop-b', path.join(wt, 'loop-a'));
    symlinkSync('loop-a', path.join(wt, 'loop-b'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['src/a.ts', (r: string) => [`${r}/data/worktrees/wt-a/src/a.ts`]],
    ['out/x.txt', (r: string) => [`${r}/outside/x.txt`]],
    ['out/deeper/still/x.txt', (r: string) => [`${r}/outside/deeper/still/x.txt`]],
    ['data-link/token', (r: string) => [`${r}/data/token`]],
    ['dangling', (r: string) => [`${r}/outside/new/file.txt`]],
    // Read as text first (`src/x`), and as the kernel would after following src/trees (`data/x`).
    ['src/trees/../x', (r: string) => [`${r}/data/worktrees/wt-a/src/x`, `${r}/data/x`]],
  ])('%s', (target, expected) => {
    expect(realTargets(target, wt, undefined)).toEqual(expected(root));
  });

  it('takes absolute paths as they are and ~ as the agent’s home', () => {
    expect(realTargets(`${wt}/out/y`, '/', undefined)).toEqual([`${root}/outside/y`]);
    expect(realTargets('~/token', wt, data)).toEqual([`${data}/token`]);
  });

  it('never calls a symlink loop inside', () => {
    const [place] = realTargets('loop-a/x', wt, undefined);
    expect(place).toContain('\0');
  });

  it('lets the policy see through a symlink in the worktree', () => {
    const input = { file_path: path.join(wt, 'data-link', 'token') };
    const realPaths = realToolPaths('Read', input, wt, undefined);
    const fence = [
      { path: data, open: false },
      { path: wt, open: true },
    ];
    const read = decideApproval('auto', { name: 'Read', input }, { worktreePath: wt, realPaths, fence });
    expect(read.action).toBe('deny');
    const write = { file_path: path.join(wt, 'out', 'x.txt'), content: 'x' };
    const writePaths = realToolPaths('Write', write, wt, undefined);
    const verdict = decideApproval(
      'auto',
      { name: 'Write', input: write },
      { worktreePath: wt, realPaths: writePaths },
    );
    expect(verdict).toEqual({ action: 'ask', reason: `writes outside the worktree: ${root}/outside/x.txt` });
  });
});
