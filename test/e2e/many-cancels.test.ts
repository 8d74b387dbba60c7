import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../server/src/runner/process-group.js';
import { git, startGluon, waitForTask, type Gluon } from './harness.js';

/** Live processes whose working directory is inside `dir`. */
function livingIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        return readlinkSync(`/proc/${e}/cwd`).startsWith(dir);
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(isAlive);
}

describe('cancelling many running tasks at once', () => {
  let g: Gluon;
  const n = 8;
  beforeAll(async () => {
    g = await startGluon({ maxConcurrentTasks: n });
  });
  afterAll(async () => g?.close());

  it(`cancels ${n} running agents together: all final, no process left, every one's work kept`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push(
        (
          await g.client.createTask({
            project: 'sample',
            prompt: `[[scenario:loop-forever delay=100]] agent ${i}`,
          })
        ).id,
      );
    const running = await Promise.all(
      ids.map((id) =>
        waitForTask(
          g.client,
          id,
          (t) =>
            t.status === 'running' && !!t.worktreePath && existsSync(path.join(t.worktreePath, 'ticks.txt')),
          'the agent to work',
          120_000,
        ),
      ),
    );
    // The 10 s bound itself is the kill ladder's (SIGKILL at 10 s), checked for one task in
    // caps-and-cancel.test.ts; here: every cancel returns a final task, and nothing survives.
    const cancelled = await Promise.all(ids.map((id) => g.client.cancel(id)));
    expect(cancelled.map((t) => t.status)).toEqual(ids.map(() => 'cancelled'));
    expect(cancelled.map((t) => t.stopReason)).toEqual(ids.map(() => 'cancelled'));
    expect(livingIn(path.join(g.home, 'worktrees'))).toEqual([]);
    for (const t of running) expect(await git(g.repo, 'show', `${t.branch}:ticks.txt`)).toContain('tick');
  });
});
