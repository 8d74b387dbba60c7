/** The History tab: every run of the task (first run, resumes, loop iterations, formula steps). */
import { useQuery } from '@tanstack/react-query';
import type { TaskDto } from '../../../../shared/api.js';
import { useGluon } from '../../hooks/useGluon.js';
import { formatUsd } from '../../../../shared/text.js';
import { formatDuration, formatTime } from '../../ui/format.js';

export function HistoryTab({ task }: { task: TaskDto }) {
  const { api } = useGluon();
  const runs = useQuery({ queryKey: ['runs', task.id, task.updatedAt], queryFn: () => api.runs(task.id) });
  if (runs.isLoading) return <p className="empty">Loading runs…</p>;
  if (runs.error) return <p className="error">{(runs.error as Error).message}</p>;
  if (!runs.data?.length) return <p className="empty">No run yet.</p>;
  return (
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
            <td>{r.kind}</td>
            <td>{r.model}</td>
            <td>{r.endedAt ? formatDuration(Date.parse(r.endedAt) - Date.parse(r.startedAt)) : 'running'}</td>
            <td>
              {r.stopReason ?? '—'}
              {r.error ? ` · ${r.error}` : ''}
            </td>
            <td>{formatUsd(r.costUsd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
