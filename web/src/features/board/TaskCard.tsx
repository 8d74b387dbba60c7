/**
 * One card on the board: title, project, where it runs (a fleet's worker), profile, formula step, health,
 * input required, PR, live cost and what it waits for. Draggable between columns and onto another card
 * (to wait for it); a click opens the run details.
 */
import { useDraggable, useDroppable } from '@dnd-kit/core';
import { memo } from 'react';
import type { TaskDto } from '../../../../shared/api.js';
import { HealthDot, InputBadge, ProfileIcon } from '../../ui/badges.js';
import { formatUsd } from '../../../../shared/text.js';
import { cardDropId } from './board-drop.js';

export const CardBody = memo(function CardBody({ task }: { task: TaskDto }) {
  return (
    <>
      <div className="card-top">
        <ProfileIcon profile={task.profile} model={task.model} />
        <span className="card-title">{task.title}</span>
        {task.status === 'running' && task.health ? (
          <HealthDot health={task.health} reason={task.healthReason} />
        ) : null}
      </div>
      <div className="card-meta">
        <span className="card-project">{task.project}</span>
        {task.status === 'running' && task.worker ? (
          <span className="card-worker" title={`running on worker ${task.worker}`}>
            on {task.worker}
          </span>
        ) : null}
        {task.step ? (
          <span className="card-step">
            Step {task.step.index}/{task.step.total} {task.step.name}
          </span>
        ) : null}
        {task.loop ? (
          <span className="card-step">
            Loop {task.iterations}/{task.loop.maxIterations}
          </span>
        ) : null}
        <span className="card-cost">{formatUsd(task.costUsd)}</span>
      </div>
      {task.inputRequired || task.pr || task.conflictFiles?.length ? (
        <div className="card-badges">
          {task.inputRequired ? <InputBadge /> : null}
          {task.pr ? <span className="badge badge-pr">PR #{task.pr.number}</span> : null}
          {task.conflictFiles?.length ? <span className="badge badge-warn">Conflicts</span> : null}
        </div>
      ) : null}
      {task.blocked ? (
        <p className="card-blocked" data-testid="card-blocked" title={task.blocked}>
          {task.blocked}
        </p>
      ) : null}
    </>
  );
});

export function TaskCard({ task, onOpen }: { task: TaskDto; onOpen: (id: string) => void }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: task.id,
    data: { status: task.status },
  });
  // A card is also a drop target: a queued card dropped onto it waits for this task.
  const drop = useDroppable({ id: cardDropId(task.id) });
  return (
    <div
      ref={(el) => {
        setNodeRef(el);
        drop.setNodeRef(el);
      }}
      {...attributes}
      {...listeners}
      className={`card ${isDragging ? 'card-dragging' : ''} ${task.inputRequired ? 'card-input' : ''} ${drop.isOver ? 'card-drop-over' : ''}`}
      data-task-id={task.id}
      data-status={task.status}
      aria-label={`Task ${task.title}, ${task.status}`}
      onClick={() => onOpen(task.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen(task.id);
        listeners?.onKeyDown?.(e);
      }}
    >
      <CardBody task={task} />
    </div>
  );
}
