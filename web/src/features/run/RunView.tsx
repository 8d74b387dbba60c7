/**
 * The run details of a task (in a modal over the board, or as its own page): a header with status,
 * project, duration and cost, what waits for a human, the actions, and the tabs.
 * Mount it with `key={taskId}`: its event stream belongs to one task.
 */
import { useEffect, useState } from 'react';
import type { TaskDto } from '../../../../shared/api.js';
import { useTaskEvents } from '../../hooks/useTaskEvents.js';
import { HealthDot, ProfileIcon, StatusPill } from '../../ui/badges.js';
import { formatUsd } from '../../../../shared/text.js';
import { taskDuration } from '../../ui/format.js';
import { Tabs } from '../../ui/Tabs.js';
import { AgentLacks } from './AgentLacks.js';
import { AttachmentImage } from './AttachmentImage.js';
import { attachmentsOf, AttachmentsTab } from './AttachmentsTab.js';
import { CommitsTab } from './CommitsTab.js';
import { ErrorsTab } from './ErrorsTab.js';
import { FilesTab } from './FilesTab.js';
import { HistoryTab } from './HistoryTab.js';
import { InputPanel } from './InputPanel.js';
import { LoopTab } from './LoopTab.js';
import { RunActions } from './RunActions.js';
import { StreamTab } from './StreamTab.js';
import { useOutputRows } from './useOutputRows.js';

type TabId = 'output' | 'errors' | 'messages' | 'commits' | 'files' | 'attachments' | 'loop' | 'history';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function RunView({ task, onClose }: { task: TaskDto; onClose?: () => void }) {
  const store = useTaskEvents(task.id);
  const model = useOutputRows(store, task.worktreePath);
  const [tab, setTab] = useState<TabId>('output');
  const now = useNow(task.status === 'running');
  const tabs = [
    { id: 'output', label: 'Output' },
    { id: 'errors', label: 'Errors', badge: model.errorCount || null },
    { id: 'messages', label: 'Messages' },
    { id: 'commits', label: 'Commits' },
    { id: 'files', label: 'Files' },
    { id: 'attachments', label: 'Attachments' },
    { id: 'loop', label: 'Loop', badge: task.loop ? task.iterations : null },
    { id: 'history', label: 'History' },
  ] as const;

  return (
    <div className="run" data-testid="run-view" data-task-id={task.id} data-status={task.status}>
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
        <AgentLacks agent={task.agent} />
      </header>
      <InputPanel task={task} />
      <RunActions task={task} />
      <Tabs label="Run details" tabs={tabs} value={tab} onChange={setTab} />
      <div className="run-body">
        {tab === 'output' ? <StreamTab store={store} model={model} mode="output" /> : null}
        {tab === 'messages' ? (
          <StreamTab
            store={store}
            model={model}
            mode="messages"
            header={
              <div className="prompt-bubble">
                <span className="row-label">prompt</span> {task.prompt}
                {attachmentsOf(task).images.map((a) => (
                  <AttachmentImage key={a.id} id={a.id} name={a.name} className="thumb-img" />
                ))}
              </div>
            }
          />
        ) : null}
        {tab === 'errors' ? <ErrorsTab store={store} model={model} task={task} /> : null}
        {tab === 'commits' ? <CommitsTab task={task} /> : null}
        {tab === 'files' ? <FilesTab task={task} /> : null}
        {tab === 'attachments' ? <AttachmentsTab task={task} /> : null}
        {tab === 'loop' ? <LoopTab task={task} store={store} /> : null}
        {tab === 'history' ? <HistoryTab task={task} /> : null}
      </div>
    </div>
  );
}
