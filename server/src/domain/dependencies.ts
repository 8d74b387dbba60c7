/**
 * Tasks that wait for other tasks: whether a task may start, why not, and cycles. Pure.
 */

type Status = 'queued' | 'running' | 'review' | 'done' | 'failed' | 'cancelled';

export interface Dependency {
  id: string;
  title: string;
  status: Status;
}

export type WaitState =
  { blocked: false } | { blocked: true; stuck: boolean; reason: string; waitingFor: string[] };

const quote = (d: Dependency) => `“${d.title}” (${d.id.slice(0, 8)})`;

/**
 * Rules: a task with no dependencies, or whose every dependency is in review or done, may start; a
 * failed or cancelled dependency keeps it blocked and says so first (`stuck`: it will not clear by
 * itself); otherwise it waits for those still queued or running.
 */
export function waitState(deps: readonly Dependency[]): WaitState {
  const open = deps.filter((d) => d.status !== 'review' && d.status !== 'done');
  if (open.length === 0) return { blocked: false };
  const dead = open.filter((d) => d.status === 'failed' || d.status === 'cancelled');
  const reason = dead.length
    ? `blocked: ${dead.map((d) => `${quote(d)} ${d.status}`).join(', ')}`
    : `waiting for ${open.map(quote).join(', ')}`;
  return { blocked: true, stuck: dead.length > 0, reason, waitingFor: open.map((d) => d.id) };
}

/**
 * The cycle that making `taskId` wait for `dependsOn` would close, as a path of ids from `taskId` back to
 * itself, or null. `edges` maps each task to what it already waits for.
 */
export function findCycle(
  edges: ReadonlyMap<string, readonly string[]>,
  taskId: string,
  dependsOn: readonly string[],
): string[] | null {
  // A cycle exists when taskId is reachable from one of its new dependencies.
  const seen = new Set<string>();
  const walk = (from: string, path: string[]): string[] | null => {
    if (from === taskId) return [...path, from];
    if (seen.has(from)) return null;
    seen.add(from);
    for (const next of edges.get(from) ?? []) {
      const found = walk(next, [...path, from]);
      if (found) return found;
    }
    return null;
  };
  for (const d of dependsOn) {
    const found = walk(d, [taskId]);
    if (found) return found;
  }
  return null;
}
