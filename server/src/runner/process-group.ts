/**
 * Agent processes run in their own process group so that a cancel reaches everything they started
 * (shells, test runners, dev servers) and nothing is left behind.
 */
import { readFileSync } from 'node:fs';

/** Whether a process (or group, with a negative id) exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Sends SIGINT to the whole group now, SIGTERM after `termAfterMs`, SIGKILL after `killAfterMs`, stopping
 * early once the group is empty. Resolves when the group is gone (or after the SIGKILL).
 */
export function killProcessGroup(
  pgid: number,
  opts: { termAfterMs: number; killAfterMs: number },
): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now();
    let sentTerm = false;
    signalGroup(pgid, 'SIGINT');
    const timer = setInterval(() => {
      const elapsed = Date.now() - started;
      if (!isAlive(-pgid)) {
        clearInterval(timer);
        resolve();
      } else if (elapsed >= opts.killAfterMs) {
        signalGroup(pgid, 'SIGKILL');
        clearInterval(timer);
        setTimeout(resolve, 50);
      } else if (!sentTerm && elapsed >= opts.termAfterMs) {
        sentTerm = true;
        signalGroup(pgid, 'SIGTERM');
      }
    }, 50);
  });
}

/**
 * Kills a process group left by an earlier server (after a crash), but only if its leader still looks like
 * an agent process: a recycled pid must never be killed. Returns whether anything was killed.
 */
export function reapOrphanGroup(pgid: number, looksLikeAgent: (cmdline: string) => boolean): boolean {
  if (!isAlive(-pgid)) return false;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pgid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    // No /proc entry for the leader: the group may live on without it; check a member is ours below.
  }
  if (cmdline && !looksLikeAgent(cmdline)) return false;
  signalGroup(pgid, 'SIGKILL');
  return true;
}
