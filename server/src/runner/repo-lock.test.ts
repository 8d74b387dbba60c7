import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, GitError } from './git.js';
import { isRepoLocked, isTransientLockError, retryOnLockFile, withRepoLock } from './repo-lock.js';

const dirs: string[] = [];

async function repo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gluon-lock-'));
  dirs.push(dir);
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  return dir;
}

/** A promise plus its resolver, to hold a critical section open until the test says so. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('withRepoLock', () => {
  it('runs one holder at a time, in arrival order', async () => {
    const events: string[] = [];
    const [started, first] = [gate(), gate()];
    const runs = ['a', 'b', 'c'].map((name, i) =>
      withRepoLock('/tmp/gluon-lock-test-repo', async () => {
        events.push(`start ${name}`);
        if (i === 0) {
          started.open();
          await first.promise;
        }
        await new Promise((resolve) => setImmediate(resolve));
        events.push(`end ${name}`);
        return name;
      }),
    );
    await started.promise;
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['start a']);
    expect(isRepoLocked('/tmp/gluon-lock-test-repo')).toBe(true);
    first.open();
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(isRepoLocked('/tmp/gluon-lock-test-repo')).toBe(false);
  });

  it('does not make different repositories wait for each other', async () => {
    const held = gate();
    const slow = withRepoLock('/tmp/gluon-lock-one', () => held.promise);
    const other = await withRepoLock('/tmp/gluon-lock-two', async () => 'done');
    expect(other).toBe('done');
    expect(isRepoLocked('/tmp/gluon-lock-one')).toBe(true);
    held.open();
    await slow;
  });

  it('releases the lock when the holder throws, and the same path spelled differently shares it', async () => {
    const failing = withRepoLock('/tmp/gluon-lock-three', async () => {
      throw new Error('boom');
    });
    const next = withRepoLock('/tmp/../tmp/gluon-lock-three/', async () => 'after');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('after');
  });

  it('is re-entrant instead of deadlocking', async () => {
    const result = await withRepoLock('/tmp/gluon-lock-four', () =>
      withRepoLock('/tmp/gluon-lock-four', async () => 'inner'),
    );
    expect(result).toBe('inner');
  });
});

describe('retryOnLockFile', () => {
  it('retries while another process holds index.lock, then succeeds', async () => {
    const dir = await repo();
    await writeFile(join(dir, 'f.txt'), 'f\n');
    const lock = join(dir, '.git', 'index.lock');
    await writeFile(lock, '');
    let attempts = 0;
    const result = await retryOnLockFile(
      async () => {
        attempts++;
        if (attempts === 2) await rm(lock);
        return git(dir, ['add', 'f.txt']);
      },
      { baseDelayMs: 1 },
    );
    expect(result.code).toBe(0);
    expect(attempts).toBe(2);
  });

  it('gives up after the bounded number of attempts with the lock error', async () => {
    const dir = await repo();
    await writeFile(join(dir, 'f.txt'), 'f\n');
    await writeFile(join(dir, '.git', 'index.lock'), '');
    let attempts = 0;
    const outcome = retryOnLockFile(
      () => {
        attempts++;
        return git(dir, ['add', 'f.txt']);
      },
      { attempts: 3, baseDelayMs: 1 },
    );
    const error = await outcome.catch((e: unknown) => e);
    expect(isTransientLockError(error)).toBe(true);
    expect((error as GitError).stderr).toMatch(/index\.lock': File exists/);
    expect(attempts).toBe(3);
  });

  it('does not retry other failures', async () => {
    const dir = await repo();
    let attempts = 0;
    const outcome = retryOnLockFile(
      () => {
        attempts++;
        return git(dir, ['rev-parse', '--verify', 'missing']);
      },
      { baseDelayMs: 1 },
    );
    await expect(outcome).rejects.toBeInstanceOf(GitError);
    expect(attempts).toBe(1);
    expect(isTransientLockError(new Error("Unable to create 'x.lock': File exists"))).toBe(false);
  });
});
