/**
 * The processes an agent started outside its own process group. Codex runs each command in a new session
 * of its own (a terminal, or its sandbox's), so a signal to Codex's group does not reach them: Codex ends
 * them itself when it stops cleanly, but a Codex that dies or is killed leaves them behind, and by then
 * they hang off init and nothing ties them to the run. So the run keeps a fresh list of its descendants and
 * ends whatever on it outlives the agent. Linux only (/proc); elsewhere the list is empty.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** A process as it was seen: its start time tells a reused pid from the process itself. */
export interface ProcessMark {
  pid: number;
  start: string;
}

export interface Stat {
  ppid: number;
  pgid: number;
  /** The session it belongs to (its own pid when it leads one). */
  sid: number;
  state: string;
  start: string;
}

/**
 * The fields of /proc/<pid>/stat after the command name (which may hold spaces and parens): field n of
 * proc(5) is at index n - 3. Null once the process is gone.
 */
export function statFields(pid: number | 'self'): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** What /proc/<pid>/stat tells of a process; null once gone. */
export function readStat(pid: number): Stat | null {
  const f = statFields(pid);
  return (
    f && {
      state: f[0] ?? '',
      ppid: Number(f[1]),
      pgid: Number(f[2]),
      sid: Number(f[3]),
      start: f[19] ?? '',
    }
  );
}

/** A descendant as descendantsOf sees it: whether it leads a session of its own as well. */
export interface Descendant extends ProcessMark {
  leadsSession: boolean;
}

/** Every living descendant of the roots (children, their children, …), read from /proc in one pass. */
export function descendantsOf(...roots: number[]): Descendant[] {
  const children = new Map<number, Descendant[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const st = readStat(Number(entry));
    if (!st || st.state === 'Z' || st.state === 'X') continue;
    const list = children.get(st.ppid) ?? [];
    list.push({ pid: Number(entry), start: st.start, leadsSession: st.sid === Number(entry) });
    children.set(st.ppid, list);
  }
  const found: Descendant[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/**
 * The list kept up to date: the marks that still run, plus the descendants seen now. A process that
 * was orphaned since (its parent died) stays on it while it runs.
 */
export function refreshMarks(marks: ProcessMark[], root: number): ProcessMark[] {
  const kept = marks.filter((m) => stillRuns(m));
  const known = new Set(kept.map((m) => `${m.pid}:${m.start}`));
  return [...kept, ...descendantsOf(root).filter((m) => !known.has(`${m.pid}:${m.start}`))];
}

/** Whether a marked process still runs as itself (same start time, not a zombie). */
function stillRuns(mark: ProcessMark): Stat | null {
  const st = readStat(mark.pid);
  return st && st.start === mark.start && st.state !== 'Z' && st.state !== 'X' ? st : null;
}

/**
 * Kills (SIGKILL) each marked process that still runs as itself, with its process group when it leads
 * one, and waits up to `waitMs` for them to be gone. Resolves with how many it found alive.
 */
export async function endMarked(marks: ProcessMark[], waitMs = 2000): Promise<number> {
  const alive = marks.filter((m) => stillRuns(m));
  killMarked(alive);
  const deadline = Date.now() + waitMs;
  while (alive.some((m) => stillRuns(m)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  return alive.length;
}

function killMarked(marks: ProcessMark[]): void {
  for (const mark of marks) {
    const st = stillRuns(mark);
    if (!st) continue;
    for (const target of st.pgid === mark.pid ? [-mark.pid, mark.pid] : [mark.pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
