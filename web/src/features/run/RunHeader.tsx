/** The run view's header: profile, title and close; status, health, project, agent, duration, cost, step, branch. */
import { useEffect, useState } from 'react';
import type { TaskDto } from '../../../../shared/api.js';
import { formatUsd } from '../../../../shared/text.js';
import { HealthDot, ProfileIcon, StatusPill } from '../../ui/badges.js';
import { taskDuration } from '../../ui/format.js';
import { AgentLacks } from './AgentLacks.js';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

function RunMeta({ task }: { task: TaskDto }) {
  const now = useNow(task.status === 'running');
  return (
    <div className="run-meta">
      <StatusPill status={task.status} />
      {task.status === 'running' && task.health ? (
        <HealthDot health={task.health} reason={task.healthReason} />
      ) : null}
      <span>{task.project}</span>
      <span title="Agent and model">
        {task.agent} · {task.model}
      </span>
      <span title="Duration">{taskDuration(task, now)}</span>
      <span title="Cost" data-testid="run-cost">
        {formatUsd(task.costUsd)}
        {task.maxCostUsd !== null ? ` / ${formatUsd(task.maxCostUsd)}` : ''}
      </span>
      {task.step ? (
        <span>
          Step {task.step.index}/{task.step.total} {task.step.name}
        </span>
      ) : null}
      {task.branch ? <code>{task.branch}</code> : null}
      {task.stopReason && task.status !== 'running' ? (
        <span className="hint">stopped: {task.stopReason}</span>
      ) : null}
    </div>
  );
}

export function RunHeader({ task, onClose }: { task: TaskDto; onClose?: () => void }) {
  return (
    <header className="run-head">
      <div className="run-title">
        <ProfileIcon profile={task.profile} model={task.model} />
        <h2>{task.title}</h2>
        {onClose ? (
          <button type="button" className="btn-icon" aria-label="Close" onClick={onClose}>
            ×
          </button>
        ) : null}
      </div>
      <RunMeta task={task} />
      <AgentLacks agent={task.agent} />
    </header>
  );
}
