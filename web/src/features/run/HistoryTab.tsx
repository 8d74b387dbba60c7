/**
 * The History tab: where the task came from (a GitHub issue, a run of a schedule) and every run of the
 * task (first run, resumes, loop iterations, formula steps), with what started an automatic one (a review
 * comment or a failed check on its pull request, `@gluon`).
 */
import { useQuery } from '@tanstack/react-query';
import type { TaskDto } from '../../../../shared/api.js';
import { useGluon } from '../../hooks/useGluon.js';
import { formatUsd } from '../../../../shared/text.js';
import { formatDuration, formatTime } from '../../ui/format.js';
import { ForkLinks } from './ForkLinks.js';

export function HistoryTab({ task }: { task: TaskDto }) {
  const { api } = useGluon();
  const runs = useQuery({ queryKey: ['runs', task.id, task.updatedAt], queryFn: () => api.runs(task.id) });
  const origin = useQuery({ queryKey: ['origin', task.id], queryFn: () => api.taskOrigin(task.id) });
  const from = origin.data?.issue ? (
    <p data-testid="task-origin">
      From GitHub issue{' '}
      <a href={origin.data.issue.url} target="_blank" rel="noreferrer noopener">
        {origin.data.issue.repo}#{origin.data.issue.number}
      </a>
    </p>
  ) : origin.data?.schedule ? (
    <p data-testid="task-origin">
      A run of schedule {origin.data.schedule.id} ({origin.data.schedule.cron}), due{' '}
      {formatTime(origin.data.schedule.dueAt)}
      {origin.data.schedule.status === 'active' ? '' : ` · schedule ${origin.data.schedule.status}`}
    </p>
  ) : null;
  const forks = <ForkLinks task={task} />;
  if (runs.isLoading) return <p className="empty">Loading runs…</p>;
  if (runs.error) return <p className="error">{(runs.error as Error).message}</p>;
  if (!runs.data?.length)
    return (
      <>
        {from}
        {forks}
        <p className="empty">No run yet.</p>
      </>
    );
  return (
    <>
      {from}
      {forks}
      <table className="table" data-testid="history-tab">
        <thead>
          <tr>
            <th>Started</th>
            <th>Kind</th>
            <th>Model</th>
            <th>Duration</th>
            <th>Stop reason</th>
            <th>Cost</th>
          </tr>
        </thead>
        <tbody>
          {runs.data.map((r) => (
            <tr key={r.id}>
              <td>{formatTime(r.startedAt)}</td>
              <td>
                {r.kind}
                {r.trigger ? (
                  <span className="hint" data-testid="run-trigger">
                    {' '}
                    · {r.trigger}
                  </span>
                ) : null}
              </td>
              <td>{r.model}</td>
              <td>
                {r.endedAt ? formatDuration(Date.parse(r.endedAt) - Date.parse(r.startedAt)) : 'running'}
              </td>
              <td>
                {r.stopReason ?? '—'}
                {r.error ? ` · ${r.error}` : ''}
              </td>
              <td>{formatUsd(r.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
