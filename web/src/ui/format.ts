/** Display formats shared by every screen (money is in shared/text.ts, the same on every surface). */

/** `42s`, `3m 05s`, `2h 07m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** How long a task has run: from its start to its finish, or to now while it runs. */
export function taskDuration(
  task: { startedAt: string | null; finishedAt: string | null },
  now: number,
): string {
  if (!task.startedAt) return '—';
  const end = task.finishedAt ? Date.parse(task.finishedAt) : now;
  return formatDuration(end - Date.parse(task.startedAt));
}

/** `14:03:22` today, `Mar 4 14:03` otherwise. */
export function formatTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A value of unknown shape (tool input) as readable text. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
