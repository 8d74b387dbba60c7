/**
 * The new task dialog's "Waits for": the tasks the new one waits for (it stays queued, blocked, until each
 * reaches review or done: `--after`), and optionally one of them to start from, on its branch (`--on`).
 * Tasks that ended (done, cancelled) are not offered; the project's own come first.
 */
import { useMemo, useState } from 'react';
import type { TaskDto } from '../../../../shared/api.js';

export interface WaitsForValue {
  after: string[];
  /** The task whose branch the new one starts from; null: the project's base branch. */
  on: string | null;
}

/** The tasks that may be waited for: not ended, the project's first, newest first within each group. */
export function waitCandidates(tasks: readonly TaskDto[], projectId: string | null): TaskDto[] {
  return tasks
    .filter((t) => t.status !== 'done' && t.status !== 'cancelled')
    .sort(
      (a, b) =>
        Number(b.projectId === projectId) - Number(a.projectId === projectId) ||
        b.createdAt.localeCompare(a.createdAt),
    );
}

/** The request's `after` and `on` for a value: `on` is waited for too, so it is not repeated in `after`. */
export function waitFields(value: WaitsForValue): { after?: string[]; on?: string } {
  const after = value.after.filter((id) => id !== value.on);
  return { ...(after.length ? { after } : {}), ...(value.on ? { on: value.on } : {}) };
}

export function WaitsFor(props: {
  tasks: readonly TaskDto[];
  projectId: string | null;
  value: WaitsForValue;
  onChange: (value: WaitsForValue) => void;
}) {
  const [filter, setFilter] = useState('');
  const { value, onChange } = props;
  const candidates = useMemo(
    () => waitCandidates(props.tasks, props.projectId),
    [props.tasks, props.projectId],
  );
  const shown = candidates.filter(
    (t) =>
      value.after.includes(t.id) ||
      !filter.trim() ||
      `${t.title} ${t.id}`.toLowerCase().includes(filter.trim().toLowerCase()),
  );
  // Only a task of the same project can be started from (the server also wants it to have a worktree).
  const bases = candidates.filter((t) => value.after.includes(t.id) && t.projectId === props.projectId);
  const toggle = (id: string, on: boolean) => {
    const after = on ? [...value.after, id] : value.after.filter((a) => a !== id);
    onChange({ after, on: value.on && after.includes(value.on) ? value.on : null });
  };
  if (candidates.length === 0) return null;
  return (
    <fieldset className="waits-for" data-testid="waits-for">
      <legend>Waits for</legend>
      <input
        type="search"
        placeholder="Filter tasks"
        aria-label="Filter tasks to wait for"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <div className="waits-for-list">
        {shown.slice(0, 50).map((t) => (
          <label key={t.id} className="toggle">
            <input
              type="checkbox"
              checked={value.after.includes(t.id)}
              onChange={(e) => toggle(t.id, e.target.checked)}
            />{' '}
            {t.title}{' '}
            <span className="hint">
              {t.id.slice(0, 8)} · {t.status}
              {t.projectId === props.projectId ? '' : ` · ${t.project}`}
            </span>
          </label>
        ))}
      </div>
      {value.after.length ? (
        <label className="field-inline">
          Start from
          <select
            aria-label="Start from"
            value={value.on ?? ''}
            onChange={(e) => onChange({ ...value, on: e.target.value || null })}
          >
            <option value="">the project&apos;s base branch</option>
            {bases.map((t) => (
              <option key={t.id} value={t.id}>
                the branch of {t.title} ({t.id.slice(0, 8)})
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </fieldset>
  );
}
