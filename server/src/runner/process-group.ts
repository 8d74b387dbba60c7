/**
 * Agent processes run in their own process group so that a cancel reaches everything they started
 * (shells, test runners, dev servers) and nothing is left behind.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';

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

/**
 * Sets a session's nice value to AGENT_NICENESS. Linux lets a process without CAP_SYS_ADMIN change one
 * autogroup per 100 ms (EAGAIN otherwise): 'again' says to try later.
 */
function writeSessionNice(pid: number): 'done' | 'again' | 'failed' {
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(AGENT_NICENESS));
    return 'done';
  } catch (err) {
    // Gone already, or not allowed: its session weighs as much as the server's.
    return (err as NodeJS.ErrnoException).code === 'EAGAIN' ? 'again' : 'failed';
  }
}

/** How many times, SESSION_RETRY_MS apart, a session's nice value is tried when the kernel says later. */
const SESSION_TRIES = 50;
const SESSION_RETRY_MS = 110;

/** writeSessionNice until it is done or fails for good (never holding the event loop). */
async function lowerSession(pid: number): Promise<boolean> {
  for (let i = 0; i < SESSION_TRIES; i++) {
    const result = writeSessionNice(pid);
    if (result !== 'again') return result === 'done';
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
  const group = autogroupOf(pid);
  if (group === null || group.name === autogroupOf('self')?.name) return;
  if (writeSessionNice(pid) === 'again') lowerSession(pid).catch(() => false);
}

/** Fields of a `/proc/<pid>/stat` line (after the command name, which may hold spaces and parens). */
function parseStat(stat: string): { state: string; ppid: number; pgid: number; sid: number } {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0] ?? '', ppid: Number(rest[1]), pgid: Number(rest[2]), sid: Number(rest[3]) };
}

/** A process's parent and session, read without blocking; null once gone. */
async function parentAndSession(pid: number): Promise<{ pid: number; ppid: number; sid: number } | null> {
  try {
    const { ppid, sid } = parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
    return { pid, ppid, sid };
  } catch {
    return null;
  }
}

/**
 * Lowers the sessions of `roots` (the agents' processes) and those opened below them, as yieldToServer does:
 * Claude Code's sandbox starts each Bash command in a session of its own (`bwrap --new-session`), which
 * the kernel weighs as much as the server's until lowered. One pass over /proc, read without blocking the
 * event loop (the health monitor calls it at each check, so a long command is lowered within one).
 * Returns how many sessions it lowered.
 */
export async function yieldSessionsBelow(roots: readonly number[]): Promise<number> {
  if (!hasProc || roots.length === 0) return 0;
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return 0;
  }
  const procs = await Promise.all(
    entries.filter((e) => /^\d+$/.test(e)).map((e) => parentAndSession(Number(e))),
  );
  const children = new Map<number, number[]>();
  const leaders = new Set<number>();
  for (const p of procs) {
    if (!p) continue;
    const siblings = children.get(p.ppid);
    if (siblings) siblings.push(p.pid);
    else children.set(p.ppid, [p.pid]);
    if (p.sid === p.pid) leaders.add(p.pid);
  }
  const own = autogroupOf('self')?.name;
  let lowered = 0;
  // The agents' own sessions too: one started while the kernel said "later" may still wait its turn.
  const pending = [...roots];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    pending.push(...(children.get(pid) ?? []));
    if (!leaders.has(pid)) continue;
    const group = autogroupOf(pid);
    if (group === null || group.name === own || group.nice >= AGENT_NICENESS) continue;
    if (await lowerSession(pid)) lowered++;
  }
  return lowered;
}

/** A process's state and process group; null once gone. */
function procStat(pid: number): { state: string; pgid: number } | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Whether a process exists and is not a zombie. A zombie has exited: it only waits for a parent to reap it,
 * and when the server died that parent may be an init that never does.
 */
export function isAlive(pid: number): boolean {
  if (hasProc) {
    const st = procStat(pid);
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
  if (running(procStat(pgid))) return true;
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && running(procStat(Number(entry)))) return true;
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
