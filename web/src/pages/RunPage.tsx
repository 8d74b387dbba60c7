/** The run details as a page of their own (`/tasks/<id>`), linkable and shareable. */
import { useQuery } from '@tanstack/react-query';
import { RunView } from '../features/run/RunView.js';
import { useBoard } from '../hooks/useBoard.js';
import { useGluon } from '../hooks/useGluon.js';

export function RunPage({ taskId }: { taskId: string }) {
  const { api } = useGluon();
  const tasks = useBoard();
  const live = tasks.find((t) => t.id === taskId || t.id.startsWith(taskId));
  // The id in the address may be a prefix, or the board may not have loaded yet: ask for the task.
  const fetched = useQuery({
    queryKey: ['task', taskId],
    queryFn: () => api.getTask(taskId),
    enabled: !live,
    retry: false,
  });
  const task = live ?? fetched.data;
  return (
    <main className="page page-run">
      {task ? (
        <RunView key={task.id} task={task} />
      ) : fetched.error ? (
        <p className="error" role="alert">
          {(fetched.error as Error).message}
        </p>
      ) : (
        <p className="empty">Loading the task…</p>
      )}
    </main>
  );
}
