/**
 * Memory of processes, read from /proc: one process's resident set (RSS), and the proportional memory (PSS)
 * of a process and everything it started — what a run costs the machine, with the pages the processes
 * share (the node binary, libraries) counted once among them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { statFields } from '../server/src/runner/process-tree.js';

/** The pids below `root` (children, grandchildren…), from each process's parent in /proc/<pid>/stat. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    if (!fields) continue; // gone meanwhile
    const ppid = Number(fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** Resident memory (VmRSS) of one process in MB. */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
}

/** PSS of one process in MB (0 once it is gone). */
export function pssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Pss:'));
    return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** PSS of `root` and all its descendants in MB, with how many processes that was. */
export function treePssMb(root: number): { mb: number; processes: number } {
  const pids = [root, ...descendants(root)];
  return { mb: pids.reduce((sum, pid) => sum + pssMb(pid), 0), processes: pids.length };
}
