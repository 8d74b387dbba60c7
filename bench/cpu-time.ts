/**
 * CPU time from /proc/<pid>/stat: what a process used itself (user + system) and what its children used
 * once it waited for them (theirs and their own waited-for descendants'). What a task costs the machine,
 * read without the wall-clock noise of a shared host: a run's time moves by ±100 ms between rounds here,
 * its CPU by a few ticks.
 */
import { statFields } from '../server/src/runner/process-tree.js';

/** Clock ticks a second in /proc's times (Linux's USER_HZ). */
const TICKS_PER_S = 100;

export interface CpuTime {
  /** ms the process itself used. */
  own: number;
  /** ms its waited-for children used. */
  children: number;
}

/** The CPU time of `pid` so far (`self`: this process). */
export function cpuTime(pid: number | 'self'): CpuTime {
  const fields = statFields(pid);
  if (!fields) throw new Error(`no process ${pid}`);
  const ms = (field: number) => (Number(fields[field - 3]) * 1000) / TICKS_PER_S;
  return { own: ms(14) + ms(15), children: ms(16) + ms(17) };
}

/** The CPU `pid` and its waited-for children used while `work` ran. */
export async function cpuDuring<T>(
  pid: number | 'self',
  work: () => Promise<T>,
): Promise<T & { cpu: CpuTime }> {
  const before = cpuTime(pid);
  const result = await work();
  const after = cpuTime(pid);
  return { ...result, cpu: { own: after.own - before.own, children: after.children - before.children } };
}
