/**
 * Agent processes run in their own process group so that a cancel reaches everything they started
 * (shells, test runners, dev servers) and nothing is left behind.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { descendantsOf, readStat } from './process-tree.js';

const hasProc = existsSync('/proc/self/stat');

/**
 * How much less CPU an agent's processes get than the server when the machine is busy (a nice value,
 * inherited by everything the agent starts): the cockpit stays responsive with every core taken by agents,
 * and an idle machine runs them at full speed all the same.
 */
export const AGENT_NICENESS = 10;

/** The scheduler autogroup a process is in ("/autogroup-42" and its nice value), or null where there is none. */
function autogroupOf(pid: number | 'self'): { name: string; nice: number } | null {
  try {
    const [name = '', , nice] = readFileSync(`/proc/${pid}/autogroup`, 'utf8').trim().split(' ');
    return { name, nice: Number(nice ?? 0) };
  } catch {
    return null;
  }
}

/** How many times, SESSION_RETRY_MS apart, a session's nice value is tried when the kernel says later. */
const SESSION_TRIES = 50;
const SESSION_RETRY_MS = 110;

/**
 * Sets the nice value of the session `pid` leads to AGENT_NICENESS, unless it is the server's own or
 * already that low. Linux lets a process without CAP_SYS_ADMIN change one autogroup per 100 ms (EAGAIN
 * otherwise): it tries again later, never holding the event loop; the first try is made at once.
 * Resolves with whether it lowered the session.
 */
async function lowerSession(pid: number, own = autogroupOf('self')?.name): Promise<boolean> {
  const group = autogroupOf(pid);
  if (group === null || group.name === own || group.nice >= AGENT_NICENESS) return false;
  for (let i = 0; i < SESSION_TRIES; i++) {
    try {
      writeFileSync(`/proc/${pid}/autogroup`, String(AGENT_NICENESS));
      return true;
    } catch (err) {
      // Gone already, or not allowed: its session weighs as much as the server's.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return false;
    }
    await new Promise((resolve) => setTimeout(resolve, SESSION_RETRY_MS).unref());
  }
  return false;
}

/**
 * Lowers a just-spawned agent process's priority to AGENT_NICENESS (where the system lets it).
 * Where the kernel groups processes by session (autogroup, on by default in most Linux distributions), a
 * nice value only counts within its session, and an agent started in a session of its own would weigh as
 * much as the whole server: that session's own nice value is lowered too, never the server's (agents
 * started together wait their turn: one session per 100 ms for an unprivileged server).
 */
export function yieldToServer(pid: number): void {
  try {
    setPriority(pid, AGENT_NICENESS);
  } catch {
    // Not allowed here (or gone already): it runs at the server's priority.
  }
  lowerSession(pid).catch(() => false);
}

/**
 * Lowers the sessions of `roots` (the agents' processes) and those opened below them, as yieldToServer does:
 * Claude Code's sandbox starts each Bash command in a session of its own (`bwrap --new-session`), which
 * the kernel weighs as much as the server's until lowered. One pass over /proc (the health monitor calls
 * it at each check, so a long command is lowered within one). Returns how many sessions it lowered.
 */
export async function yieldSessionsBelow(roots: readonly number[]): Promise<number> {
  if (!hasProc || roots.length === 0) return 0;
  const own = autogroupOf('self')?.name;
  // The agents' own sessions too: one started while the kernel said "later" may still wait its turn.
  const leaders = [...roots, ...descendantsOf(...roots).flatMap((d) => (d.leadsSession ? [d.pid] : []))];
  let lowered = 0;
  for (const pid of leaders) if (await lowerSession(pid, own)) lowered++;
  return lowered;
}

/**
 * Whether a process exists and is not a zombie. A zombie has exited: it only waits for a parent to reap it,
 * and when the server died that parent may be an init that never does.
 */
export function isAlive(pid: number): boolean {
  if (hasProc) {
    const st = readStat(pid);
    return st !== null && st.state !== 'Z' && st.state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether any process of the group is still running (zombies do not count). Cheap in the usual cases, as
 * the health monitor asks it of every running agent: a group with no process at all and a group whose
 * leader runs are told without reading all of /proc.
 */
export function isGroupAlive(pgid: number): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    // ESRCH: not a single process (not even a zombie) is left in the group. EPERM: some are, not ours.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!hasProc) return true;
  const running = (st: { state: string; pgid: number } | null) =>
    st !== null && st.pgid === pgid && st.state !== 'Z' && st.state !== 'X';
  if (running(readStat(pgid))) return true;
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && running(readStat(Number(entry)))) return true;
  }
  return false;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  // -0 is the server's own group and -1 every process it may signal: never a target.
  if (!Number.isInteger(pgid) || pgid <= 1) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Processes that belong with a group though they left it (a run's cgroup or marked processes). */
export interface Stragglers {
  pids(): number[];
  signal(signal: NodeJS.Signals): void;
}

/**
 * Sends SIGINT to the whole group (and to `stragglers`, the run's processes that left it) now, SIGTERM
 * after `termAfterMs`, SIGKILL after `killAfterMs`, stopping early once all are gone. Resolves when they
 * are gone (or after the SIGKILL).
 */
export function killProcessGroup(
  pgid: number,
  opts: { termAfterMs: number; killAfterMs: number },
  stragglers?: Stragglers,
): Promise<void> {
  const send = (signal: NodeJS.Signals) => {
    signalGroup(pgid, signal);
    stragglers?.signal(signal);
  };
  const alive = () => isGroupAlive(pgid) || (stragglers?.pids().length ?? 0) > 0;
  return new Promise((resolve) => {
    const started = Date.now();
    let sentTerm = false;
    send('SIGINT');
    const timer = setInterval(() => {
      const elapsed = Date.now() - started;
      if (!alive()) {
        clearInterval(timer);
        resolve();
      } else if (elapsed >= opts.killAfterMs) {
        send('SIGKILL');
        clearInterval(timer);
        setTimeout(resolve, 50);
      } else if (!sentTerm && elapsed >= opts.termAfterMs) {
        sentTerm = true;
        send('SIGTERM');
      }
    }, 50);
  });
}

/**
 * Kills a process group left by an earlier server (after a crash), but only if its leader still looks like
 * an agent process: a recycled pid must never be killed. Returns whether anything was killed.
 */
export function reapOrphanGroup(pgid: number, looksLikeAgent: (cmdline: string) => boolean): boolean {
  if (!isGroupAlive(pgid)) return false;
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
