/** "Forked from X" and "Forked as Y, Z" in the History tab: the tasks a task is linked to by `gluon fork`. */
import type { TaskDto } from '../../../../shared/api.js';
import { navigate } from '../../hooks/useRoute.js';

function TaskLink({ id }: { id: string }) {
  return (
    <a
      href={`/tasks/${id}`}
      onClick={(e) => {
        e.preventDefault();
        navigate(`/tasks/${id}`);
      }}
    >
      {id}
    </a>
  );
}

/** "Forked from X" and "Forked as Y, Z": the tasks this one is linked to by `gluon fork`. */
export function ForkLinks({ task }: { task: TaskDto }) {
  if (!task.forkedFrom && !task.forks?.length) return null;
  return (
    <p data-testid="task-forks">
      {task.forkedFrom ? (
        <span>
          Forked from <TaskLink id={task.forkedFrom} />
        </span>
      ) : null}
      {task.forkedFrom && task.forks?.length ? ' · ' : null}
      {task.forks?.length ? (
        <span>
          Forked as{' '}
          {task.forks.map((id, i) => (
            <span key={id}>
              {i > 0 ? ', ' : null}
              <TaskLink id={id} />
            </span>
          ))}
        </span>
      ) : null}
    </p>
  );
}
