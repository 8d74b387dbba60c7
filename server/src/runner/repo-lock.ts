/**
 * Serialises worktree operations per repository. git itself guards `.git/config`, `index.lock` and ref
 * locks by failing ("File exists") rather than waiting, so parallel `git worktree add` calls on one
 * repository race; inside this process they queue here instead, and the rare collision with another
 * process (the user's own git, an IDE) is retried a bounded number of times.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GitError } from './git.js';

const tails = new Map<string, Promise<void>>();
const held = new AsyncLocalStorage<ReadonlySet<string>>();
/**
 * Locked sections running now. On Node 20 an AsyncLocalStorage in use hooks every promise the process
 * makes (a tax on the event pipeline and everything else), so the storage is switched off whenever no
 * section runs; the next `run` switches it on again.
 */
let running = 0;

function lockKey(repoRoot: string): string {
  const abs = path.resolve(repoRoot);
  try {
    return realpathSync.native(abs);
  } catch {
    return abs;
  }
}

/**
 * Runs `fn` while holding the in-process lock of `repoRoot` (the project's root; symlinks resolved).
 * Waiters are served in arrival order. Re-entrant: a call made from inside `fn` for the same repository
 * runs at once instead of deadlocking.
 */
export async function withRepoLock<T>(repoRoot: string, fn: () => Promise<T>): Promise<T> {
  const key = lockKey(repoRoot);
  const outer = held.getStore();
  if (outer?.has(key)) return fn();
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  try {
    await previous;
    running += 1;
    try {
      return await held.run(new Set([...(outer ?? []), key]), fn);
    } finally {
      if (--running === 0) held.disable();
    }
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/** Whether some call currently holds or waits for the lock of `repoRoot`. */
export function isRepoLocked(repoRoot: string): boolean {
  return tails.has(lockKey(repoRoot));
}

const LOCK_FILE_BUSY =
  /Unable to create '[^']*\.lock': File exists|could not lock config file [^\n]*: File exists/;

/** Whether `error` is git refusing because another process holds one of its `*.lock` files right now. */
export function isTransientLockError(error: unknown): boolean {
  return error instanceof GitError && LOCK_FILE_BUSY.test(error.stderr);
}

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
}

/**
 * Runs `fn`, retrying up to `attempts` times in total (exponential backoff with jitter) when it fails with
 * a transient lock-file error; any other error, or the last one, is rethrown. `fn` must be idempotent —
 * a failed attempt may have done part of its work.
 */
export async function retryOnLockFile<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const baseDelayMs = opts.baseDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isTransientLockError(error)) throw error;
      await sleep(baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
    }
  }
}
