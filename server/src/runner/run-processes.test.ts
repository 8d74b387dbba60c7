import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, isGroupAlive, killProcessGroup } from './process-group.js';
import {
  markedProcesses,
  reapRunProcesses,
  RUN_MARKER,
  trackRunProcesses,
  type RunProcesses,
} from './run-processes.js';

const linux = existsSync('/proc/self/environ');

/** Live `sleep <seconds>` processes (by exact command line). */
const sleepers = (seconds: string) =>
  readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8') === `sleep\0${seconds}\0`;
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(isAlive);

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

/** A shell in its own group that starts `script` (which may escape the group), as an agent would. */
function startRoot(tracker: RunProcesses, script: string): number {
  const child = spawn('sh', ['-c', script], {
    detached: true,
    stdio: 'ignore',
    env: { PATH: process.env.PATH, ...tracker.env },
  });
  tracker.adopt(child.pid!);
  child.unref();
  return child.pid!;
}

describe.runIf(linux)('a run’s processes', () => {
  const trackers: RunProcesses[] = [];
  const track = (id?: string) => {
    const t = trackRunProcesses(id);
    trackers.push(t);
    return t;
  };
  afterEach(() => {
    for (const t of trackers.splice(0)) {
      t.signal('SIGKILL');
      t.dispose();
    }
  });

  it('are found by their marker, and a cancel reaches the ones that left the group', async () => {
    const seconds = String(4000 + Math.floor(Math.random() * 900));
    const tracker = track(`test${seconds}`);
    expect(tracker.env).toEqual({ [RUN_MARKER]: `test${seconds}` });
    const root = startRoot(tracker, `(setsid sleep ${seconds} </dev/null >/dev/null 2>&1 &); sleep 300`);
    await until(() => sleepers(seconds).length === 1, 'the escaped sleep');
    const [escaped] = sleepers(seconds);
    expect(markedProcesses(`test${seconds}`)).toContain(escaped);
    expect(tracker.pids()).toEqual(expect.arrayContaining([root, escaped]));
    await killProcessGroup(root, { termAfterMs: 500, killAfterMs: 1500 }, tracker);
    expect(isGroupAlive(root)).toBe(false);
    expect(isAlive(escaped!)).toBe(false);
    expect(tracker.pids()).toEqual([]);
  });

  it('without the tracker the escaped process would survive the group kill', async () => {
    const seconds = String(5000 + Math.floor(Math.random() * 900));
    const tracker = track();
    const root = startRoot(tracker, `(setsid sleep ${seconds} </dev/null >/dev/null 2>&1 &); sleep 300`);
    await until(() => sleepers(seconds).length === 1, 'the escaped sleep');
    await killProcessGroup(root, { termAfterMs: 200, killAfterMs: 400 });
    expect(sleepers(seconds)).toHaveLength(1);
  });

  it('are held by the run’s cgroup even when they clear their environment (when a cgroup can be made)', async () => {
    const tracker = track();
    if (tracker.cgroup === null) return;
    const seconds = String(6000 + Math.floor(Math.random() * 900));
    // The root is adopted right after spawn; like Claude Code, it starts nothing of its own that fast.
    const script = `sleep 0.3; (env -i setsid sleep ${seconds} </dev/null >/dev/null 2>&1 &); sleep 300`;
    const root = startRoot(tracker, script);
    await until(() => sleepers(seconds).length === 1, 'the escaped sleep');
    expect(markedProcesses(tracker.env[RUN_MARKER]!)).not.toContain(sleepers(seconds)[0]);
    await killProcessGroup(root, { termAfterMs: 200, killAfterMs: 600 }, tracker);
    expect(sleepers(seconds)).toEqual([]);
    tracker.dispose();
    const cgroup = tracker.cgroup;
    await until(() => !existsSync(cgroup), 'the cgroup to go');
  });

  it('move what the root forked before its own move into the cgroup, then trust the cgroup alone (when one can be made)', async () => {
    const tracker = track();
    if (tracker.cgroup === null) return;
    const seconds = String(7000 + Math.floor(Math.random() * 900));
    const env = { PATH: process.env.PATH, ...tracker.env };
    // The root forks (out of its group) before it is adopted, as if the move came late.
    const script = `(setsid sleep ${seconds} </dev/null >/dev/null 2>&1 &); sleep 300`;
    const root = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore', env });
    root.unref();
    await until(() => sleepers(seconds).length === 1, 'the early sleep');
    tracker.adopt(root.pid!);
    await until(() => tracker.sealed, 'the cgroup to hold every marked process');
    const inCgroup = readFileSync(join(tracker.cgroup, 'cgroup.procs'), 'utf8').split('\n').map(Number);
    expect(inCgroup).toEqual(expect.arrayContaining([root.pid, sleepers(seconds)[0]]));
    // From now on the cgroup alone lists the run; a marked process outside it (one that took itself out)
    // is killed when the run is disposed.
    const later = String(Number(seconds) + 1000);
    spawn('sleep', [later], { detached: true, stdio: 'ignore', env }).unref();
    await until(() => sleepers(later).length === 1, 'the later sleep');
    expect(tracker.pids()).not.toContain(sleepers(later)[0]);
    expect(tracker.anyAlive(root.pid!)).toBe(true);
    await killProcessGroup(root.pid!, { termAfterMs: 200, killAfterMs: 600 }, tracker);
    expect(sleepers(seconds)).toEqual([]);
    expect(tracker.anyAlive(root.pid!)).toBe(false);
    tracker.dispose();
    await until(() => sleepers(later).length === 0, 'the later sleep to be killed');
    const cgroup = tracker.cgroup;
    await until(() => !existsSync(cgroup), 'the cgroup to go');
  });

  it('left by an earlier server are reaped by run id, and nothing else is', async () => {
    const seconds = String(7000 + Math.floor(Math.random() * 900));
    const id = `crashed${seconds}`;
    const tracker = track(id);
    const root = startRoot(tracker, `(setsid sleep ${seconds} </dev/null >/dev/null 2>&1 &); sleep 300`);
    await until(() => sleepers(seconds).length === 1, 'the escaped sleep');
    expect(reapRunProcesses('another-run')).toBe(0);
    expect(reapRunProcesses(id)).toBeGreaterThanOrEqual(2);
    await until(() => sleepers(seconds).length === 0 && !isAlive(root), 'the reaped processes to go');
    // The cgroup goes once its last process is reaped: a later sweep finds nothing to kill and removes it.
    const cgroup = tracker.cgroup;
    if (cgroup) await until(() => reapRunProcesses(id) === 0 && !existsSync(cgroup), 'the cgroup to go');
  });

  it('take a random id when the given one is not a plain identifier', () => {
    expect(track('../../etc').env[RUN_MARKER]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('never count the server’s own group, nor every process', () => {
    expect(isGroupAlive(0)).toBe(false);
    expect(isGroupAlive(1)).toBe(false);
  });
});
